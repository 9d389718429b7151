import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteCacheSecurely } from '../../../main/core/access/secure-delete';
import { checkOpenDb } from '../../../main/core/cache/check';
import { insertEntries } from '../../../main/core/cache/insert';
import { applyRetention, legalHoldOf, readRetentionDays, releaseLegalHold, setLegalHold, writeRetentionDays } from '../../../main/core/cache/retention';
import { listCustody, verifyCustodyChain } from '../../../main/core/custody';
import { createTestCache, makeEntries, tempDir } from '../cache/fixtures';

const DAY = 86_400;
// makeEntries(i) has event_time 1_760_000_000 + i·60.
const FIRST = 1_760_000_000;

describe('retention and legal hold', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  const filled = () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 200), null, { now: FIRST });
    return { cache, dir: t.dir };
  };

  it('purges records older than the period and logs count, time range and checkpoint', () => {
    const { cache } = filled();
    try {
      expect(readRetentionDays(cache.db)).toBe(180);
      writeRetentionDays(cache.db, 10);
      // Cutoff = now − 10 days = FIRST + 100 minutes: records 0..99 go.
      const now = FIRST + 100 * 60 + 10 * DAY;
      const outcome = applyRetention(cache.db, { now, actor: 'system' });
      expect(outcome.status).toBe('purged');
      if (outcome.status !== 'purged') return;
      expect(outcome.purge.removed).toBe(100);
      expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(100);
      const [entry] = listCustody(cache.db, { actions: ['purge'] });
      expect(entry!.details).toMatchObject({ removed: 100, retention_days: 10, min_event_time: FIRST, max_event_time: FIRST + 99 * 60, checkpoint_hash: outcome.purge.checkpointHash });
      expect(checkOpenDb(cache.db)).toMatchObject({ ok: true, records: 100 });
      // Nothing more is old enough: no second custody entry.
      applyRetention(cache.db, { now, actor: 'system' });
      expect(listCustody(cache.db, { actions: ['purge'] })).toHaveLength(1);
    } finally {
      cache.close();
    }
  });

  it('a legal hold pauses purging until released, and both are in the custody log', () => {
    const { cache } = filled();
    try {
      const now = FIRST + 1_000 * DAY;
      setLegalHold(cache.db, { reason: 'case 2025-17', by: 'counsel', at: now });
      expect(legalHoldOf(cache.db)).toEqual({ reason: 'case 2025-17', by: 'counsel', at: now });
      const held = applyRetention(cache.db, { now, actor: 'system' });
      expect(held.status).toBe('held');
      expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(200);
      expect(() => setLegalHold(cache.db, { reason: ' ', by: 'x', at: now })).toThrow(/needs a reason/);

      expect(releaseLegalHold(cache.db, { by: 'counsel', at: now + 1, reason: 'case closed' })).toBe(true);
      expect(releaseLegalHold(cache.db, { by: 'counsel', at: now + 1, reason: 'again' })).toBe(false);
      const purged = applyRetention(cache.db, { now: now + 2, actor: 'system' });
      expect(purged.status === 'purged' && purged.purge.removed).toBe(200);
      expect(listCustody(cache.db).map((e) => e.action)).toEqual(['legal-hold-set', 'legal-hold-released', 'purge']);
      expect(verifyCustodyChain(cache.db).ok).toBe(true);
    } finally {
      cache.close();
    }
  });
});

describe('secure delete', () => {
  it('overwrites and removes every file of the cache, then the folder', () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'cache');
      const cache = createTestCache(dir);
      insertEntries(cache, makeEntries(0, 50), null, { now: FIRST });
      // Keep the WAL and SHM files on disk while deleting the others' contents.
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'extra.bin'), Buffer.alloc(3 << 20, 1));
      const names = readdirSync(dir).sort();
      expect(names).toEqual(expect.arrayContaining(['cache.db', 'cache.db-wal', 'cache.db-shm', 'keys.json']));
      cache.close();
      const { filesOverwritten } = deleteCacheSecurely(dir);
      expect(filesOverwritten).toBeGreaterThanOrEqual(3);
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(t.dir)).toEqual([]);
      expect(deleteCacheSecurely(dir)).toEqual({ filesOverwritten: 0 });
    } finally {
      t.cleanup();
    }
  });
});
