import { copyFileSync, cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDbPath, checkCache, CacheError, insertEntries, openCache, type Cache } from '../../main/core/cache/index';
import { entryToRow } from '../../main/core/cache/record-row';
import { createTestCache, makeEntry, TEST_PASSPHRASE, tempDir } from '../unit/cache/fixtures';

// Damage to the cache files on disk: the app must say "damaged" (or refuse to read), never hand
// out records that differ from what was stored.
const COUNT = 400;
const entries = Array.from({ length: COUNT }, (_, i) => makeEntry(i));
const hashes = entries.map((e) => entryToRow(e).sha256);
const work = tempDir('ar-rel-tamper-');
const pristine = join(work.dir, 'pristine');

beforeAll(() => {
  const cache = createTestCache(pristine);
  insertEntries(cache, entries, null, { now: 1_764_000_000 });
  cache.close();
});
afterAll(() => work.cleanup());

let copies = 0;
function copyOfPristine(): string {
  const dir = join(work.dir, `copy-${copies++}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 0x5a;
  writeFileSync(path, bytes);
}

/** Opens and reads every record; returns the rows, or the error that stopped it. */
function readAll(dir: string): { rows: Array<{ id: string; sha256: string }> } | { error: Error } {
  let cache: Cache | undefined;
  try {
    cache = openCache(dir, { passphrase: TEST_PASSPHRASE });
    return { rows: cache.db.prepare('SELECT id, sha256 FROM records ORDER BY seq').all() as Array<{ id: string; sha256: string }> };
  } catch (error) {
    return { error: error as Error };
  } finally {
    cache?.close();
  }
}

describe('byte flips in the database file', () => {
  const size = () => statSync(cacheDbPath(pristine)).size;
  // The header page (salt, then page data), the first B-tree pages, the middle, the last page.
  const offsets = () => [3, 40, 100, 1_500, 4_200, 5_000, Math.floor(size() / 3), Math.floor(size() / 2), Math.floor((size() * 2) / 3), size() - 200, size() - 1];
  it('each flip is reported by check and never yields altered records', () => {
    const outcomes: string[] = [];
    for (const offset of offsets()) {
      const dir = copyOfPristine();
      flipByte(cacheDbPath(dir), offset);
      const check = checkCache(dir, TEST_PASSPHRASE);
      expect(check.ok, `flip at ${offset} passed check`).toBe(false);
      expect(check.integrity).not.toBe('ok');
      const read = readAll(dir);
      if ('error' in read) {
        // Either refused at open (CacheError damaged) or the damaged page failed its authentication.
        if (read.error instanceof CacheError) expect(read.error.kind).toBe('damaged');
        expect(read.error.message).toMatch(/damaged|malformed|not a database|authentic|hmac|corrupt/i);
        outcomes.push(`${offset}: ${read.error instanceof CacheError ? `CacheError ${read.error.kind}` : read.error.message}`);
      } else {
        // A page the query never touched: what it did read must be exactly what was stored.
        for (const row of read.rows) expect(row.sha256).toBe(hashes[Number(row.id.slice(1))]);
        outcomes.push(`${offset}: read ${read.rows.length} unaltered rows; check said ${check.integrity.slice(0, 60)}`);
      }
    }
    console.log(`database byte flips:\n  ${outcomes.join('\n  ')}`);
  });
});

describe('a swapped database file', () => {
  it('another cache\'s database in place of ours is damaged at open and in check', () => {
    const dir = copyOfPristine();
    const other = join(work.dir, 'other');
    const otherCache = createTestCache(other);
    insertEntries(otherCache, entries.slice(0, 10), null, { now: 1 });
    otherCache.close();
    copyFileSync(cacheDbPath(other), cacheDbPath(dir));
    const read = readAll(dir);
    expect('error' in read && read.error).toBeInstanceOf(CacheError);
    expect(('error' in read && (read.error as CacheError).kind) || '').toBe('damaged');
    expect(('error' in read && read.error.message) || '').toMatch(/damaged or was replaced.*audit-review check/);
    const check = checkCache(dir, TEST_PASSPHRASE);
    expect(check).toMatchObject({ ok: false, records: 0 });
    expect(check.integrity).toMatch(/damaged or was replaced/);
  });

  it('the same cache\'s older database (a rollback) is consistent: a prefix of what was stored, chain intact', () => {
    const dir = copyOfPristine();
    const older = join(work.dir, 'older-db');
    copyFileSync(cacheDbPath(dir), older);
    const cache = openCache(dir, { passphrase: TEST_PASSPHRASE });
    insertEntries(cache, [makeEntry(COUNT + 1)], null, { now: 1_764_000_100 });
    cache.close();
    copyFileSync(older, cacheDbPath(dir));
    const read = readAll(dir);
    expect('rows' in read && read.rows.length).toBe(COUNT);
    expect(checkCache(dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: COUNT });
  });
});

describe('an edited WAL', () => {
  it('a flipped byte in an uncommitted-to-db WAL frame is never read as altered data', () => {
    const source = copyOfPristine();
    const cache = openCache(source, { passphrase: TEST_PASSPHRASE });
    const more = Array.from({ length: 50 }, (_, i) => makeEntry(COUNT + i));
    for (const e of more) insertEntries(cache, [e], null, { now: 1_764_000_200 });
    // Copy while the writer is open, so the last commits live only in the WAL.
    const wal = `${cacheDbPath(source)}-wal`;
    expect(existsSync(wal)).toBe(true);
    const walSize = statSync(wal).size;
    const outcomes: string[] = [];
    for (const offset of [10, 40, Math.floor(walSize / 2), walSize - 100]) {
      const dir = join(work.dir, `wal-${offset}`);
      cpSync(source, dir, { recursive: true });
      flipByte(`${cacheDbPath(dir)}-wal`, offset);
      const read = readAll(dir);
      const check = checkCache(dir, TEST_PASSPHRASE);
      if ('error' in read) {
        expect(check.ok).toBe(false);
        outcomes.push(`${offset}: ${read.error.message.slice(0, 80)}`);
        continue;
      }
      // SQLite stops reading a WAL at the first frame whose checksum fails: the cache falls back to
      // an earlier commit. What it shows must be an unaltered prefix, and check must agree.
      const all = [...hashes, ...more.map((e) => entryToRow(e).sha256)];
      read.rows.forEach((row, i) => expect(row.sha256, `row ${i} after a WAL flip at ${offset}`).toBe(all[i]));
      expect(read.rows.length).toBeGreaterThanOrEqual(COUNT);
      expect(check).toMatchObject({ ok: true, records: read.rows.length });
      outcomes.push(`${offset}: rolled back to ${read.rows.length} of ${COUNT + more.length} records, unaltered`);
    }
    cache.close();
    console.log(`WAL byte flips:\n  ${outcomes.join('\n  ')}`);
  });
});

describe('edits by someone holding the key', () => {
  it('a count table changed to hide activity is named by check (the records are untouched)', () => {
    const edits = [
      "UPDATE facet_totals SET count = count - 1 WHERE (field, op, event_type, value) IN (SELECT field, op, event_type, value FROM facet_totals LIMIT 1)",
      'DELETE FROM activity_hours WHERE hour = (SELECT max(hour) FROM activity_hours)',
      "UPDATE facet_days SET count = count + 3 WHERE field = 'ip_address' AND day = (SELECT min(day) FROM facet_days)",
      "UPDATE record_operators SET username = 'someone-else' WHERE id = 1",
    ];
    for (const edit of edits) {
      const dir = copyOfPristine();
      const cache = openCache(dir, { passphrase: TEST_PASSPHRASE });
      cache.db.exec(edit);
      cache.close();
      const check = checkCache(dir, TEST_PASSPHRASE);
      expect(check.ok, edit).toBe(false);
      expect(check.summaries, edit).toMatch(/records give|missing from record_operators/);
      expect(check.firstBroken).toBeUndefined();
      expect(check.records).toBe(COUNT);
    }
  });
});
