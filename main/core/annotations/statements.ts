import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * The prepared statements every annotation write uses, prepared once per connection: a bulk action
 * runs them hundreds of thousands of times, and preparing is the costly part of a small statement.
 */
function prepareAll(db: Database.Database) {
  return {
    latestVersion: db.prepare('SELECT max(version_id) FROM annotations WHERE annotation_id = ?').pluck(),
    versionById: db.prepare('SELECT * FROM annotations WHERE version_id = ?'),
    insertVersion: db.prepare(
      `INSERT INTO annotations (annotation_id, target_kind, target_id, kind, value, author, created_at, prev_version, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    stateById: db.prepare('SELECT * FROM annotation_state WHERE annotation_id = ?'),
    upsertState: db.prepare(
      `INSERT INTO annotation_state (annotation_id, target_kind, target_id, kind, value, author, updated_at, version_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (annotation_id) DO UPDATE SET value = excluded.value, author = excluded.author,
         updated_at = excluded.updated_at, version_id = excluded.version_id`,
    ),
    deleteState: db.prepare('DELETE FROM annotation_state WHERE annotation_id = ?'),
    recordExists: db.prepare('SELECT 1 FROM records WHERE id = ?').pluck(),
    findingExists: db.prepare('SELECT 1 FROM findings WHERE id = ?').pluck(),
    insertBatchVersion: db.prepare('INSERT INTO annotation_batch_versions (batch_id, version_id) VALUES (?, ?)'),
  };
}

export type AnnotationStatements = ReturnType<typeof prepareAll>;

const byConnection = new WeakMap<Database.Database, AnnotationStatements>();

export function statementsFor(db: Database.Database): AnnotationStatements {
  let statements = byConnection.get(db);
  if (!statements) {
    statements = prepareAll(db);
    byConnection.set(db, statements);
  }
  return statements;
}
