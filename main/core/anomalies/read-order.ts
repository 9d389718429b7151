import type Database from 'better-sqlite3-multiple-ciphers';
import type { AnomalyEvent } from './event';
import { SCAN_COLUMNS, scanRowToEvent, type ScanRow } from './scan-columns';

/**
 * Rules need events in (event_time, seq) order, but only a scan in seq order reads the table's
 * pages front to back and can be split between threads. Caches are written in time order
 * except for late arrivals (records committed after newer ones were synced) and unsorted
 * imports, so the two orders differ in few rows. This works out which ones from the
 * event_time index alone (a few MB, not the table): a record is "late" when some record after it
 * in time order has a smaller seq. Every other record then comes in seq order exactly when it
 * comes in time order, so a seq-ordered stream that skips the late records, merged with the late
 * records read on their own, yields the time order.
 */
export interface SeqOrderPlan {
  /** Records with seq ≤ lastSeq. */
  count: number;
  /** Seqs of late records, in (event_time, seq) order. */
  late: number[];
}

/** The plan, or undefined when more than `maxLate` records are late (read in time order instead). */
export function planSeqOrder(db: Database.Database, lastSeq: number, maxLate: number): SeqOrderPlan | undefined {
  // The planner answers this from the covering event_time index (rowid = seq comes with it).
  const inTimeOrder = db.prepare('SELECT seq FROM records WHERE seq <= ? ORDER BY event_time, seq').pluck().all(lastSeq) as number[];
  const late: number[] = [];
  let smallestAfter = Number.POSITIVE_INFINITY;
  for (let i = inTimeOrder.length - 1; i >= 0; i--) {
    const seq = inTimeOrder[i]!;
    if (seq > smallestAfter) {
      late.push(seq);
      if (late.length > maxLate) return undefined;
    } else smallestAfter = seq;
  }
  return { count: inTimeOrder.length, late: late.reverse() };
}

/**
 * Merges the late records (read one by one from `db`) into a seq-ordered stream of the others.
 * For each stream record in turn: skip it when `isLate`, else `visitBefore` its (time, seq),
 * then visit it. `visitRest` visits the late records after the last one.
 */
export interface LateMerge {
  isLate(seq: number): boolean;
  visitBefore(time: number, seq: number, visit: (event: AnomalyEvent) => void): void;
  visitRest(visit: (event: AnomalyEvent) => void): void;
}

export function createLateMerge(db: Database.Database, lateInTimeOrder: readonly number[]): LateMerge {
  const select = db.prepare(`SELECT ${SCAN_COLUMNS} FROM records WHERE seq = ?`).raw(true);
  const lateBySeq = Float64Array.from(lateInTimeOrder).sort();
  let skipIndex = 0;
  let nextIndex = 0;
  let next: ScanRow | undefined;
  const advance = () => {
    next = undefined;
    // A record gone since the plan (retention purge) is simply not there any more.
    while (next === undefined && nextIndex < lateInTimeOrder.length) next = select.get(lateInTimeOrder[nextIndex++]!) as ScanRow | undefined;
  };
  advance();
  const visitBefore = (time: number, seq: number, visit: (event: AnomalyEvent) => void) => {
    while (next !== undefined && (next[2] < time || (next[2] === time && next[0] < seq))) {
      visit(scanRowToEvent(next));
      advance();
    }
  };
  return {
    isLate(seq) {
      // Stream seqs only grow, so one pass over the sorted late seqs serves the whole scan.
      while (skipIndex < lateBySeq.length && lateBySeq[skipIndex]! < seq) skipIndex++;
      return skipIndex < lateBySeq.length && lateBySeq[skipIndex] === seq;
    },
    visitBefore,
    visitRest: (visit) => visitBefore(Number.POSITIVE_INFINITY, 0, visit),
  };
}
