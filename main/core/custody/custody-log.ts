import type Database from 'better-sqlite3-multiple-ciphers';
import { canonicalJson } from '../records/canonical';
import type { CustodyAction } from './actions';
import { custodyHash, type CustodyEntry } from './entry';

export interface NewCustodyEntry {
  actor: string;
  action: CustodyAction;
  details?: Record<string, unknown>;
  /** Unix seconds. */
  at: number;
}

interface StoredRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * Appends one entry to the chain (on the writer connection). The head is read and advanced in the
 * same IMMEDIATE transaction as the insert, so two writers can never fork the chain.
 */
export function appendCustody(db: Database.Database, entry: NewCustodyEntry): CustodyEntry {
  // Round-trip through canonical JSON so the stored, hashed and returned details are the same bytes.
  const details = JSON.parse(canonicalJson(entry.details ?? {})) as Record<string, unknown>;
  if (details === null || typeof details !== 'object' || Array.isArray(details)) throw new Error('custody details must be a JSON object');
  const append = db.transaction((): CustodyEntry => {
    const state = db.prepare('SELECT head, last_seq FROM custody_state WHERE id = 1').get() as { head: string; last_seq: number };
    const seq = state.last_seq + 1;
    const hash = custodyHash(state.head, { seq, at: entry.at, actor: entry.actor, action: entry.action, details });
    db.prepare('INSERT INTO custody (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      seq,
      entry.at,
      entry.actor,
      entry.action,
      canonicalJson(details),
      state.head,
      hash,
    );
    db.prepare('UPDATE custody_state SET head = ?, last_seq = ? WHERE id = 1').run(hash, seq);
    return { seq, at: entry.at, actor: entry.actor, action: entry.action, details, prev_hash: state.head, hash };
  }).immediate;
  return append();
}

export interface ListCustodyOptions {
  /** Only entries at or after this time (Unix seconds). */
  since?: number;
  /** Only these actions. */
  actions?: readonly CustodyAction[];
  /** Only entries with seq greater than this. */
  afterSeq?: number;
}

/** Entries in chain order (seq ascending). */
export function listCustody(db: Database.Database, options: ListCustodyOptions = {}): CustodyEntry[] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (options.since !== undefined) {
    clauses.push('at >= ?');
    params.push(options.since);
  }
  if (options.afterSeq !== undefined) {
    clauses.push('seq > ?');
    params.push(options.afterSeq);
  }
  if (options.actions) {
    if (options.actions.length === 0) return [];
    clauses.push(`action IN (${options.actions.map(() => '?').join(',')})`);
    params.push(...options.actions);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db.prepare(`SELECT seq, at, actor, action, details, prev_hash, hash FROM custody ${where} ORDER BY seq`).all(...params) as StoredRow[];
  return rows.map(toEntry);
}

export function toEntry(row: StoredRow): CustodyEntry {
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, details: JSON.parse(row.details) as Record<string, unknown>, prev_hash: row.prev_hash, hash: row.hash };
}

export type { StoredRow as CustodyRow };
