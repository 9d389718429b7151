import { afterAll, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../main/core/cache/migrate';
import { migrations } from '../../../../main/core/cache/migrations/index';
import { generateHistory } from '../../../../main/demo-gateway/generator/index';
import { createTestCache } from '../../../helpers/temp-cache';

describe('migration 005 (activity summaries)', () => {
  const { entries } = generateHistory({ seed: 3, days: 10, operators: 6, events: 800, now: 1_764_072_000 });
  const test = createTestCache(entries);
  afterAll(() => test.remove());

  it('builds the summaries of a cache that already holds records, equal to what inserts keep', () => {
    const db = test.cache.db;
    const snapshot = () => ({
      operators: db.prepare('SELECT * FROM record_operators ORDER BY id').all(),
      hours: db.prepare('SELECT * FROM activity_hours ORDER BY 1, 2, 3').all(),
      days: db.prepare('SELECT * FROM facet_days ORDER BY 1, 2, 3, 4, 5').all(),
      totals: db.prepare('SELECT * FROM facet_totals ORDER BY 1, 2, 3, 4').all(),
    });
    const kept = snapshot();
    expect(kept.hours.length).toBeGreaterThan(0);
    expect(kept.totals.length).toBeGreaterThan(0);

    // Back to version 4, as a cache from before this migration would be.
    db.exec('DROP TABLE record_operators; DROP TABLE activity_hours; DROP TABLE facet_days; DROP TABLE facet_totals;');
    db.pragma('user_version = 4');
    migrate(db, migrations.slice(0, 5));
    expect(schemaVersion(db)).toBe(5);
    expect(snapshot()).toEqual(kept);
  });
});
