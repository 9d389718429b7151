import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openEncryptedDb } from './connection';
import { recordFileSalt } from './file-header';
import { CacheError } from './errors';
import { createCacheKey, hasKeyFile, unlockWithPassphrase, type ScryptParams } from './keys';
import { getMeta, setMeta } from './meta';
import { migrate } from './migrate';
import { DB_FILE, normalizeGatewayUrl } from './paths';

/** Who a cache belongs to. One cache per (gateway URL, user id). */
export interface CacheOwner {
  gatewayUrl: string;
  userId: string;
  username: string;
}

/** An open cache: the single writer connection plus what is needed to open readers. */
export interface Cache {
  readonly dir: string;
  /** The one write connection. Everything else should use openReader. */
  readonly db: Database.Database;
  /** The raw database key, for openReader in workers. Never log or persist it. */
  readonly key: Buffer;
  readonly owner: CacheOwner;
  close(): void;
}

export interface OpenCacheOptions {
  /** Unlocks the key from keys.json. Either this or `key`. */
  passphrase?: string;
  /** An already unwrapped key (e.g. from Electron safeStorage). */
  key?: Buffer;
  /**
   * Create the cache when the folder has none, owned by this account. When the cache exists, its
   * recorded owner must match or opening is refused.
   */
  create?: CacheOwner;
  /** Meta "origin" for a new cache: 'sync' (default) or 'import:<file>'. */
  origin?: string;
  /** For tests: cheaper scrypt parameters when creating. */
  scrypt?: ScryptParams;
  /** Injected clock (Unix seconds) for created_at. */
  now?: () => number;
}

export function cacheDbPath(dir: string): string {
  return join(dir, DB_FILE);
}

/** Opens (or, with `create`, makes) the cache in `dir` and brings its schema up to date. */
export function openCache(dir: string, options: OpenCacheOptions): Cache {
  const creating = !hasKeyFile(dir);
  if (creating && !options.create) {
    throw new CacheError('not_found', `no cache in ${dir}; run audit-review sync or import to create one`);
  }
  if (creating && existsSync(cacheDbPath(dir))) {
    throw new CacheError('damaged', `${dir} has a database but no key file; the cache cannot be unlocked — delete it and sync again`);
  }
  let key: Buffer;
  if (creating) {
    if (options.passphrase === undefined) throw new CacheError('wrong_passphrase', 'a passphrase is needed to create a cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    key = createCacheKey(dir, options.passphrase, options.scrypt);
  } else if (options.key) {
    key = options.key;
  } else if (options.passphrase !== undefined) {
    key = unlockWithPassphrase(dir, options.passphrase);
  } else {
    throw new CacheError('wrong_passphrase', 'the cache is locked; give its passphrase');
  }
  // A crash while creating can leave a key file without a database, or a database without its
  // owner recorded; with `create` given, both are simply finished now.
  const dbMissing = !existsSync(cacheDbPath(dir));
  if (dbMissing && !options.create) {
    throw new CacheError('not_found', `no cache database in ${dir}; run audit-review sync or import to create one`);
  }
  const db = openEncryptedDb(cacheDbPath(dir), key, { readonly: false, create: dbMissing });
  try {
    migrate(db);
    recordFileSalt(db);
    const recorded = readOwner(db);
    if (!recorded && !options.create) {
      throw new CacheError('damaged', `the cache in ${dir} does not record its owner; delete it and sync again`);
    }
    const owner = recorded ?? recordOwner(db, options.create!, options.origin ?? 'sync', options.now);
    if (recorded && options.create) requireSameOwner(recorded, options.create, dir);
    return {
      dir,
      db,
      key,
      owner,
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A read-only connection for queries; many may be open beside the writer. */
export function openReader(dir: string, key: Buffer): Database.Database {
  if (!existsSync(cacheDbPath(dir))) throw new CacheError('not_found', `no cache database in ${dir}`);
  return openEncryptedDb(cacheDbPath(dir), key, { readonly: true, create: false });
}

function recordOwner(db: Database.Database, owner: CacheOwner, origin: string, now = () => Math.floor(Date.now() / 1000)): CacheOwner {
  db.transaction(() => {
    setMeta(db, 'gateway_url', normalizeGatewayUrl(owner.gatewayUrl));
    setMeta(db, 'user_id', owner.userId);
    setMeta(db, 'username', owner.username);
    setMeta(db, 'origin', origin);
    setMeta(db, 'created_at', String(now()));
  }).immediate();
  return { ...owner, gatewayUrl: normalizeGatewayUrl(owner.gatewayUrl) };
}

function readOwner(db: Database.Database): CacheOwner | null {
  const gatewayUrl = getMeta(db, 'gateway_url');
  const userId = getMeta(db, 'user_id');
  if (gatewayUrl === undefined || userId === undefined) return null;
  return { gatewayUrl, userId, username: getMeta(db, 'username') ?? '' };
}

function requireSameOwner(actual: CacheOwner, wanted: CacheOwner, dir: string): void {
  if (actual.gatewayUrl !== normalizeGatewayUrl(wanted.gatewayUrl) || actual.userId !== wanted.userId) {
    throw new CacheError(
      'wrong_owner',
      `the cache in ${dir} belongs to ${actual.username || actual.userId} at ${actual.gatewayUrl}, not ${wanted.username || wanted.userId} at ${normalizeGatewayUrl(wanted.gatewayUrl)}; use that account or another --cache folder`,
    );
  }
}
