import type Database from 'better-sqlite3-multiple-ciphers';
import type { AnomalyConfigInput } from './config';
import { createDetector, requiredHistorySeconds, SnapshotMismatchError, type AnomalyDetector } from './detector';
import type { AnomalyEvent } from './event';
import type { Finding } from './finding';
import type { RuleId } from './rule-ids';

/**
 * Reads anomaly events straight from the cache's `records` table, in (event_time, seq) order.
 * Only the slim columns are read; the canonical JSON is touched only for failed logins without an
 * operator, whose attempted username lives in the request body.
 */
export interface EventRange {
  /** Inclusive, Unix seconds. */
  from?: number;
  /** Exclusive, Unix seconds. */
  to?: number;
  /** Only records with seq ≤ maxSeq (a consistent cut while a sync may be writing). */
  maxSeq?: number;
}

const SELECT_EVENTS = `
  SELECT id, event_time, operator_id,
    CASE WHEN operator_username = '' AND event_type = 'Login' AND failed = 1
      THEN coalesce(CAST(json_extract(canonical, '$.http_request.body.username') AS TEXT), '')
      ELSE operator_username END AS username,
    event_type, resource_id, ip_address, token_name, status_code, failed, http_uri, seq
  FROM records
  WHERE event_time >= @from AND event_time < @to AND seq <= @maxSeq AND seq > @afterSeq
  ORDER BY event_time, seq`;

type Row = [string, number, string, string, string, string, string, string, number, number, string, number];

const FAR_FUTURE = 32503680000;

export function* eventsFromDb(db: Database.Database, range: EventRange = {}): Generator<AnomalyEvent> {
  for (const row of selectRows(db, range, 0)) yield toEvent(row);
}

/**
 * Scans call the detector from a plain loop: a generator and a tuple per row cost more than the
 * rules themselves on a million rows.
 */
function forEachEvent(db: Database.Database, range: EventRange, afterSeq: number, visit: (event: AnomalyEvent, seq: number) => void): void {
  for (const row of selectRows(db, range, afterSeq)) visit(toEvent(row), row[11]);
}

function selectRows(db: Database.Database, range: EventRange, afterSeq: number): IterableIterator<Row> {
  return db
    .prepare(SELECT_EVENTS)
    .raw(true)
    .iterate({
      from: range.from ?? 0,
      to: range.to ?? FAR_FUTURE,
      maxSeq: range.maxSeq ?? Number.MAX_SAFE_INTEGER,
      afterSeq,
    }) as IterableIterator<Row>;
}

function toEvent(row: Row): AnomalyEvent {
  return {
    id: row[0],
    event_time: row[1],
    operator_id: row[2],
    username: row[3],
    event_type: row[4],
    resource_id: row[5],
    ip: row[6],
    token_name: row[7],
    status_code: row[8],
    failed: row[9] === 1,
    uri: row[10],
  };
}

export interface ScanOptions {
  config?: AnomalyConfigInput;
  rules?: readonly RuleId[];
}

export interface ScanResult {
  findings: Finding[];
  /** Keep it (with lastSeq) for the next incremental scan. */
  snapshot: Buffer;
  /** Highest record seq the scan covered. */
  lastSeq: number;
  /** How the scan ran: everything, resumed from the snapshot, or history replayed. */
  mode: 'full' | 'snapshot' | 'replay';
}

/** Every record, every finding. */
export function scanCache(db: Database.Database, options: ScanOptions = {}): ScanResult {
  const lastSeq = maxSeq(db);
  const detector = createDetector(options);
  forEachEvent(db, { maxSeq: lastSeq }, 0, (event) => detector.push(event));
  return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'full' };
}

/**
 * After a sync: the findings that involve records with seq > afterSeq (callers upsert them by id;
 * a finding that grew keeps its id). With the previous scan's snapshot and no new record older
 * than its last event, only the new records are read. Otherwise (no or outdated snapshot,
 * late-arriving records) the history the baselines need is replayed silently first.
 */
export function scanCacheIncremental(
  db: Database.Database,
  afterSeq: number,
  options: ScanOptions & { snapshot?: Uint8Array } = {},
): ScanResult {
  const lastSeq = maxSeq(db);
  const oldestNew = db
    .prepare('SELECT min(event_time) FROM records WHERE seq > ? AND seq <= ?')
    .pluck()
    .get(afterSeq, lastSeq) as number | null;

  if (options.snapshot !== undefined) {
    let detector: AnomalyDetector | undefined;
    try {
      detector = createDetector({ ...options, snapshot: options.snapshot });
    } catch (error) {
      if (!(error instanceof SnapshotMismatchError)) throw error;
    }
    if (detector !== undefined && (oldestNew === null || detector.lastEventTime === undefined || oldestNew >= detector.lastEventTime)) {
      // New records are no older than the snapshot's last event: the event_time index finds them.
      const from = detector.lastEventTime ?? 0;
      const resumed = detector;
      forEachEvent(db, { from, maxSeq: lastSeq }, afterSeq, (event) => resumed.push(event));
      return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'snapshot' };
    }
  }

  const detector = createDetector({ config: options.config, rules: options.rules });
  if (oldestNew === null) return { findings: [], snapshot: detector.snapshot(), lastSeq, mode: 'replay' };
  const historyFrom = oldestNew - requiredHistorySeconds(options.config);
  const seeds = db
    .prepare(
      `SELECT operator_id, max(event_time) FROM records
       WHERE operator_id != '' AND event_time < ? AND seq <= ? GROUP BY operator_id`,
    )
    .raw(true)
    .iterate(historyFrom, lastSeq) as IterableIterator<[string, number]>;
  for (const [operatorId, time] of seeds) detector.seedLastSeen(operatorId, time);
  forEachEvent(db, { from: historyFrom, maxSeq: lastSeq }, 0, (event, seq) => detector.push(event, seq > afterSeq));
  return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'replay' };
}

function maxSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) FROM records').pluck().get() as number) ?? 0;
}
