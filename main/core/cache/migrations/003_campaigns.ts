import type { Migration } from './migration';

/**
 * Schema v3 — bulk annotation batches (for progress and one-step undo) and review campaigns.
 *
 * annotation_batches — one row per bulk action (and per undo of one).
 *   id            random UUID.
 *   action        'addTag' | 'removeTag' | 'setStatus' | 'undo'.
 *   value         the tag or status the action applied ('' for an undo).
 *   reason        the reason given with a status change (also written as a comment per target), or NULL.
 *   target_kind   'record' | 'finding'.
 *   scope         JSON: {"filter": FilterModel} or {"ids": n} (how many ids were named), for the record.
 *   author, created_at (Unix seconds).
 *   total         targets selected; affected = versions written so far (a target already in the wanted
 *                 state writes none). Updated in the same transaction as each chunk, so it stays true
 *                 after a crash or a cancel.
 *   finished_at   NULL while running (or when interrupted); cancelled = 1 when stopped by the user.
 *   undoes        for an undo: the batch it reverses. UNIQUE, so a batch is undone at most once.
 *   Only affected/finished_at/cancelled ever change; the versions themselves live in `annotations`.
 *
 * annotation_batch_versions — which annotation versions a batch wrote (batch_id, version_id), so an
 *   undo can write compensating versions for exactly those. Append-only like `annotations`.
 *
 * campaigns — a review campaign: name, scope (scope_filter = FilterModel JSON, scope_text = the same in
 *   the filter language, as shown to people), period_from/period_to (inclusive Unix seconds; records
 *   are in scope when they match the filter AND fall in the period), reviewers (JSON array of
 *   usernames), created_by, created_at, updated_at, archived_at (NULL while active). Coverage is
 *   computed on demand from annotation_state, never stored, so it cannot go stale.
 *
 * No new index on annotation_state: one on (target_kind, kind, value) looks useful for coverage, but
 * without ANALYZE the planner then prefers it over (target_kind, target_id, kind) inside the query
 * layer's per-record EXISTS filters, and `tag:x` over 30k records went from milliseconds to 40 s.
 */
export const migration003: Migration = {
  version: 3,
  name: 'campaigns',
  up(db) {
    db.exec(`
      CREATE TABLE annotation_batches (
        id TEXT PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('addTag', 'removeTag', 'setStatus', 'undo')),
        value TEXT NOT NULL,
        reason TEXT,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('record', 'finding')),
        scope TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        total INTEGER NOT NULL,
        affected INTEGER NOT NULL DEFAULT 0,
        finished_at INTEGER,
        cancelled INTEGER NOT NULL DEFAULT 0,
        undoes TEXT UNIQUE REFERENCES annotation_batches (id)
      );
      CREATE INDEX annotation_batches_time ON annotation_batches (created_at);

      CREATE TABLE annotation_batch_versions (
        batch_id TEXT NOT NULL,
        version_id INTEGER NOT NULL,
        PRIMARY KEY (batch_id, version_id)
      ) WITHOUT ROWID;
      CREATE TRIGGER annotation_batch_versions_no_update BEFORE UPDATE ON annotation_batch_versions
        BEGIN SELECT RAISE(ABORT, 'annotation batches are append-only'); END;
      CREATE TRIGGER annotation_batch_versions_no_delete BEFORE DELETE ON annotation_batch_versions
        BEGIN SELECT RAISE(ABORT, 'annotation batches are append-only'); END;

      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scope_filter TEXT NOT NULL,
        scope_text TEXT NOT NULL,
        period_from INTEGER NOT NULL,
        period_to INTEGER NOT NULL CHECK (period_to >= period_from),
        reviewers TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        archived_at INTEGER
      );
    `);
  },
};
