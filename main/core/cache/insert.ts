import type Database from 'better-sqlite3-multiple-ciphers';
import { chainHash } from '../records/canonical';
import type { AuditEntry } from '../records/entry';
import type { Cache } from './cache';
import { readChainHead } from './chain-state';
import { createSummaryBatch } from './summaries';
import { entryToRow, type RecordRow } from './record-row';
import { writeSyncCursor, type CursorUpdate } from './sync-state';

export interface InsertResult {
  /** Rows actually added (new ids). */
  inserted: number;
  /** Entries skipped because their id was already stored (or repeated in the batch). */
  duplicates: number;
  /** chain_hash of the last stored record after this call. */
  head: string;
}

export interface InsertOptions {
  /** Unix seconds stored as synced_at; injected for tests. */
  now?: number;
  /** Extra warnings stored with every row of this batch (e.g. import provenance issues). */
  warnings?: readonly string[];
}

/** Column order of the insert; the values array is built in the same order (no per-row objects). */
const COLUMNS = [
  'id', 'event_time', 'operator_id', 'operator_username', 'operator_email', 'operator_name', 'source',
  'token_name', 'event_type', 'resource_id', 'resource_name', 'gateway_group_id', 'ip_address',
  'error_message', 'http_method', 'http_uri', 'status_code', 'user_agent', 'request_body',
  'response_body', 'failed', 'canonical', 'sha256', 'prev_hash', 'chain_hash', 'synced_at', 'warnings',
] as const;

const INSERT_SQL = `INSERT OR IGNORE INTO records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

/** The columns records_fts indexes (migration 001), in its column order. */
export const FTS_COLUMNS = 'operator_username, operator_email, event_type, resource_id, resource_name, ip_address, http_uri, error_message, request_body, response_body';

/**
 * Indexes the rows this transaction added, in one statement (migration 006: a per-row trigger cost
 * about a quarter of the insert). seq only grows and nobody else writes inside the transaction, so
 * `seq >= first` is exactly the new rows.
 */
const FTS_CATCH_UP_SQL = `INSERT INTO records_fts (rowid, ${FTS_COLUMNS}) SELECT seq, ${FTS_COLUMNS} FROM records WHERE seq >= ?`;

/** Prepared statements are per connection; keep them with it so a batch does not re-prepare. */
const statements = new WeakMap<Database.Database, { insert: Database.Statement; indexText: Database.Statement; head: Database.Statement }>();

function prepared(db: Database.Database) {
  let s = statements.get(db);
  if (!s) {
    s = {
      insert: db.prepare(INSERT_SQL),
      indexText: db.prepare(FTS_CATCH_UP_SQL),
      head: db.prepare('UPDATE chain_state SET head = ?, last_seq = ? WHERE id = 1'),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Stores entries and the cursor that describes them in ONE transaction: after a crash either both
 * are there or neither is. Entries whose id is already stored are skipped, and the hash chain only
 * advances over rows actually inserted, so re-fetching a page is harmless.
 */
export function insertEntries(cache: Pick<Cache, 'db'>, entries: readonly AuditEntry[], cursorUpdate: CursorUpdate | null, options: InsertOptions = {}): InsertResult {
  // Hashing and masking happen before the transaction so the write lock is held only for SQL.
  const rows = entries.map((entry) => entryToRow(entry, options.warnings));
  return insertRows(cache.db, rows, cursorUpdate, options.now ?? Math.floor(Date.now() / 1000));
}

export function insertRows(db: Database.Database, rows: readonly RecordRow[], cursorUpdate: CursorUpdate | null, syncedAt: number): InsertResult {
  const s = prepared(db);
  return db.transaction(() => {
    let { head, lastSeq } = readChainHead(db);
    let inserted = 0;
    let firstSeq = 0;
    const summaries = createSummaryBatch(db);
    for (const row of rows) {
      const link = chainHash(head, row.sha256);
      const info = s.insert.run(
        row.id, row.event_time, row.operator_id, row.operator_username, row.operator_email, row.operator_name,
        row.source, row.token_name, row.event_type, row.resource_id, row.resource_name, row.gateway_group_id,
        row.ip_address, row.error_message, row.http_method, row.http_uri, row.status_code, row.user_agent,
        row.request_body, row.response_body, row.failed, row.canonical, row.sha256, head, link, syncedAt, row.warnings,
      );
      if (info.changes === 1) {
        head = link;
        lastSeq = Number(info.lastInsertRowid);
        if (inserted === 0) firstSeq = lastSeq;
        inserted++;
        summaries.add(row);
      }
    }
    summaries.flush();
    if (inserted > 0) {
      s.indexText.run(firstSeq);
      s.head.run(head, lastSeq);
    }
    if (cursorUpdate) writeSyncCursor(db, cursorUpdate);
    return { inserted, duplicates: rows.length - inserted, head };
  }).immediate();
}
