import { open } from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { Cache } from '../cache/cache';
import { insertEntries } from '../cache/insert';
import { setMeta } from '../cache/meta';
import type { AuditEntry } from '../records/entry';
import { detectFormat, type ImportFormat } from './detect-format';
import { validateEntry } from './plain-entry';
import { recordSource, type FileRecord, type RecordBatches } from './read-records';

export interface InvalidRecord {
  /** 1-based position among the file's records. */
  record: number;
  /** 1-based line in the file, for NDJSON and CSV. */
  line?: number;
  reason: string;
}

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
  const checkedRecords = result.records;
  let pending: AuditEntry[] = [];
  let seen = 0;
  let bytesRead = 0;
  let checkedAllStored = false;
  for await (const batch of run.read((b) => (bytesRead = b))) {
    for (const item of batch) {
      // Records appended since the check are not ours to store: they were not validated with the rest.
      if (checked && item.record > checkedRecords) {
        checkedAllStored = true;
        break;
      }
      seen++;
      const parsed = validated(item);
      if (!parsed.ok) {
        if (checked) throw new Error(`${options.path} changed while it was imported: record ${position(item)} is now invalid (${parsed.error}); the first ${result.imported + result.duplicates} records are stored, fix the file and import it again`);
        noteInvalid(run, item, parsed.error);
        continue;
      }
      pending.push(parsed.entry);
      if (pending.length >= run.batchSize) {
        store(run, pending);
        pending = [];
      }
    }
    if (!checked) result.records = seen;
    options.onProgress?.({ phase: 'storing', records: seen, bytesRead, totalBytes: run.totalBytes });
    if (checkedAllStored) break;
    if (options.signal?.aborted) {
      result.cancelled = true;
      return false;
    }
  }
  store(run, pending);
  if (checked && seen < checkedRecords) {
    throw new Error(`${options.path} changed while it was imported: it now ends after record ${seen} of the ${checkedRecords} checked; the first ${result.imported + result.duplicates} records are stored, import the file again once it is complete`);
  }
  return true;
}

/** One transaction (insertEntries is atomic per call). */
function store(run: Run, entries: AuditEntry[]): void {
  if (entries.length === 0) return;
  const stored = insertEntries(run.options.cache, entries, null, { now: run.now });
  run.result.imported += stored.inserted;
  run.result.duplicates += stored.duplicates;
}

function validated(item: FileRecord): ReturnType<typeof validateEntry> {
  return 'error' in item ? { ok: false, error: item.error } : validateEntry(item.raw);
}

function noteInvalid(run: Run, item: FileRecord, reason: string): void {
  run.result.invalidCount++;
  if (run.result.invalid.length < run.maxReported) run.result.invalid.push({ record: item.record, ...(item.line !== undefined ? { line: item.line } : {}), reason });
}

function position(item: FileRecord): string {
  return item.line !== undefined ? `${item.record} (line ${item.line})` : String(item.record);
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
