import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../../main/core/cache/migrate';

/** An in-memory database at the latest schema (the custody and key tables need nothing else). */
export function freshDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  return db;
}
