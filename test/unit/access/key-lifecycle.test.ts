import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeCachePassphrase } from '../../../main/core/access/change-passphrase';
import { openCache } from '../../../main/core/cache/cache';
import { checkCache } from '../../../main/core/cache/check';
import { insertEntries } from '../../../main/core/cache/insert';
import { promotePendingKey, stagePendingKey, unlockWithPassphrase } from '../../../main/core/cache/keys';
import { recoverInterruptedRekey, rekeyCache } from '../../../main/core/cache/rekey';
import { listCustody, verifyCustodyChain } from '../../../main/core/custody';
import { createTestCache, makeEntries, tempDir, TEST_PASSPHRASE, TEST_SCRYPT } from '../cache/fixtures';

const clock = { now: () => 1_764_000_000, actor: 'auditor', scrypt: TEST_SCRYPT };

describe('passphrase change and rekey', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  const filled = () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 300), null, { now: 1_763_000_000 });
    cache.close();
    return t.dir;
  };

  it('changing the passphrase keeps every record and the old passphrase stops working', () => {
    const dir = filled();
    const keyBefore = unlockWithPassphrase(dir, TEST_PASSPHRASE);
    changeCachePassphrase(dir, TEST_PASSPHRASE, 'a new passphrase', clock);
    expect(() => unlockWithPassphrase(dir, TEST_PASSPHRASE)).toThrow(/wrong passphrase/);
    // Re-wrap only: the database key is the same.
    expect(unlockWithPassphrase(dir, 'a new passphrase').equals(keyBefore)).toBe(true);
    expect(checkCache(dir, 'a new passphrase')).toMatchObject({ ok: true, records: 300 });
    const cache = openCache(dir, { passphrase: 'a new passphrase' });
    expect(listCustody(cache.db, { actions: ['passphrase-changed'] })).toHaveLength(1);
    cache.close();
  });

  it('refuses a wrong old passphrase and changes nothing', () => {
    const dir = filled();
    const before = readFileSync(join(dir, 'keys.json'), 'utf8');
    expect(() => changeCachePassphrase(dir, 'nope', 'other', clock)).toThrow(/wrong passphrase/);
    expect(readFileSync(join(dir, 'keys.json'), 'utf8')).toBe(before);
  });

  it('rekey re-encrypts under a new key, keeps every record and the chain, and the old key stops working', () => {
    const dir = filled();
    const oldKey = unlockWithPassphrase(dir, TEST_PASSPHRASE);
    const result = rekeyCache(dir, TEST_PASSPHRASE, clock);
    expect(result).toEqual({ records: 300, droppedWrappers: [] });
    const newKey = unlockWithPassphrase(dir, TEST_PASSPHRASE);
    expect(newKey.equals(oldKey)).toBe(false);
    expect(checkCache(dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: 300 });
    expect(() => openCache(dir, { key: oldKey })).toThrow(/cannot be read with its key/);
    const cache = openCache(dir, { passphrase: TEST_PASSPHRASE });
    expect(listCustody(cache.db, { actions: ['cache-rekeyed'] })).toHaveLength(1);
    expect(verifyCustodyChain(cache.db).ok).toBe(true);
    // The writer is back in WAL mode and still appends.
    expect(cache.db.pragma('journal_mode', { simple: true })).toBe('wal');
    insertEntries(cache, makeEntries(300, 5), null, { now: 1_763_000_100 });
    cache.close();
    expect(checkCache(dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: 305 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a rekey interrupted after staging is settled on the key that opens the database', () => {
    const dir = filled();
    const oldKey = unlockWithPassphrase(dir, TEST_PASSPHRASE);
    // Crash before the database changed: the pending key is dropped.
    stagePendingKey(dir, TEST_PASSPHRASE, Buffer.alloc(32, 7), TEST_SCRYPT);
    expect(recoverInterruptedRekey(dir, TEST_PASSPHRASE)).toBe('undone');
    expect(unlockWithPassphrase(dir, TEST_PASSPHRASE).equals(oldKey)).toBe(true);
    expect(recoverInterruptedRekey(dir, TEST_PASSPHRASE)).toBe('none');

    // Crash after the database changed but before keys.json was promoted: the new key is kept.
    const newKey = Buffer.alloc(32, 9);
    stagePendingKey(dir, TEST_PASSPHRASE, newKey, TEST_SCRYPT);
    const cache = openCache(dir, { key: oldKey });
    cache.db.pragma('wal_checkpoint(TRUNCATE)');
    cache.db.pragma('journal_mode = DELETE');
    cache.db.pragma(`rekey = "x'${newKey.toString('hex')}'"`);
    cache.close();
    expect(recoverInterruptedRekey(dir, TEST_PASSPHRASE)).toBe('finished');
    expect(unlockWithPassphrase(dir, TEST_PASSPHRASE).equals(newKey)).toBe(true);
    expect(checkCache(dir, TEST_PASSPHRASE)).toMatchObject({ ok: true, records: 300 });
    expect(promotePendingKey(dir)).toEqual([]);
  });
});
