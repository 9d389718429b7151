import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../main/core/cache/migrate';
import { migration001 } from '../../../../main/core/cache/migrations/001_initial';

describe('migration 001 (initial schema)', () => {
  it('creates every table, index and trigger and sets user_version 1', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [migration001])).toBe(1);
    expect(schemaVersion(db)).toBe(1);
    const names = (type: string) => (db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[]);
    expect(names('table')).toEqual(expect.arrayContaining(['records', 'records_fts', 'purge_flag', 'purges', 'purge_gaps', 'chain_state', 'sync_state', 'meta']));
    expect(names('index')).toEqual(
      expect.arrayContaining(['records_event_time', 'records_operator_time', 'records_event_type_time', 'records_resource_time', 'records_ip', 'records_status', 'records_source', 'records_token_name']),
    );
    expect(names('trigger')).toEqual(['records_fts_delete', 'records_fts_insert', 'records_no_delete', 'records_no_update']);
    expect(db.prepare('SELECT head, last_seq FROM chain_state').get()).toEqual({ head: '0'.repeat(64), last_seq: 0 });
    expect(db.prepare('SELECT synced_until FROM sync_state').get()).toEqual({ synced_until: null });
    db.close();
  });

  it('is applied once: re-running is a no-op, and a newer cache is refused', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001]);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    expect(migrate(db, [migration001])).toBe(1);
    expect(db.prepare('SELECT value FROM meta').pluck().get()).toBe('v');
    db.pragma('user_version = 7');
    expect(() => migrate(db, [migration001])).toThrow(expect.objectContaining({ kind: 'too_new' }));
    db.close();
  });

  it('rolls back a failing step without bumping the version', () => {
    const db = new Database(':memory:');
    const broken = { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE x (a); SELECT nonsense FROM nowhere;') };
    expect(() => migrate(db, [migration001, broken])).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'x'").pluck().get()).toBe(0);
    db.close();
  });
});
