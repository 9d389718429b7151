import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate, schemaVersion } from '../../../../main/core/cache/migrate';
import { migrations } from '../../../../main/core/cache/migrations/index';

describe('migration 002 (review tables)', () => {
  const upTo = (version: number) => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= version));
    return db;
  };

  it('adds findings, suppressions, annotations, annotation state and saved views', () => {
    const db = upTo(2);
    expect(schemaVersion(db)).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['findings', 'finding_records', 'suppressions', 'annotations', 'annotation_state', 'saved_views']));
  });

  it('keeps suppressions and annotations append-only', () => {
    const db = upTo(2);
    db.prepare("INSERT INTO suppressions (id, rule, match, reason, author, created_at) VALUES ('s1', 'off_hours', '{}', 'nightly job', 'jdoe', 1)").run();
    expect(() => db.prepare("UPDATE suppressions SET reason = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM suppressions').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO suppressions (id, rule, match, reason, author, created_at) VALUES ('s2', 'off_hours', '{}', '', 'jdoe', 1)").run()).toThrow(/CHECK/);

    db.prepare("INSERT INTO annotations (annotation_id, target_kind, target_id, kind, value, author, created_at) VALUES ('a1', 'record', 'r1', 'tag', 'q4', 'jdoe', 1)").run();
    expect(() => db.prepare("UPDATE annotations SET value = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM annotations').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO annotations (annotation_id, target_kind, target_id, kind, value, author, created_at) VALUES ('a2', 'elsewhere', 'r1', 'tag', 'q4', 'jdoe', 1)").run()).toThrow(/CHECK/);
  });
});
