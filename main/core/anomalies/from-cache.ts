import type Database from 'better-sqlite3-multiple-ciphers';
import type { AnomalyConfigInput } from './config';
import { createDetector, requiredHistorySeconds, SnapshotMismatchError, type AnomalyDetector } from './detector';
import type { AnomalyEvent } from './event';
import type { Finding } from './finding';
import type { RuleId } from './rule-ids';
import { SCAN_COLUMNS, scanRowToEvent, type ScanRow } from './scan-columns';
import { visitEventsBySeq, type ParallelReadOptions } from './seq-scan';

/**
 * Reads anomaly events straight from the cache's `records` table, in (event_time, seq) order.
 * Only the slim columns are read (scan-columns.ts).
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
  SELECT ${SCAN_COLUMNS}
  FROM records
  WHERE event_time >= @from AND event_time < @to AND seq <= @maxSeq AND seq > @afterSeq
  ORDER BY event_time, seq`;

const FAR_FUTURE = 32503680000;
const TIME_ORDER: ScanResult['read'] = { order: 'time', threads: 0 };

export function* eventsFromDb(db: Database.Database, range: EventRange = {}): Generator<AnomalyEvent> {
  for (const row of selectRows(db, range, 0)) yield scanRowToEvent(row);
}

/**
 * Scans call the detector from a plain loop: a generator and a tuple per row cost more than the
 * rules themselves on a million rows.
 */
function forEachEvent(db: Database.Database, range: EventRange, afterSeq: number, visit: (event: AnomalyEvent, seq: number) => void): void {
  for (const row of selectRows(db, range, afterSeq)) visit(scanRowToEvent(row), row[0]);
}

function selectRows(db: Database.Database, range: EventRange, afterSeq: number): IterableIterator<ScanRow> {
  return db
    .prepare(SELECT_EVENTS)
    .raw(true)
    .iterate({
      from: range.from ?? 0,
      to: range.to ?? FAR_FUTURE,
      maxSeq: range.maxSeq ?? Number.MAX_SAFE_INTEGER,
      afterSeq,
    }) as IterableIterator<ScanRow>;
}

export interface ScanOptions {
  config?: AnomalyConfigInput;
  rules?: readonly RuleId[];
  /** Lets a full scan of a large cache read with several threads (seq-scan.ts). */
  parallel?: ParallelReadOptions;
}

export interface ScanResult {
  findings: Finding[];
  /** Keep it (with lastSeq) for the next incremental scan. */
  snapshot: Buffer;
  /** Highest record seq the scan covered. */
  lastSeq: number;
  /** How the scan ran: everything, resumed from the snapshot, or history replayed. */
  mode: 'full' | 'snapshot' | 'replay';
  /** How records were read: table order (seq) or through the event_time index, and with how many reader threads. */
  read: { order: 'seq' | 'time'; threads: number };
}

/** Every record, every finding. */
export function scanCache(db: Database.Database, options: ScanOptions = {}): ScanResult {
  const lastSeq = maxSeq(db);
  const detector = createDetector(options);
  const push = (event: AnomalyEvent) => detector.push(event);
  const threads = visitEventsBySeq(db, lastSeq, options.parallel, push);
  if (threads === undefined) forEachEvent(db, { maxSeq: lastSeq }, 0, push);
  const read = threads === undefined ? TIME_ORDER : { order: 'seq' as const, threads };
  return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'full', read };
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
      return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'snapshot', read: TIME_ORDER };
    }
  }

  const detector = createDetector({ config: options.config, rules: options.rules });
  if (oldestNew === null) return { findings: [], snapshot: detector.snapshot(), lastSeq, mode: 'replay', read: TIME_ORDER };
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
  return { findings: detector.flush(), snapshot: detector.snapshot(), lastSeq, mode: 'replay', read: TIME_ORDER };
}

function maxSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) FROM records').pluck().get() as number) ?? 0;
}
