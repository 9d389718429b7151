import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { appendCustody } from '../custody/custody-log';
import { cacheDbPath } from './cache';
import { NEW_CACHE_CIPHER, openEncryptedDb } from './connection';
import { CacheError } from './errors';
import { rerecordFileSalt } from './file-header';
import { DEFAULT_SCRYPT, RAW_KEY_BYTES, dropPendingKey, promotePendingKey, stagePendingKey, unlockPendingKey, unlockWithPassphrase, type ScryptParams } from './keys';

export interface RekeyOptions {
  /** Unix seconds, for the custody entry. */
  now: () => number;
  /** Who asked (custody actor). */
  actor: string;
  scrypt?: ScryptParams;
}

export interface RekeyResult {
  /** Records in the database after the rekey (same as before). */
  records: number;
  /** Other key wrappers (e.g. safeStorage) that held the old key and were removed: wrap the new key again. */
  droppedWrappers: string[];
}

/**
 * Re-encrypts the whole database under a new random key and wraps that key with the same
 * passphrase. Every connection to the cache must be closed first (every page is rewritten).
 *
 * Nothing is lost on a failure: the new key is first staged in keys.json beside the old one, the
 * database switches keys in one transaction, and only then does keys.json drop the old
 * key. A crash in between leaves both keys in keys.json; recoverInterruptedRekey settles on the one
 * that opens the database.
 */
export function rekeyCache(dir: string, passphrase: string, options: RekeyOptions): RekeyResult {
  recoverInterruptedRekey(dir, passphrase);
  const oldKey = unlockWithPassphrase(dir, passphrase);
  const newKey = randomBytes(RAW_KEY_BYTES);
  const db = openEncryptedDb(cacheDbPath(dir), oldKey, { readonly: false, create: false });
  let records: number;
  try {
    records = countRecords(db);
    // The cipher cannot rekey in WAL mode: fold the WAL into the database and leave WAL for the
    // rekey, so every page is rewritten in the main file under one rollback journal.
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    stagePendingKey(dir, passphrase, newKey, options.scrypt ?? DEFAULT_SCRYPT);
    try {
      // Every page is rewritten anyway, so a cache still in SQLCipher's format moves to the
      // faster cipher new caches use (see connection.ts).
      db.pragma(`cipher = '${NEW_CACHE_CIPHER}'`);
      db.pragma(`rekey = "x'${newKey.toString('hex')}'"`);
    } catch (error) {
      dropPendingKey(dir);
      throw new CacheError('damaged', `the cache could not be re-encrypted (${(error as Error).message}); it is unchanged and still opens with its passphrase`);
    }
  } finally {
    db.close();
  }
  // Prove the new key opens the database before keys.json forgets the old one.
  const check = openEncryptedDb(cacheDbPath(dir), newKey, { readonly: false, create: false });
  let droppedWrappers: string[];
  try {
    if (countRecords(check) !== records) throw new CacheError('damaged', 'the re-encrypted cache does not hold the same number of records; keys.json still has both keys — run rekey again');
    rerecordFileSalt(check);
    droppedWrappers = promotePendingKey(dir);
    appendCustody(check, { actor: options.actor, action: 'cache-rekeyed', details: { records }, at: options.now() });
  } finally {
    check.close();
  }
  return { records, droppedWrappers };
}

/**
 * Finishes or undoes a rekey that stopped between its steps: keeps whichever of the two keys opens
 * the database. Cheap and a no-op when no rekey was interrupted; call before opening a cache.
 */
export function recoverInterruptedRekey(dir: string, passphrase: string): 'none' | 'finished' | 'undone' {
  const pending = unlockPendingKey(dir, passphrase);
  if (!pending) return 'none';
  if (opensWith(dir, pending)) {
    // The rekey gave the file a new salt; the crash came before it was recorded.
    const db = openEncryptedDb(cacheDbPath(dir), pending, { readonly: false, create: false });
    try {
      rerecordFileSalt(db);
    } finally {
      db.close();
    }
    promotePendingKey(dir);
    return 'finished';
  }
  dropPendingKey(dir);
  return 'undone';
}

function opensWith(dir: string, key: Buffer): boolean {
  try {
    openEncryptedDb(cacheDbPath(dir), key, { readonly: true, create: false }).close();
    return true;
  } catch {
    return false;
  }
}

function countRecords(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM records').pluck().get() as number;
}
