import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/cache/migrate';
import { migration001 } from '../../../main/core/cache/migrations/001_initial';
import { migration002 } from '../../../main/core/cache/migrations/002_review';
import { migration003 } from '../../../main/core/cache/migrations/003_campaigns';

describe('migration 003 (annotation batches and campaigns)', () => {
  it('adds the batch and campaign tables on top of v2 and keeps existing annotations', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001, migration002]);
    db.prepare(
      `INSERT INTO annotations (annotation_id, target_kind, target_id, kind, value, author, created_at) VALUES ('c1', 'record', 'r-1', 'comment', 'kept', 'alice', 1)`,
    ).run();
    expect(migrate(db, [migration001, migration002, migration003])).toBe(3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['annotation_batches', 'annotation_batch_versions', 'campaigns']));
    expect(db.prepare('SELECT value FROM annotations').pluck().get()).toBe('kept');
    db.close();
  });

  it('batch membership is append-only, a batch is undone at most once, and a campaign period runs forward', () => {
    const db = new Database(':memory:');
    migrate(db, [migration001, migration002, migration003]);
    const batch = db.prepare(
      "INSERT INTO annotation_batches (id, action, value, target_kind, scope, author, created_at, total, undoes) VALUES (?, ?, 'x', 'record', '{}', 'alice', 1, 1, ?)",
    );
    batch.run('b1', 'addTag', null);
    batch.run('u1', 'undo', 'b1');
    expect(() => batch.run('u2', 'undo', 'b1')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO annotation_batch_versions (batch_id, version_id) VALUES ('b1', 1)").run();
    expect(() => db.prepare('DELETE FROM annotation_batch_versions').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE annotation_batch_versions SET version_id = 2').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO campaigns (id, name, scope_filter, scope_text, period_from, period_to, reviewers, created_by, created_at, updated_at) VALUES ('c', 'n', '{}', '', 10, 5, '[]', 'a', 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
