import { open } from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { Cache } from '../cache/cache';
import { insertRows } from '../cache/insert';
import { entryToRow, type RecordRow } from '../cache/record-row';
import { setMeta } from '../cache/meta';
import type { AuditEntry } from '../records/entry';
import { detectFormat, type ImportFormat } from './detect-format';
import { recordSource, type FileRecord, type RecordBatches } from './read-records';
import { FileChangedError, invalidRecord, rowBatches, validated, type InvalidRecord } from './row-batches';
import { rowBatchesInThread } from './rows-thread';

export type { InvalidRecord } from './row-batches';

export interface ImportProgress {
  /** `checking`: every record is validated before any is stored; `storing`: writing them. */
  phase: 'checking' | 'storing';
  records: number;
  /** Bytes of the file read in this phase. */
  bytesRead: number;
  totalBytes: number;
}

export interface ImportOptions {
  cache: Pick<Cache, 'db'>;
  path: string;
  /** Skip bad records (reported) instead of importing nothing. */
  skipInvalid?: boolean;
  /** Force a format instead of detecting it. */
  format?: ImportFormat;
  onProgress?: (progress: ImportProgress) => void;
  /** Stops between batches; what was stored stays (see importFile). */
  signal?: AbortSignal;
  /** Unix seconds stored as synced_at. */
  now?: number;
  /** At most this many invalid records are listed (all are counted). */
  maxReported?: number;
  /** Records per transaction. */
  batchSize?: number;
  /** Prepare rows on a second thread (default: for NDJSON/CSV files of 4 MB and more). */
  rowsThread?: boolean;
}

export interface ImportResult {
  format: ImportFormat;
  /** Records read from the file. */
  records: number;
  imported: number;
  /** Already in the cache (same id). */
  duplicates: number;
  invalidCount: number;
  invalid: InvalidRecord[];
  /** True when the import ran to the end; false when invalid records stopped it (nothing stored) or it was cancelled. */
  committed: boolean;
  /** Stopped by `signal`: `imported` records (a prefix of the file) were stored before it stopped. */
  cancelled: boolean;
}

/**
 * A transaction per batch keeps memory and the WAL bounded; one transaction for a whole file made
 * a 1M-record import several times slower and grew the WAL without limit.
 */
const DEFAULT_BATCH = 2000;

/**
 * Imports an API7 export into the cache, in two passes over the file:
 * 1. check: every record is validated, streamed. Without `skipInvalid`, one bad
 *    record means nothing is stored, and every bad record is reported with its line and reason.
 *    With `skipInvalid` this pass is skipped: bad records are reported and passed over as they come.
 * 2. store: the file is read again and stored in transactions of `batchSize` records.
 * A file that fits in one batch is kept from pass 1 and stored in a single transaction instead.
 *
 * On a crash, kill or cancel during pass 2, the batches committed so far stay: they are the file's
 * first records in order, each batch whole, with the hash chain intact. Running the same import
 * again completes it: records whose id is already stored are counted as duplicates, not stored twice.
 */
export async function importFile(options: ImportOptions): Promise<ImportResult> {
  const { path } = options;
  const format = options.format ?? detectFormat(await readHead(path));
  const run: Run = {
    options,
    read: recordSource(path, format),
    totalBytes: statSync(path).size,
    batchSize: Math.max(1, options.batchSize ?? DEFAULT_BATCH),
    maxReported: options.maxReported ?? 1000,
    now: options.now ?? Math.floor(Date.now() / 1000),
    result: { format, records: 0, imported: 0, duplicates: 0, invalidCount: 0, invalid: [], committed: false, cancelled: false },
  };
  const { result } = run;
  if (!options.skipInvalid) {
    const whole = await checkAll(run);
    if (result.cancelled || result.invalidCount > 0) return result;
    if (whole) store(run, whole);
    else if (!(await storeAll(run, true))) return result;
  } else if (!(await storeAll(run, false))) {
    return result;
  }
  setMeta(options.cache.db, 'last_import', JSON.stringify({ file: path, format, at: run.now, imported: result.imported, skipped: result.invalidCount }));
  result.committed = true;
  return result;
}

interface Run {
  options: ImportOptions;
  read: (onBytes?: (bytes: number) => void) => RecordBatches;
  totalBytes: number;
  batchSize: number;
  maxReported: number;
  now: number;
  result: ImportResult;
}

/** Pass 1. Returns the file's entries when they fit in one batch (so they need not be read again). */
async function checkAll(run: Run): Promise<AuditEntry[] | null> {
  const { result, options } = run;
  let kept: AuditEntry[] | null = [];
  let bytesRead = 0;
  for await (const batch of run.read((b) => (bytesRead = b))) {
    for (const item of batch) {
      result.records++;
      const parsed = validated(item);
      if (!parsed.ok) {
        noteInvalid(run, item, parsed.error);
        kept = null;
      } else if (kept && kept.length < run.batchSize) {
        kept.push(parsed.entry);
      } else {
        kept = null;
      }
    }
    options.onProgress?.({ phase: 'checking', records: result.records, bytesRead, totalBytes: run.totalBytes });
    if (options.signal?.aborted) {
      result.cancelled = true;
      return null;
    }
  }
  return kept;
}

/**
 * Pass 2. After a check (`checked`), only the records the check saw are stored, and one that no
 * longer validates means the file changed in between: that stops the import with an error (the
 * batches already stored stay). Returns false when cancelled.
 */
async function storeAll(run: Run, checked: boolean): Promise<boolean> {
  const { result, options } = run;
  const batchOptions = { path: options.path, batchSize: run.batchSize, checkedRecords: checked ? result.records : null, maxReported: run.maxReported };
  const steps = (options.rowsThread ?? worthAThread(run))
    ? rowBatchesInThread({ path: options.path, format: result.format, options: batchOptions })
    : rowBatches(run.read, batchOptions);
  try {
    for await (const step of steps) {
      for (const rows of step.batches) storeRows(run, rows);
      result.invalidCount += step.invalidCount;
      for (const invalid of step.invalid) if (result.invalid.length < run.maxReported) result.invalid.push(invalid);
      if (!checked) result.records = step.seen;
      options.onProgress?.({ phase: 'storing', records: step.seen, bytesRead: step.bytesRead, totalBytes: run.totalBytes });
      if (options.signal?.aborted) {
        result.cancelled = true;
        return false;
      }
    }
  } catch (error) {
    if (error instanceof FileChangedError) throw new Error(`${error.message}; the first ${result.imported + result.duplicates} records are stored, ${error.advice}`, { cause: error });
    throw error;
  }
  return true;
}

/**
 * Files streamed from disk (NDJSON, CSV) beyond a few thousand records are prepared on a second
 * thread (about half of storing a record is reading, validating and hashing it). A JSON document
 * is already parsed in this thread, and a small file is over before a thread would start.
 */
const ROWS_THREAD_MIN_BYTES = 4 * 1024 * 1024;

function worthAThread(run: Run): boolean {
  return (run.result.format === 'ndjson' || run.result.format === 'csv') && run.totalBytes >= ROWS_THREAD_MIN_BYTES;
}

/** One transaction (insertRows is atomic per call). */
function store(run: Run, entries: AuditEntry[]): void {
  storeRows(run, entries.map((entry) => entryToRow(entry)));
}

function storeRows(run: Run, rows: RecordRow[]): void {
  if (rows.length === 0) return;
  const stored = insertRows(run.options.cache.db, rows, null, run.now);
  run.result.imported += stored.inserted;
  run.result.duplicates += stored.duplicates;
}

function noteInvalid(run: Run, item: FileRecord, reason: string): void {
  run.result.invalidCount++;
  if (run.result.invalid.length < run.maxReported) run.result.invalid.push(invalidRecord(item, reason));
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
