import type Database from 'better-sqlite3-multiple-ciphers';
import { generateSigningKey } from './keys';

/**
 * The cache's own Ed25519 signing keys, stored in its encrypted database (migration 004). The
 * private key never leaves the database except into the signer; retiring a key erases its private
 * half and keeps its public half, so every package signed before a rotation stays verifiable.
 */
export interface StoredSigningKey {
  fingerprint: string;
  privatePem: string;
  publicPem: string;
  /** Unix seconds. */
  createdAt: number;
}

export interface PublicKeyInfo {
  fingerprint: string;
  publicPem: string;
  createdAt: number;
  /** Unix seconds; null for the active key. */
  retiredAt: number | null;
}

interface KeyRow {
  id: string;
  private_pem: string | null;
  public_pem: string;
  created_at: number;
  retired_at: number | null;
}

/** The active key, created on first use (on the writer connection). `now` is Unix seconds. */
export function activeSigningKey(db: Database.Database, now: number): StoredSigningKey {
  return db
    .transaction(() => {
      const existing = readActive(db);
      return existing ?? insertNewKey(db, now);
    })
    .immediate();
}

/** The active key without creating one (works on a read-only connection); null before first use. */
export function findActiveSigningKey(db: Database.Database): StoredSigningKey | null {
  return readActive(db);
}

/** Retires the active key (erasing its private half) and makes a new one, in one transaction. */
export function rotateSigningKey(db: Database.Database, now: number): { retired: PublicKeyInfo | null; active: StoredSigningKey } {
  return db
    .transaction(() => {
      const old = readActive(db);
      if (old) db.prepare('UPDATE signing_keys SET retired_at = ?, private_pem = NULL WHERE id = ?').run(now, old.fingerprint);
      const active = insertNewKey(db, now);
      const retired = old ? { fingerprint: old.fingerprint, publicPem: old.publicPem, createdAt: old.createdAt, retiredAt: now } : null;
      return { retired, active };
    })
    .immediate();
}

/** Every key this cache ever had, newest first; the active one (if any) has retiredAt null. */
export function publicKeys(db: Database.Database): PublicKeyInfo[] {
  const rows = db.prepare('SELECT id, public_pem, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, rowid DESC').all() as KeyRow[];
  return rows.map((row) => ({ fingerprint: row.id, publicPem: row.public_pem, createdAt: row.created_at, retiredAt: row.retired_at }));
}

function readActive(db: Database.Database): StoredSigningKey | null {
  const row = db.prepare('SELECT id, private_pem, public_pem, created_at, retired_at FROM signing_keys WHERE retired_at IS NULL').get() as KeyRow | undefined;
  if (!row || row.private_pem === null) return null;
  return { fingerprint: row.id, privatePem: row.private_pem, publicPem: row.public_pem, createdAt: row.created_at };
}

function insertNewKey(db: Database.Database, now: number): StoredSigningKey {
  const key = generateSigningKey();
  db.prepare('INSERT INTO signing_keys (id, private_pem, public_pem, created_at, retired_at) VALUES (?, ?, ?, ?, NULL)').run(
    key.fingerprint,
    key.privatePem,
    key.publicPem,
    now,
  );
  return { fingerprint: key.fingerprint, privatePem: key.privatePem, publicPem: key.publicPem, createdAt: now };
}
