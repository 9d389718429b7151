import type Database from 'better-sqlite3-multiple-ciphers';
import type { StoredFindingRow } from '../anomalies/store';

/**
 * What goes beside the records in a package built from the cache: the findings that cover any
 * exported record, and which exported records are annotated. Both are read with the same WHERE
 * clause as the records (over `records r`), so they describe exactly the scope.
 */
export interface ScopeSql {
  where: string;
  params: unknown[];
}

export interface ExportedFinding {
  id: string;
  rule: string;
  severity: string;
  operator_id: string;
  operator: string;
  first_event_time: number;
  last_event_time: number;
  explanation: string;
  evidence: unknown;
  /** Records the finding covers in the whole cache. */
  record_count: number;
  /** The covered records that are in this package, in event_time order. */
  record_ids: string[];
  suppressed: boolean;
  suppression: { id: string; reason: string; author: string; created_at: number; expires_at: number | null } | null;
  detected_at: number;
}

/** A stored finding joined with the suppression that marks it (if any). */
interface FindingRow extends StoredFindingRow {
  s_reason: string | null;
  s_author: string | null;
  s_created_at: number | null;
  s_expires_at: number | null;
}

export function findingsInScope(db: Database.Database, scope: ScopeSql): ExportedFinding[] {
  const rows = db
    .prepare(
      `SELECT f.*, s.reason AS s_reason, s.author AS s_author, s.created_at AS s_created_at, s.expires_at AS s_expires_at
         FROM findings f LEFT JOIN suppressions s ON s.id = f.suppression_id
        WHERE f.id IN (SELECT fr.finding_id FROM finding_records fr JOIN records r ON r.seq = fr.record_seq WHERE ${scope.where})
        ORDER BY f.first_event_time, f.id`,
    )
    .all(...scope.params) as FindingRow[];
  const recordIds = db.prepare(
    `SELECT r.id FROM finding_records fr JOIN records r ON r.seq = fr.record_seq
      WHERE fr.finding_id = ? AND (${scope.where}) ORDER BY r.event_time, r.seq`,
  ).pluck();
  return rows.map((row) => ({
    id: row.id,
    rule: row.rule,
    severity: row.severity,
    operator_id: row.operator_id,
    operator: row.operator,
    first_event_time: row.first_event_time,
    last_event_time: row.last_event_time,
    explanation: row.explanation,
    evidence: parseJson(row.evidence),
    record_count: row.record_count,
    record_ids: recordIds.all(row.id, ...scope.params) as string[],
    suppressed: row.suppressed === 1,
    suppression:
      row.suppression_id === null
        ? null
        : { id: row.suppression_id, reason: row.s_reason ?? '', author: row.s_author ?? '', created_at: row.s_created_at ?? 0, expires_at: row.s_expires_at },
    detected_at: row.detected_at,
  }));
}

/**
 * Ids of the exported records that carry annotations. Only these are handed to the annotations
 * module, so a million-record export does not build a million-id list just to find a few notes.
 */
export function annotatedRecordIdsInScope(db: Database.Database, scope: ScopeSql): string[] {
  return db
    .prepare(
      `SELECT DISTINCT a.target_id FROM annotations a
        WHERE a.target_kind = 'record' AND a.target_id IN (SELECT r.id FROM records r WHERE ${scope.where})`,
    )
    .pluck()
    .all(...scope.params) as string[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
