import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CacheError,
  cacheDirFor,
  checkCache,
  getMeta,
  insertEntries,
  openCache,
  openReader,
  readChainHead,
  readSyncCursor,
  verifyChain,
  WARNING_SECRET_MASKED,
} from '../../../main/core/cache/index';
import { CHAIN_GENESIS, chainHash, sha256Hex, canonicalJson } from '../../../main/core/records/canonical';
import { createTestCache, makeEntries, makeEntry, TEST_OWNER, TEST_PASSPHRASE, tempDir } from './fixtures';

describe('openCache', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('creates a cache, records its owner, and reopens with the passphrase', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    expect(getMeta(cache.db, 'gateway_url')).toBe('http://gateway.test:9000');
    expect(getMeta(cache.db, 'user_id')).toBe('u-auditor');
    expect(cache.db.pragma('journal_mode', { simple: true })).toBe('wal');
    insertEntries(cache, makeEntries(0, 3), null);
    cache.close();
    const again = openCache(t.dir, { passphrase: TEST_PASSPHRASE });
    expect(again.owner.userId).toBe('u-auditor');
    expect(again.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(3);
    again.close();
  });

  it('refuses a wrong passphrase with a clear error', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    createTestCache(t.dir).close();
    expect(() => openCache(t.dir, { passphrase: 'nope' })).toThrow(new CacheError('wrong_passphrase', 'wrong passphrase for this cache'));
  });

  it('refuses a missing cache without create, and another owner', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect(() => openCache(t.dir, { passphrase: 'x' })).toThrow(expect.objectContaining({ kind: 'not_found' }));
    createTestCache(t.dir).close();
    expect(() => openCache(t.dir, { passphrase: TEST_PASSPHRASE, create: { ...TEST_OWNER, userId: 'u-other' } })).toThrow(
      expect.objectContaining({ kind: 'wrong_owner' }),
    );
    // Same server spelled differently is the same owner.
    openCache(t.dir, { passphrase: TEST_PASSPHRASE, create: { ...TEST_OWNER, gatewayUrl: 'HTTP://Gateway.test:9000/' } }).close();
  });

  it('maps one folder per gateway URL and user', () => {
    expect(cacheDirFor('/d', 'http://a:1/', 'u1')).toBe(cacheDirFor('/d', 'http://A:1', 'u1'));
    expect(cacheDirFor('/d', 'http://a:1', 'u1')).not.toBe(cacheDirFor('/d', 'http://a:1', 'u2'));
    expect(cacheDirFor('/d', 'http://a:1', 'u1')).not.toBe(cacheDirFor('/d', 'http://a:2', 'u1'));
  });

  it('reports a swapped / damaged database as damaged', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    createTestCache(t.dir).close();
    const other = tempDir();
    const otherCache = openCache(other.dir, { passphrase: TEST_PASSPHRASE, create: TEST_OWNER, scrypt: { N: 1024, r: 8, p: 1 } });
    otherCache.close();
    // Put the other cache's database (encrypted with another key) in place of ours.
    copyFileSync(`${other.dir}/cache.db`, `${t.dir}/cache.db`);
    other.cleanup();
    expect(() => openCache(t.dir, { passphrase: TEST_PASSPHRASE })).toThrow(expect.objectContaining({ kind: 'damaged' }));
  });
});

describe('insertEntries', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('stores canonical JSON with a hash chain, de-duplicates by id, and commits the cursor', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    const first = insertEntries(cache, makeEntries(0, 5), { windowStart: 1, windowEnd: 2, windowNextPage: 2 }, { now: 1234 });
    expect(first).toMatchObject({ inserted: 5, duplicates: 0 });
    const second = insertEntries(cache, [...makeEntries(3, 4), makeEntry(7)], null);
    expect(second).toMatchObject({ inserted: 3, duplicates: 2 });
    const rows = cache.db.prepare('SELECT * FROM records ORDER BY seq').all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.id)).toEqual(makeEntries(0, 8).map((e) => e.id));
    let prev = CHAIN_GENESIS;
    for (const row of rows) {
      expect(row.sha256).toBe(sha256Hex(row.canonical as string));
      expect(row.prev_hash).toBe(prev);
      expect(row.chain_hash).toBe(chainHash(prev, row.sha256 as string));
      prev = row.chain_hash as string;
    }
    expect(readChainHead(cache.db).head).toBe(prev);
    expect(second.head).toBe(prev);
    expect(rows[1]).toMatchObject({ synced_at: 1234, operator_name: 'Jane Doe', status_code: 200, failed: 0, http_method: 'PUT' });
    expect(rows[0]).toMatchObject({ status_code: 403, failed: 1, error_message: 'permission denied' });
    expect(rows[0]!.canonical).toBe(canonicalJson(makeEntry(0)));
    expect(readSyncCursor(cache.db)).toMatchObject({ windowStart: 1, windowEnd: 2, windowNextPage: 2, syncedUntil: null });
    expect(verifyChain(cache.db)).toEqual({ records: 8 });
    cache.close();
  });

  it('indexes every new record for full-text search in the same transaction, and only new ones', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    const search = (term: string) => cache.db.prepare('SELECT r.id FROM records_fts f JOIN records r ON r.seq = f.rowid WHERE records_fts MATCH ? ORDER BY r.seq').pluck().all(term);
    const indexed = () => cache.db.prepare('SELECT count(*) FROM records_fts_docsize').pluck().get();
    insertEntries(cache, makeEntries(0, 5), null);
    expect(indexed()).toBe(5);
    // A batch whose first rows are already stored: indexing starts at the first row it adds.
    insertEntries(cache, [...makeEntries(3, 2), makeEntry(9, { resource_name: 'zebra-route' }), makeEntry(8)], null);
    expect(indexed()).toBe(7);
    expect(search('zebra')).toEqual([makeEntry(9).id]);
    expect(search('"permission denied"')).toEqual([makeEntry(0).id]);
    // An all-duplicate batch adds nothing to the index.
    insertEntries(cache, makeEntries(0, 5), null);
    expect(indexed()).toBe(7);
    // A failed transaction leaves neither rows nor index entries behind.
    // (the cursor is written last, after the rows and their index entries; a value SQLite cannot bind fails it).
    expect(() => insertEntries(cache, [makeEntry(11), makeEntry(12)], { windowStart: {} } as never)).toThrow();
    expect(indexed()).toBe(7);
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(7);
    cache.close();
  });

  it('masks secrets before hashing and says so', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    const token = 'a7ee-' + 'Z'.repeat(40);
    insertEntries(cache, [makeEntry(1, { http_request: { method: 'POST', uri: '/api/login', body: { username: 'x', password: 'hunter22', note: `use ${token}` } } })], null);
    const row = cache.db.prepare('SELECT canonical, request_body, warnings FROM records').get() as Record<string, string>;
    expect(row.canonical).not.toContain('hunter22');
    expect(row.canonical).not.toContain(token);
    expect(row.request_body).toContain('"password":"******"');
    expect(JSON.parse(row.warnings)).toEqual([WARNING_SECRET_MASKED]);
    cache.close();
  });

  it('refuses UPDATE and DELETE of records, and writes through a reader', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 3), null);
    expect(() => cache.db.prepare("UPDATE records SET event_type = 'X'").run()).toThrow(/read-only/);
    expect(() => cache.db.prepare('DELETE FROM records').run()).toThrow(/read-only/);
    const reader = openReader(t.dir, cache.key);
    expect(reader.prepare('SELECT count(*) FROM records').pluck().get()).toBe(3);
    expect(() => reader.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('a', 'b')).toThrow(/readonly/i);
    const hits = reader.prepare("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'operator1'").pluck().get();
    expect(hits).toBe(1);
    reader.close();
    cache.close();
  });

  it('leaves no plaintext record data in the database or WAL', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    const marker = makeEntry(1, { operator: { id: 'u-zz', username: 'zanzibar_marker_operator', email: 'zz@example.com' }, http_request: { method: 'GET', uri: '/api/very_distinctive_uri_marker' } });
    insertEntries(cache, [marker, ...makeEntries(2, 200)], null);
    const files = ['cache.db', 'cache.db-wal'].map((f) => `${t.dir}/${f}`).filter(existsSync);
    expect(files.length).toBe(2); // WAL still holds the pages: scan it while the writer is open
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const needle of ['zanzibar_marker_operator', 'very_distinctive_uri_marker', 'UpdateRoute', 'CREATE TABLE']) {
        expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
      }
    }
    cache.close();
    expect(readFileSync(`${t.dir}/cache.db`).includes(Buffer.from('zanzibar_marker_operator'))).toBe(false);
  });
});

describe('checkCache', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('passes an intact cache', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 50), null);
    cache.close();
    expect(checkCache(t.dir, TEST_PASSPHRASE)).toEqual({ ok: true, integrity: 'ok', records: 50 });
  });

  it('names the first altered record when the triggers were bypassed', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 20), null);
    // Someone with the key drops the guard and edits a record.
    cache.db.exec('DROP TRIGGER records_no_update');
    cache.db.prepare("UPDATE records SET canonical = replace(canonical, 'UpdateRoute', 'GetRoute') WHERE id = ?").run(makeEntry(12).id);
    cache.close();
    const result = checkCache(t.dir, TEST_PASSPHRASE);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ id: makeEntry(12).id, seq: 13 });
    expect(result.firstBroken!.reason).toMatch(/sha256/);
  });

  it('detects records the full-text index does not hold', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 20), null);
    // Someone with the key removes a record from the search index only: search would hide it.
    const row = cache.db.prepare('SELECT seq, operator_username, operator_email, event_type, resource_id, resource_name, ip_address, http_uri, error_message, request_body, response_body FROM records WHERE seq = 7').raw().get() as unknown[];
    cache.db.prepare(`INSERT INTO records_fts (records_fts, rowid, operator_username, operator_email, event_type, resource_id, resource_name, ip_address, http_uri, error_message, request_body, response_body) VALUES ('delete', ${row.map(() => '?').join(', ')})`).run(...row);
    cache.close();
    const result = checkCache(t.dir, TEST_PASSPHRASE);
    expect(result.ok).toBe(false);
    expect(result.searchIndex).toMatch(/search index holds 19 records .* the cache 20/);
  });

  it('detects a removed record and a truncated tail', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 10), null);
    cache.db.exec('DROP TRIGGER records_no_delete');
    cache.db.prepare('DELETE FROM records WHERE seq = 5').run();
    expect(verifyChain(cache.db).firstBroken).toMatchObject({ seq: 6 });
    cache.db.prepare('DELETE FROM records WHERE seq >= 5').run();
    expect(verifyChain(cache.db).firstBroken?.reason).toMatch(/missing/);
    cache.close();
  });

  it('reports a wrong passphrase by throwing', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    createTestCache(t.dir).close();
    expect(() => checkCache(t.dir, 'bad')).toThrow(/wrong passphrase/);
  });
});
