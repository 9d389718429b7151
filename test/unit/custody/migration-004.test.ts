import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../main/core/cache/migrate';
import { migrations } from '../../../main/core/cache/migrations/index';
import { migration004 } from '../../../main/core/cache/migrations/004_custody_keys';

describe('migration 004 (signing keys and chain of custody)', () => {
  it('creates the tables, the one-active-key index and the append-only triggers', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(4);
    const names = (type: string) => db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[];
    expect(names('table')).toEqual(expect.arrayContaining(['signing_keys', 'custody', 'custody_state']));
    expect(names('index')).toEqual(expect.arrayContaining(['signing_keys_one_active', 'custody_action', 'custody_at']));
    expect(names('trigger')).toEqual(expect.arrayContaining(['signing_keys_only_retire', 'signing_keys_no_delete', 'custody_no_update', 'custody_no_delete']));
    expect(db.prepare('SELECT head, last_seq FROM custody_state').get()).toEqual({ head: '0'.repeat(64), last_seq: 0 });
    db.close();
  });

  it('is listed after the earlier migrations, in version order', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toContain(migration004.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('an active key must have its private half and a retired one must not', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(() => db.prepare("INSERT INTO signing_keys (id, private_pem, public_pem, created_at) VALUES ('a', NULL, 'p', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO signing_keys (id, private_pem, public_pem, created_at, retired_at) VALUES ('a', 'k', 'p', 1, 2)").run()).toThrow(/CHECK/);
    db.close();
  });
});
