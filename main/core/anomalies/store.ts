import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { getMeta, setMeta } from '../cache/meta';
import { appendCustody } from '../custody';
import { anomalyConfigSchema, resolveAnomalyConfig, type AnomalyConfigInput } from './config';
import type { Finding } from './finding';
import { scanCache, scanCacheIncremental } from './from-cache';
import type { ParallelReadOptions } from './seq-scan';
import { applySuppressions, suppressionSchema, type SuppressedFinding, type Suppression } from './suppressions';

/**
 * Findings, suppressions and scan state inside the encrypted cache. Findings are derived data (a
 * rescan replaces them by id); suppressions are append-only (lifting one appends a row); the
 * detector's snapshot lets the scan after a sync read only the new records.
 */
const SNAPSHOT_KEY = 'anomaly_snapshot';
const LAST_SEQ_KEY = 'anomaly_last_seq';
const CONFIG_KEY = 'anomaly_config';

export interface ScanSummary {
  mode: 'full' | 'snapshot' | 'replay';
  /** Findings written (new or grown) by this scan. */
  written: number;
  /** Of those, high-severity ones that are not suppressed (what live watch notifies about). */
  newHigh: SuppressedFinding[];
  /** Every finding written (new or grown), any severity, with its suppression mark. */
  findings: SuppressedFinding[];
  lastSeq: number;
  seconds: number;
}

export function readAnomalyConfig(db: Database.Database): AnomalyConfigInput {
  const saved = getMeta(db, CONFIG_KEY);
  return saved ? (JSON.parse(saved) as AnomalyConfigInput) : {};
}

/** Validates and stores thresholds; the next scan is a full one (old findings were judged by other rules). */
export function writeAnomalyConfig(db: Database.Database, input: AnomalyConfigInput): void {
  resolveAnomalyConfig(input);
  setMeta(db, CONFIG_KEY, JSON.stringify(anomalyConfigSchema.parse(input)));
  setMeta(db, LAST_SEQ_KEY, '0');
}

/**
 * Scans what is new since the last scan (or everything with `full`), stores findings, returns a
 * summary. With `parallel` (the cache key), a full scan of a large cache reads with threads.
 */
export function runAnomalyScan(db: Database.Database, options: { now: number; full?: boolean; parallel?: ParallelReadOptions }): ScanSummary {
  const started = performance.now();
  const config = readAnomalyConfig(db);
  const lastSeq = Number(getMeta(db, LAST_SEQ_KEY) ?? '0');
  const snapshotText = getMeta(db, SNAPSHOT_KEY);
  const full = options.full === true || lastSeq === 0;
  const result = full
    ? scanCache(db, { config, ...(options.parallel ? { parallel: options.parallel } : {}) })
    : scanCacheIncremental(db, lastSeq, { config, ...(snapshotText ? { snapshot: Buffer.from(snapshotText, 'base64') } : {}) });
  let marked: SuppressedFinding[] = [];
  db.transaction(() => {
    // Suppressions are read inside the write transaction: the scan may run on a thread of its own
    // while the app adds or lifts one, and findings must carry the marks as they are now.
    marked = applySuppressions(result.findings, loadSuppressions(db), options.now);
    if (full) {
      db.prepare('DELETE FROM finding_records').run();
      db.prepare('DELETE FROM findings').run();
    }
    saveFindings(db, marked, options.now);
    setMeta(db, SNAPSHOT_KEY, result.snapshot.toString('base64'));
    setMeta(db, LAST_SEQ_KEY, String(result.lastSeq));
  }).immediate();
  return {
    mode: result.mode,
    written: marked.length,
    newHigh: marked.filter((f) => f.severity === 'high' && f.suppressed === null),
    findings: marked,
    lastSeq: result.lastSeq,
    seconds: (performance.now() - started) / 1000,
  };
}

function saveFindings(db: Database.Database, findings: SuppressedFinding[], now: number): void {
  const upsert = db.prepare(
    `INSERT INTO findings (id, rule, severity, operator_id, operator, first_event_time, last_event_time, explanation, evidence, record_count, suppressed, suppression_id, detected_at)
     VALUES (@id, @rule, @severity, @operator_id, @operator, @first_event_time, @last_event_time, @explanation, @evidence, @record_count, @suppressed, @suppression_id, @detected_at)
     ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, last_event_time = excluded.last_event_time, explanation = excluded.explanation,
       evidence = excluded.evidence, record_count = excluded.record_count, suppressed = excluded.suppressed, suppression_id = excluded.suppression_id`,
  );
  const link = db.prepare('INSERT OR IGNORE INTO finding_records (finding_id, record_seq) SELECT ?, seq FROM records WHERE id = ?');
  for (const f of findings) {
    upsert.run({
      id: f.id,
      rule: f.rule,
      severity: f.severity,
      operator_id: f.operator_id,
      operator: f.operator,
      first_event_time: f.first_event_time,
      last_event_time: f.last_event_time,
      explanation: f.explanation,
      evidence: JSON.stringify(f.evidence),
      record_count: f.record_ids.length,
      suppressed: f.suppressed ? 1 : 0,
      suppression_id: f.suppressed?.id ?? null,
      detected_at: now,
    });
    for (const recordId of f.record_ids) link.run(f.id, recordId);
  }
}

/** Suppressions in force: every added one that no later row lifted. */
export function loadSuppressions(db: Database.Database): Suppression[] {
  const rows = db
    .prepare(
      `SELECT s.* FROM suppressions s
       WHERE s.lifts IS NULL AND NOT EXISTS (SELECT 1 FROM suppressions l WHERE l.lifts = s.id)
       ORDER BY s.created_at, s.id`,
    )
    .all() as { id: string; rule: string; match: string; reason: string; author: string; created_at: number; expires_at: number | null }[];
  return rows.flatMap((row) => {
    const parsed = suppressionSchema.safeParse({ ...row, match: JSON.parse(row.match), expires_at: row.expires_at ?? undefined });
    return parsed.success ? [parsed.data] : [];
  });
}

export function addSuppression(
  db: Database.Database,
  input: Omit<Suppression, 'id' | 'created_at' | 'author'>,
  author: string,
  now: number,
): Suppression {
  const suppression = suppressionSchema.parse({ ...input, id: randomUUID(), author, created_at: now });
  db.transaction(() => {
    db.prepare('INSERT INTO suppressions (id, rule, match, reason, author, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      suppression.id,
      suppression.rule,
      JSON.stringify(suppression.match),
      suppression.reason,
      author,
      now,
      suppression.expires_at ?? null,
    );
    reapplySuppressions(db, now);
    appendCustody(db, { actor: author, action: 'suppression', details: { added: suppression.id, rule: suppression.rule, match: suppression.match, reason: suppression.reason }, at: now });
  }).immediate();
  return suppression;
}

/** Lifting appends a row naming the suppression it ends; the original stays in the history. */
export function liftSuppression(db: Database.Database, id: string, reason: string, author: string, now: number): void {
  const existing = db.prepare('SELECT rule FROM suppressions WHERE id = ? AND lifts IS NULL').get(id) as { rule: string } | undefined;
  if (!existing) throw new Error(`no suppression ${id}`);
  db.transaction(() => {
    db.prepare('INSERT INTO suppressions (id, rule, match, reason, author, created_at, lifts) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      randomUUID(),
      existing.rule,
      '{}',
      reason,
      author,
      now,
      id,
    );
    reapplySuppressions(db, now);
    appendCustody(db, { actor: author, action: 'suppression', details: { lifted: id, reason }, at: now });
  }).immediate();
}

/** Re-marks stored findings after suppressions changed (no rescan needed: matching uses stored evidence). */
function reapplySuppressions(db: Database.Database, now: number): void {
  const findings = (db.prepare('SELECT * FROM findings').all() as StoredFindingRow[]).map(rowToFinding);
  const marked = applySuppressions(findings, loadSuppressions(db), now);
  const update = db.prepare('UPDATE findings SET suppressed = ?, suppression_id = ? WHERE id = ?');
  for (const f of marked) update.run(f.suppressed ? 1 : 0, f.suppressed?.id ?? null, f.id);
}

export interface StoredFindingRow {
  id: string;
  rule: string;
  severity: string;
  operator_id: string;
  operator: string;
  first_event_time: number;
  last_event_time: number;
  explanation: string;
  evidence: string;
  record_count: number;
  suppressed: number;
  suppression_id: string | null;
  detected_at: number;
}

function rowToFinding(row: StoredFindingRow): Finding {
  return {
    id: row.id,
    rule: row.rule as Finding['rule'],
    severity: row.severity as Finding['severity'],
    operator_id: row.operator_id,
    operator: row.operator,
    first_event_time: row.first_event_time,
    last_event_time: row.last_event_time,
    record_ids: [],
    explanation: row.explanation,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  };
}
