import Database from 'better-sqlite3-multiple-ciphers';
import { CacheError } from './errors';
import { RAW_KEY_BYTES } from './keys';

/**
 * Opens the SQLCipher database with a raw 256-bit key and proves the key works before anyone
 * uses the connection. The key file already told us the key is right (its check value), so a
 * failure to read the database here means the file itself is damaged or was swapped.
 */
export function openEncryptedDb(path: string, key: Buffer, options: { readonly: boolean; create: boolean }): Database.Database {
  if (key.length !== RAW_KEY_BYTES) throw new CacheError('wrong_passphrase', 'the cache key has the wrong length');
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly, fileMustExist: !options.create });
  } catch (error) {
    throw new CacheError('damaged', `cannot open the cache database ${path}: ${(error as Error).message}`);
  }
  try {
    db.pragma("cipher = 'sqlcipher'");
    // Raw key syntax: SQLCipher uses these bytes as the key directly, without PBKDF2.
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: a bulk sync rewrites the same
      // index and FTS pages many times, and each checkpoint copies (and fsyncs) them again.
      db.pragma('wal_autocheckpoint = 10000');
    }
    db.pragma('busy_timeout = 5000');
    // Keeps FTS and sort temp data in memory rather than in an unencrypted temp file.
    db.pragma('temp_store = MEMORY');
    // Index and FTS pages are decrypted on every read; a larger page cache keeps the hot ones.
    db.pragma(`cache_size = ${options.readonly ? -16384 : -65536}`);
  } catch (error) {
    db.close();
    throw new CacheError(
      'damaged',
      `the cache database ${path} cannot be read with its key (${(error as Error).message}); it is damaged or was replaced — run audit-review check, or delete the cache and sync again`,
    );
  }
  return db;
}
