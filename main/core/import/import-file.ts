import { open } from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { Cache } from '../cache/cache';
import { insertEntries } from '../cache/insert';
import { setMeta } from '../cache/meta';
import { parseAuditEntry, type AuditEntry } from '../records/entry';
import { detectFormat, type ImportFormat } from './detect-format';
import { readRecords } from './read-records';

export interface InvalidRecord {
  /** 1-based position among the file's records. */
  record: number;
  /** 1-based line in the file, for NDJSON and CSV. */
  line?: number;
  reason: string;
}

export interface ImportProgress {
  records: number;
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
  /** Unix seconds stored as synced_at. */
  now?: number;
  /** At most this many invalid records are listed (all are counted). */
  maxReported?: number;
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
  /** False when invalid records stopped the import (nothing was stored). */
  committed: boolean;
}

/**
 * Imports an API7 export into the cache. The whole file is one transaction: without
 * `skipInvalid`, a single bad record means nothing is stored (and every bad record is reported
 * with its line); a crash part-way also leaves the cache as it was.
 */
export async function importFile(options: ImportOptions): Promise<ImportResult> {
  const { cache, path } = options;
  const format = options.format ?? detectFormat(await readHead(path));
  const totalBytes = statSync(path).size;
  const maxReported = options.maxReported ?? 1000;
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const result: ImportResult = { format, records: 0, imported: 0, duplicates: 0, invalidCount: 0, invalid: [], committed: false };
  let bytesRead = 0;
  let batch: AuditEntry[] = [];

  const flush = () => {
    if (batch.length === 0) return;
    // Without skipInvalid, once a bad record is seen nothing will be committed: stop writing.
    if (options.skipInvalid || result.invalidCount === 0) {
      const stored = insertEntries(cache, batch, null, { now });
      result.imported += stored.inserted;
      result.duplicates += stored.duplicates;
    }
    batch = [];
    options.onProgress?.({ records: result.records, bytesRead, totalBytes });
  };

  cache.db.exec('BEGIN IMMEDIATE');
  try {
    for await (const item of readRecords(path, format, (b) => (bytesRead = b))) {
      result.records++;
      const parsed = 'error' in item ? { ok: false as const, error: item.error } : parseAuditEntry(item.raw);
      if (!parsed.ok) {
        result.invalidCount++;
        if (result.invalid.length < maxReported) result.invalid.push({ record: item.record, ...(item.line !== undefined ? { line: item.line } : {}), reason: parsed.error });
        continue;
      }
      batch.push(parsed.entry);
      if (batch.length >= batchSize) flush();
    }
    flush();
    if (result.invalidCount > 0 && !options.skipInvalid) {
      cache.db.exec('ROLLBACK');
      return { ...result, imported: 0, duplicates: 0 };
    }
    setMeta(cache.db, 'last_import', JSON.stringify({ file: path, format, at: now, imported: result.imported, skipped: result.invalidCount }));
    cache.db.exec('COMMIT');
    result.committed = true;
    return result;
  } catch (error) {
    if (cache.db.inTransaction) cache.db.exec('ROLLBACK');
    throw error;
  }
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
