import type Database from 'better-sqlite3-multiple-ciphers';

/** Key/value facts about a cache (see the schema doc in migrations/001_initial.ts). */
export function getMeta(db: Database.Database, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: Database.Database, key: string): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}

/** Set by sync when the gateway answers 403: the account lost the right to read audit logs. */
export interface AccessRevoked {
  reason: string;
  /** Unix seconds. */
  at: number;
}

export function markAccessRevoked(db: Database.Database, revoked: AccessRevoked): void {
  setMeta(db, 'access_revoked', JSON.stringify(revoked));
}

export function accessRevoked(db: Database.Database): AccessRevoked | null {
  const value = getMeta(db, 'access_revoked');
  return value === undefined ? null : (JSON.parse(value) as AccessRevoked);
}
