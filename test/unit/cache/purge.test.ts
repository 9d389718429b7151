import { afterEach, describe, expect, it } from 'vitest';
import { checkOpenDb, insertEntries, purgeOlderThan, verifyChain } from '../../../main/core/cache/index';
import { DOOMED_SQL } from '../../../main/core/cache/purge';
import { createTestCache, makeEntries, makeEntry, tempDir } from './fixtures';

describe('purgeOlderThan', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('finds what to remove through the event_time index, not by reading every record (it runs after each sync)', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 50), null);
    const plan = (cache.db.prepare(`EXPLAIN QUERY PLAN ${DOOMED_SQL}`).all(0) as Array<{ detail: string }>).map((row) => row.detail).join('\n');
    expect(plan).toContain('USING INDEX records_event_time');
    expect(plan).not.toMatch(/^SCAN records$/m);
    cache.close();
  });

  it('removes old records, records what it removed, and keeps the chain verifiable', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 100), null);
    const cutoff = makeEntry(40).event_time;
    const result = purgeOlderThan(cache, cutoff, 'retention 180 days', 999);
    expect(result).toMatchObject({ removed: 40, minEventTime: makeEntry(0).event_time, maxEventTime: makeEntry(39).event_time });
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(60);
    expect(cache.db.prepare('SELECT reason, removed, purged_at FROM purges').get()).toEqual({ reason: 'retention 180 days', removed: 40, purged_at: 999 });
    expect(cache.db.prepare("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'operator1'").pluck().get()).toBe(12);
    expect(checkOpenDb(cache.db)).toEqual({ ok: true, integrity: 'ok', records: 60 });
    // Inserting after a purge continues the chain.
    insertEntries(cache, makeEntries(100, 5), null);
    expect(verifyChain(cache.db)).toEqual({ records: 65 });
    // The trigger is back on.
    expect(() => cache.db.prepare('DELETE FROM records').run()).toThrow(/read-only/);
    cache.close();
  });

  it('handles holes in insertion order, a purged tail, and repeated purges', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    // Insertion order that is not time order: new, old, new, old, ... then all old at the end.
    const entries = makeEntries(0, 60).map((e, i) => (i % 2 === 0 ? { ...e, event_time: e.event_time + 1_000_000 } : e));
    insertEntries(cache, entries, null);
    insertEntries(cache, makeEntries(1000, 5).map((e) => ({ ...e, event_time: 1 })), null);
    const first = purgeOlderThan(cache, makeEntry(30).event_time, 'first');
    expect(first.removed).toBe(20);
    expect(verifyChain(cache.db)).toEqual({ records: 45 });
    const second = purgeOlderThan(cache, makeEntry(0).event_time + 1_000_000 + 20 * 60, 'second');
    expect(second.removed).toBe(25); // even i < 20 (10) and every remaining odd one (15)
    expect(verifyChain(cache.db)).toEqual({ records: 20 });
    insertEntries(cache, makeEntries(2000, 3), null);
    expect(verifyChain(cache.db)).toEqual({ records: 23 });
    expect(purgeOlderThan(cache, 0, 'nothing').removed).toBe(0);
    cache.close();
  });
});
