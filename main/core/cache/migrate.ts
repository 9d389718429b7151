import type Database from 'better-sqlite3-multiple-ciphers';
import { CacheError } from './errors';
import { migrations as allMigrations, type Migration } from './migrations/index';

/** The schema version a cache is at, kept in SQLite's user_version. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings a cache's schema up to date, one transaction per step so a crash leaves it at a known
 * version. A cache written by a newer app version is refused rather than guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = allMigrations): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new CacheError('too_new', `this cache has schema version ${current}, newer than this app knows (${latest}); update the app`);
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}

export const LATEST_SCHEMA_VERSION = allMigrations[allMigrations.length - 1]!.version;
