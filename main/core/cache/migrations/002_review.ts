import type { Migration } from './migration';

/**
 * Schema v2 — what reviewers add next to the evidence. Audit records stay untouched.
 *
 * findings — anomaly findings of the last scan (derived data: a rescan replaces them). id is stable
 *   across rescans (rule + key + first record). evidence is JSON. suppressed = 1 when a suppression
 *   matched at scan time; suppression_id names it. record_count = number of finding_records rows.
 * finding_records — which records a finding covers (record_seq → records.seq).
 *
 * suppressions — append-only: a suppression is never edited; lifting one appends a row with
 *   lifts = <id of the suppression lifted>. match is JSON {operator_id?, ip?, event_type?, token_name?}.
 *
 * annotations — append-only history of reviewers' comments, tags and statuses. Every change is a
 *   new version (version_id) of an annotation (annotation_id) with its author, time and the
 *   previous version; a delete is a version with deleted = 1 (a tombstone).
 * annotation_state — the current value of every live annotation, kept in step with `annotations`
 *   in the same transaction; filters and the table read this, history reads `annotations`.
 *
 * saved_views — named filter + columns + sort (JSON definition).
 */
export const migration002: Migration = {
  version: 2,
  name: 'review',
  up(db) {
    db.exec(`
      CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        operator TEXT NOT NULL,
        first_event_time INTEGER NOT NULL,
        last_event_time INTEGER NOT NULL,
        explanation TEXT NOT NULL,
        evidence TEXT NOT NULL,
        record_count INTEGER NOT NULL,
        suppressed INTEGER NOT NULL DEFAULT 0,
        suppression_id TEXT,
        detected_at INTEGER NOT NULL
      );
      CREATE INDEX findings_rule ON findings(rule, severity);
      CREATE INDEX findings_time ON findings(first_event_time);

      CREATE TABLE finding_records (
        finding_id TEXT NOT NULL,
        record_seq INTEGER NOT NULL,
        PRIMARY KEY (finding_id, record_seq)
      ) WITHOUT ROWID;
      CREATE INDEX finding_records_seq ON finding_records(record_seq, finding_id);

      CREATE TABLE suppressions (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        match TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (length(reason) > 0),
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        lifts TEXT
      );
      CREATE TRIGGER suppressions_no_update BEFORE UPDATE ON suppressions
        BEGIN SELECT RAISE(ABORT, 'suppressions are append-only'); END;
      CREATE TRIGGER suppressions_no_delete BEFORE DELETE ON suppressions
        BEGIN SELECT RAISE(ABORT, 'suppressions are append-only'); END;

      CREATE TABLE annotations (
        version_id INTEGER PRIMARY KEY AUTOINCREMENT,
        annotation_id TEXT NOT NULL,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('record', 'finding')),
        target_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('comment', 'tag', 'status')),
        value TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        prev_version INTEGER,
        deleted INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX annotations_target ON annotations(target_kind, target_id, version_id);
      CREATE INDEX annotations_id ON annotations(annotation_id, version_id);
      CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only: add a new version'); END;
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only: add a tombstone version'); END;

      CREATE TABLE annotation_state (
        annotation_id TEXT PRIMARY KEY,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        author TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        version_id INTEGER NOT NULL
      );
      CREATE INDEX annotation_state_target ON annotation_state(target_kind, target_id, kind);
      CREATE INDEX annotation_state_value ON annotation_state(kind, value);

      CREATE TABLE saved_views (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
