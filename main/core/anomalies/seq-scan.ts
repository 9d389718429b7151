import type Database from 'better-sqlite3-multiple-ciphers';
import { availableParallelism } from 'node:os';
import type { AnomalyEvent } from './event';
import { createLateMerge, planSeqOrder } from './read-order';
import { startReaderThreads, type ReaderThreads } from './reader-threads';
import { SCAN_COLUMNS, scanRowToEvent, type ScanRow } from './scan-columns';

/**
 * A full scan that reads the records table in seq order, front to back in chunks, instead of in
 * event_time order through the index, which looks every row up in the table again. That alone
 * saves 10–30 % of the CPU time, and seq ranges can be split between threads. read-order.ts puts
 * the few records that break the time order back in place.
 */
export interface ParallelReadOptions {
  /** The cache key: reader threads open their own connections to the same file. Null when unencrypted. */
  key: Uint8Array | null;
  /**
   * Reader threads besides the scanning thread (default: one per further core, at most 3). Also on
   * a busy machine: a thread costs little (measured: 11.2 s CPU on one connection, 11.4 s with one
   * reader, for 1M records), and the scheduler shares cores per thread.
   */
  readers?: number;
  /** Below this many records a single connection is faster than starting threads. */
  minRecords?: number;
}

const CHUNK_SEQS = 8192;
const DEFAULT_MIN_RECORDS = 50_000;

/**
 * Visits every record with seq ≤ lastSeq in (event_time, seq) order and returns how many reader
 * threads helped. Returns undefined, having visited nothing, when so many records are out of seq
 * order that reading in time order is cheaper.
 */
export function visitEventsBySeq(
  db: Database.Database,
  lastSeq: number,
  parallel: ParallelReadOptions | undefined,
  visit: (event: AnomalyEvent) => void,
): number | undefined {
  const firstSeq = ((db.prepare('SELECT min(seq) FROM records').pluck().get() as number | null) ?? 1) - 1;
  const span = lastSeq - firstSeq;
  // Threads start before the read order is worked out, so their start-up overlaps it.
  const threads = parallel !== undefined && span >= (parallel.minRecords ?? DEFAULT_MIN_RECORDS) ? startThreads(db, firstSeq, lastSeq, parallel) : undefined;
  try {
    // A late record costs a lookup of its own, about what every record costs in time order.
    const plan = planSeqOrder(db, lastSeq, Math.max(1000, Math.floor(span / 4)));
    if (plan === undefined) return undefined;
    const late = createLateMerge(db, plan.late);
    const select = db.prepare(`SELECT ${SCAN_COLUMNS} FROM records WHERE seq > ? AND seq <= ? ORDER BY seq`).raw(true);
    // This thread reads every stride-th chunk itself: the rules leave it time to spare.
    const stride = (threads?.count ?? 0) + 1;
    for (let k = 0, from = firstSeq; from < lastSeq; k++, from += CHUNK_SEQS) {
      const reader = k % stride;
      if (threads !== undefined && reader < threads.count) {
        const { chunk, decoder } = threads.next(reader);
        const { seqs, times } = chunk;
        for (let i = 0; i < seqs.length; i++) {
          const seq = seqs[i]!;
          if (late.isLate(seq)) continue;
          late.visitBefore(times[i]!, seq, visit);
          visit(decoder.eventAt(chunk, i));
        }
      } else {
        for (const row of select.all(from, Math.min(from + CHUNK_SEQS, lastSeq)) as ScanRow[]) {
          if (late.isLate(row[0])) continue;
          late.visitBefore(row[2], row[0], visit);
          visit(scanRowToEvent(row));
        }
      }
    }
    late.visitRest(visit);
    return threads?.count ?? 0;
  } finally {
    threads?.stop();
  }
}

function startThreads(db: Database.Database, firstSeq: number, lastSeq: number, options: ParallelReadOptions): ReaderThreads | undefined {
  if (db.memory || db.name === '') return undefined;
  const readers = Math.floor(options.readers ?? Math.min(3, availableParallelism() - 1));
  if (readers < 1) return undefined;
  return startReaderThreads({ dbPath: db.name, key: options.key, readers, stride: readers + 1, firstSeq, lastSeq, chunkSeqs: CHUNK_SEQS });
}

