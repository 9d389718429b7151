import { entryToRow, type RecordRow } from '../cache/record-row';
import { validateEntry } from './plain-entry';
import type { FileRecord, RecordBatches } from './read-records';

/** A record the import could not take, with where it is in the file. */
export interface InvalidRecord {
  /** 1-based position among the file's records. */
  record: number;
  /** 1-based line in the file, for NDJSON and CSV. */
  line?: number;
  reason: string;
}

export interface RowBatchOptions {
  path: string;
  /** Rows per stored transaction. */
  batchSize: number;
  /**
   * The file was checked in a first pass and held this many records: only those are stored, and
   * one that no longer validates means the file changed in between (an error, not a skip).
   */
  checkedRecords: number | null;
  /** Invalid records listed per step at most (all are counted). */
  maxReported: number;
}

/** What one read batch of the file produced. */
export interface RowBatchStep {
  /** Whole transactions' worth of rows, ready to store in this order (often none, sometimes one). */
  batches: RecordRow[][];
  /** Records read so far (valid or not). */
  seen: number;
  bytesRead: number;
  /** Invalid records met in this step (at most maxReported listed) and how many there were. */
  invalid: InvalidRecord[];
  invalidCount: number;
}

/**
 * The CPU side of the import's storing pass: reads the file, validates each record and turns it
 * into its stored row (masking, canonical JSON, sha256), grouped into transactions. It stores
 * nothing, so it can run on another thread while the cache's writer stores the previous batch
 * (rows-thread.ts); import-file.ts runs it in-process for small files.
 * The last step carries the remaining rows, even if fewer than batchSize.
 */
export async function* rowBatches(read: (onBytes?: (bytes: number) => void) => RecordBatches, options: RowBatchOptions): AsyncGenerator<RowBatchStep> {
  const { checkedRecords } = options;
  let pending: RecordRow[] = [];
  let seen = 0;
  let bytesRead = 0;
  let finished = false;
  for await (const batch of read((b) => (bytesRead = b))) {
    const step: RowBatchStep = { batches: [], seen, bytesRead, invalid: [], invalidCount: 0 };
    for (const item of batch) {
      // Records appended since the check are not ours to store: they were not validated with the rest.
      if (checkedRecords !== null && item.record > checkedRecords) {
        finished = true;
        break;
      }
      seen++;
      const parsed = validated(item);
      if (!parsed.ok) {
        if (checkedRecords !== null) {
          // The whole batches before it are stored (as ever: only whole batches), then it stops.
          yield { ...step, seen, bytesRead };
          throw new FileChangedError(`${options.path} changed while it was imported: record ${position(item)} is now invalid (${parsed.error})`, 'fix the file and import it again');
        }
        step.invalidCount++;
        if (step.invalid.length < options.maxReported) step.invalid.push(invalidRecord(item, parsed.error));
        continue;
      }
      pending.push(entryToRow(parsed.entry));
      if (pending.length >= options.batchSize) {
        step.batches.push(pending);
        pending = [];
      }
    }
    yield { ...step, seen, bytesRead };
    if (finished) break;
  }
  yield { batches: pending.length > 0 ? [pending] : [], seen, bytesRead, invalid: [], invalidCount: 0 };
  if (checkedRecords !== null && seen < checkedRecords) {
    throw new FileChangedError(`${options.path} changed while it was imported: it now ends after record ${seen} of the ${checkedRecords} checked`, 'import the file again once it is complete');
  }
}

/** The file is not what the check pass read; `advice` says what to do once the stored part is counted. */
export class FileChangedError extends Error {
  constructor(
    message: string,
    readonly advice: string,
  ) {
    super(message);
    this.name = 'FileChangedError';
  }
}

export function validated(item: FileRecord): ReturnType<typeof validateEntry> {
  return 'error' in item ? { ok: false, error: item.error } : validateEntry(item.raw);
}

export function invalidRecord(item: FileRecord, reason: string): InvalidRecord {
  return { record: item.record, ...(item.line !== undefined ? { line: item.line } : {}), reason };
}

function position(item: FileRecord): string {
  return item.line !== undefined ? `${item.record} (line ${item.line})` : String(item.record);
}
