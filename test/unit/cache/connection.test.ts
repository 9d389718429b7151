import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDbPath, checkCache, insertEntries, openCache, unlockWithPassphrase } from '../../../main/core/cache/index';
import { openEncryptedDb } from '../../../main/core/cache/connection';
import { migrate } from '../../../main/core/cache/migrate';
import { rekeyCache } from '../../../main/core/cache/rekey';
import { createTestCache, makeEntries, TEST_PASSPHRASE, tempDir } from './fixtures';

/** Opens the file with one named cipher only, the way a tool that knows the format would. */
function readsWith(path: string, key: Buffer, cipher: string): boolean {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`cipher = '${cipher}'`);
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.prepare('SELECT count(*) FROM records').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

describe('cache page encryption', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('encrypts a new cache with AEGIS-256, not with SQLCipher, and not readable without the key', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 20), null);
    cache.close();
    const key = unlockWithPassphrase(t.dir, TEST_PASSPHRASE);
    expect(readsWith(cacheDbPath(t.dir), key, 'aegis')).toBe(true);
    expect(readsWith(cacheDbPath(t.dir), key, 'sqlcipher')).toBe(false);
    expect(readsWith(cacheDbPath(t.dir), Buffer.alloc(32, 1), 'aegis')).toBe(false);
  });

  it('still opens (and keeps) a cache made with SQLCipher before the change, until it is re-keyed', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    // A cache whose database was written in SQLCipher's format, as earlier versions did.
    createTestCache(t.dir).close();
    const key = unlockWithPassphrase(t.dir, TEST_PASSPHRASE);
    const path = cacheDbPath(t.dir);
    writeFileSync(path, '');
    const legacy = new Database(path);
    legacy.pragma("cipher = 'sqlcipher'");
    legacy.pragma(`key = "x'${key.toString('hex')}'"`);
    migrate(legacy);
    legacy.prepare("INSERT INTO meta (key, value) VALUES ('gateway_url', 'http://gateway.test:9000'), ('user_id', 'u-auditor'), ('username', 'auditor')").run();
    legacy.close();

    const cache = openCache(t.dir, { passphrase: TEST_PASSPHRASE });
    insertEntries(cache, makeEntries(0, 10), null);
    cache.close();
    expect(readsWith(path, key, 'sqlcipher')).toBe(true);
    expect(readsWith(path, key, 'aegis')).toBe(false);
    expect(checkCache(t.dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: 10 });
    const reader = openEncryptedDb(path, key, { readonly: true, create: false });
    expect(reader.prepare('SELECT count(*) FROM records').pluck().get()).toBe(10);
    reader.close();

    // Re-encrypting under a new key (audit-review rekey) moves it to the new cipher.
    expect(rekeyCache(t.dir, TEST_PASSPHRASE, { now: () => 1_800_000_000, actor: 'auditor', scrypt: { N: 1024, r: 8, p: 1 } }).records).toBe(10);
    const newKey = unlockWithPassphrase(t.dir, TEST_PASSPHRASE);
    expect(readsWith(path, newKey, 'aegis')).toBe(true);
    expect(readsWith(path, newKey, 'sqlcipher')).toBe(false);
    expect(checkCache(t.dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: 10 });
  });

  /** A cache holding `count` records, all of its pages in the main file (the WAL folded in). */
  const cacheOnDisk = (count: number) => {
    const t = tempDir();
    cleanup = t.cleanup;
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, count), null);
    cache.db.pragma('wal_checkpoint(TRUNCATE)');
    cache.close();
    return { t, path: cacheDbPath(t.dir) };
  };

  it('notices a changed byte in an encrypted page (each page is authenticated)', () => {
    const { t, path } = cacheOnDisk(400);
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(20 * 4096);
    // A byte in the middle of a page well inside the file (record or index data).
    const at = 12 * 4096 + 2000;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path, bytes);
    const result = checkCache(t.dir, TEST_PASSPHRASE);
    expect(result.ok).toBe(false);
    expect(result.integrity).toMatch(/unable to get the page|damaged|malformed/i);
  });

  it('reports a change to the header bytes no page tag covers (the salt, the format version)', () => {
    const { t, path } = cacheOnDisk(50);
    expect(checkCache(t.dir, TEST_PASSPHRASE)).toMatchObject({ ok: true });
    const pristine = readFileSync(path);
    for (const [offset, reason] of [
      [5, /salt is .*recorded/],
      [18, /byte 18 \(file format version\)/],
    ] as const) {
      const bytes = Buffer.from(pristine);
      bytes[offset] = bytes[offset]! ^ 0x5a;
      writeFileSync(path, bytes);
      const result = checkCache(t.dir, TEST_PASSPHRASE);
      expect(result.ok).toBe(false);
      expect(result.integrity).toMatch(reason);
    }
    writeFileSync(path, pristine);
    expect(checkCache(t.dir, TEST_PASSPHRASE)).toMatchObject({ ok: true });
  });
});
