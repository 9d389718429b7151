import type Database from 'better-sqlite3-multiple-ciphers';
import type { StoredFindingRow } from './store';

/** Read side of stored findings, for the findings panel, the detail panel and exports. */
export interface FindingView {
  id: string;
  rule: string;
  severity: 'low' | 'medium' | 'high';
  operator_id: string;
  operator: string;
  first_event_time: number;
  last_event_time: number;
  explanation: string;
  evidence: Record<string, unknown>;
  record_count: number;
  suppressed: boolean;
  suppression_id: string | null;
}

function toView(row: StoredFindingRow): FindingView {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity as FindingView['severity'],
    operator_id: row.operator_id,
    operator: row.operator,
    first_event_time: row.first_event_time,
    last_event_time: row.last_event_time,
    explanation: row.explanation,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
    record_count: row.record_count,
    suppressed: row.suppressed === 1,
    suppression_id: row.suppression_id,
  };
}

const SEVERITY_RANK = "CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END";

/** Counts per rule and severity (the findings panel's groups). */
export function findingSummary(db: Database.Database): { rule: string; severity: string; count: number; suppressed: number }[] {
  return db
    .prepare(
      `SELECT rule, severity, sum(suppressed = 0) AS count, sum(suppressed = 1) AS suppressed
         FROM findings GROUP BY rule, severity ORDER BY ${SEVERITY_RANK} DESC, count DESC, rule`,
    )
    .all() as { rule: string; severity: string; count: number; suppressed: number }[];
}

export function listFindings(
  db: Database.Database,
  options: { rule?: string; severity?: string; suppressed?: boolean; offset?: number; limit?: number },
): { total: number; findings: FindingView[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.rule) {
    where.push('rule = ?');
    params.push(options.rule);
  }
  if (options.severity) {
    where.push('severity = ?');
    params.push(options.severity);
  }
  if (options.suppressed !== undefined) where.push(options.suppressed ? 'suppressed = 1' : 'suppressed = 0');
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM findings ${clause}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM findings ${clause} ORDER BY ${SEVERITY_RANK} DESC, first_event_time DESC, id LIMIT ? OFFSET ?`)
    .all(...params, options.limit ?? 200, options.offset ?? 0) as StoredFindingRow[];
  return { total, findings: rows.map(toView) };
}

export function findingsForRecord(db: Database.Database, recordId: string): FindingView[] {
  return (
    db
      .prepare(
        `SELECT f.* FROM findings f JOIN finding_records fr ON fr.finding_id = f.id JOIN records r ON r.seq = fr.record_seq
          WHERE r.id = ? ORDER BY ${SEVERITY_RANK} DESC, f.first_event_time`,
      )
      .all(recordId) as StoredFindingRow[]
  ).map(toView);
}

export function getFinding(db: Database.Database, id: string): (FindingView & { record_ids: string[] }) | null {
  const row = db.prepare('SELECT * FROM findings WHERE id = ?').get(id) as StoredFindingRow | undefined;
  if (!row) return null;
  const recordIds = db
    .prepare('SELECT r.id FROM finding_records fr JOIN records r ON r.seq = fr.record_seq WHERE fr.finding_id = ? ORDER BY r.event_time, r.seq')
    .pluck()
    .all(id) as string[];
  return { ...toView(row), record_ids: recordIds };
}

/** Every finding with its record ids, for exports (suppressed ones included and marked). */
export function* findingsForExport(db: Database.Database): Generator<FindingView & { record_ids: string[] }> {
  for (const row of db.prepare('SELECT id FROM findings ORDER BY first_event_time, id').pluck().iterate() as IterableIterator<string>) {
    const finding = getFinding(db, row);
    if (finding) yield finding;
  }
}
