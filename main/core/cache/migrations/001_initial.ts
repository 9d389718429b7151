import type { Migration } from './migration';

/**
 * Schema v1 — the audit records, their search index, the sync cursor and the chain bookkeeping.
 *
 * records — one row per audit entry, never updated; deleted only by the retention purge.
 *   seq               INTEGER PK AUTOINCREMENT: insertion order (the hash chain's order). Never reused,
 *                     even after a purge removed the highest rows.
 *   id                the gateway's entry id (UNIQUE: sync and import de-duplicate on it).
 *   event_time        Unix seconds UTC, as the gateway sends it.
 *   operator_id, operator_username, operator_email  from entry.operator.
 *   operator_name     "first_name last_name", trimmed ('' when neither is known).
 *   source            'dashboard' | 'api' | whatever the gateway sent ('' when absent).
 *   token_name, event_type, resource_id, resource_name, gateway_group_id, ip_address, error_message
 *                     the entry's fields ('' when absent; never NULL).
 *   http_method, http_uri, user_agent   from entry.http_request.
 *   status_code       INTEGER, entry.http_response.status_code (0 when absent).
 *   request_body, response_body   canonical JSON of the (masked) bodies, NULL when absent. Kept as
 *                     columns so the FTS index below can be external-content.
 *   failed            1 when status_code >= 400 or error_message is set (records/entry.ts isFailed).
 *   canonical         canonicalJson of the validated entry after secret masking: THE stored record.
 *   sha256            sha256 hex of `canonical`.
 *   prev_hash         chain_hash of the previous record in seq order (CHAIN_GENESIS for the first, or
 *                     a purge checkpoint; see purge_gaps).
 *   chain_hash        sha256(prev_hash ‖ sha256) — records/canonical.ts chainHash.
 *   synced_at         Unix seconds when this machine stored the row.
 *   warnings          JSON array of strings about this record (e.g. "secret masked on ingest"), or NULL.
 *   Indexes: event_time; (operator_id,event_time); (event_type,event_time); (resource_id,event_time);
 *   ip_address; status_code; source; token_name.
 *
 * records_fts — FTS5, external content on records (rowid = seq) over operator_username,
 *   operator_email, event_type, resource_id, resource_name, ip_address, http_uri, error_message,
 *   request_body, response_body. Kept in step by triggers (insert, and delete during a purge).
 *
 * purge_flag — holds one row only while purgeOlderThan runs; the triggers that abort UPDATE/DELETE
 *   on records let a DELETE through only then. UPDATE is never allowed.
 *
 * purges — what each retention purge removed: purged_at, cutoff (records with event_time < cutoff),
 *   reason, removed count, min/max seq and min/max event_time of the removed rows, checkpoint_hash =
 *   chain_hash of the last removed record (by seq).
 *
 * purge_gaps — lets the chain stay verifiable across holes a purge leaves: after_seq is the last
 *   surviving seq before a hole (0 when the hole starts at the beginning) and resumes_from is the
 *   chain_hash of the last removed record of that hole, i.e. what the next surviving record's
 *   prev_hash (or chain_state.head, when nothing survives after the hole) must equal.
 *
 * chain_state — single row (id = 1): head = chain_hash of the last record ever inserted, last_seq =
 *   its seq. Updated in the same transaction as every insert; `check` compares it with the last row,
 *   so cutting rows off the end is detected.
 *
 * sync_state — single row (id = 1), the sync cursor, committed with each page of records:
 *   synced_until      last end_at (inclusive, Unix seconds) of a fully synced window; NULL before the
 *                     first complete window.
 *   window_start, window_end  the window in progress (NULL between windows).
 *   window_next_page  next page (from 1) of that window to fetch.
 *   window_total      `total` the gateway reported for that window when paging started; a different
 *                     total on resume means the window shifted, and it is re-paged from page 1.
 *   window_page_size  page size the gateway actually honoured for that window (it may cap ours).
 *   gateway_total     total the gateway reported for the whole range of the last sync.
 *   last_sync_started_at, last_sync_completed_at   Unix seconds.
 *
 * meta — key/value text: gateway_url, user_id, username, created_at, origin ('sync' or
 *   'import:<file>'), access_revoked (JSON {reason, at}) and whatever later features need.
 *
 * Later migrations add annotations, suppressions, custody and signing keys.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        event_time INTEGER NOT NULL,
        operator_id TEXT NOT NULL,
        operator_username TEXT NOT NULL,
        operator_email TEXT NOT NULL,
        operator_name TEXT NOT NULL,
        source TEXT NOT NULL,
        token_name TEXT NOT NULL,
        event_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_name TEXT NOT NULL,
        gateway_group_id TEXT NOT NULL,
        ip_address TEXT NOT NULL,
        error_message TEXT NOT NULL,
        http_method TEXT NOT NULL,
        http_uri TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        user_agent TEXT NOT NULL,
        request_body TEXT,
        response_body TEXT,
        failed INTEGER NOT NULL CHECK (failed IN (0, 1)),
        canonical TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        chain_hash TEXT NOT NULL,
        synced_at INTEGER NOT NULL,
        warnings TEXT
      );
      CREATE INDEX records_event_time ON records (event_time);
      CREATE INDEX records_operator_time ON records (operator_id, event_time);
      CREATE INDEX records_event_type_time ON records (event_type, event_time);
      CREATE INDEX records_resource_time ON records (resource_id, event_time);
      CREATE INDEX records_ip ON records (ip_address);
      CREATE INDEX records_status ON records (status_code);
      CREATE INDEX records_source ON records (source);
      CREATE INDEX records_token_name ON records (token_name);

      CREATE VIRTUAL TABLE records_fts USING fts5 (
        operator_username, operator_email, event_type, resource_id, resource_name,
        ip_address, http_uri, error_message, request_body, response_body,
        content = 'records', content_rowid = 'seq'
      );

      CREATE TABLE purge_flag (id INTEGER PRIMARY KEY CHECK (id = 1));

      CREATE TRIGGER records_fts_insert AFTER INSERT ON records BEGIN
        INSERT INTO records_fts (rowid, operator_username, operator_email, event_type, resource_id,
          resource_name, ip_address, http_uri, error_message, request_body, response_body)
        VALUES (new.seq, new.operator_username, new.operator_email, new.event_type, new.resource_id,
          new.resource_name, new.ip_address, new.http_uri, new.error_message, new.request_body,
          new.response_body);
      END;

      CREATE TRIGGER records_no_update BEFORE UPDATE ON records BEGIN
        SELECT RAISE(ABORT, 'audit records are read-only');
      END;

      CREATE TRIGGER records_no_delete BEFORE DELETE ON records
      WHEN NOT EXISTS (SELECT 1 FROM purge_flag) BEGIN
        SELECT RAISE(ABORT, 'audit records are read-only; only the retention purge removes them');
      END;

      CREATE TRIGGER records_fts_delete AFTER DELETE ON records BEGIN
        INSERT INTO records_fts (records_fts, rowid, operator_username, operator_email, event_type,
          resource_id, resource_name, ip_address, http_uri, error_message, request_body, response_body)
        VALUES ('delete', old.seq, old.operator_username, old.operator_email, old.event_type,
          old.resource_id, old.resource_name, old.ip_address, old.http_uri, old.error_message,
          old.request_body, old.response_body);
      END;

      CREATE TABLE purges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        purged_at INTEGER NOT NULL,
        cutoff INTEGER NOT NULL,
        reason TEXT NOT NULL,
        removed INTEGER NOT NULL,
        min_seq INTEGER,
        max_seq INTEGER,
        min_event_time INTEGER,
        max_event_time INTEGER,
        checkpoint_hash TEXT
      );

      CREATE TABLE purge_gaps (
        after_seq INTEGER PRIMARY KEY,
        resumes_from TEXT NOT NULL,
        purge_id INTEGER NOT NULL REFERENCES purges (id)
      );

      CREATE TABLE chain_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        head TEXT NOT NULL,
        last_seq INTEGER NOT NULL
      );
      INSERT INTO chain_state (id, head, last_seq) VALUES (1, '${'0'.repeat(64)}', 0);

      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        synced_until INTEGER,
        window_start INTEGER,
        window_end INTEGER,
        window_next_page INTEGER,
        window_total INTEGER,
        window_page_size INTEGER,
        gateway_total INTEGER,
        last_sync_started_at INTEGER,
        last_sync_completed_at INTEGER
      );
      INSERT INTO sync_state (id) VALUES (1);

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  },
};
