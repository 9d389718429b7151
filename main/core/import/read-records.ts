import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse';
import { csvRowToRaw } from './csv-row';
import type { ImportFormat } from './detect-format';
import { readLineBatches } from './read-lines';

/** One record as read from a file, before validation. */
export type FileRecord =
  | { record: number; line?: number; raw: unknown }
  | { record: number; line?: number; error: string };

/** JSON documents are parsed whole; beyond this, NDJSON or CSV (streamed) is the way. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

/** Records in file order, a batch at a time (one await per batch, not per record). */
export type RecordBatches = AsyncGenerator<FileRecord[]>;

/** JSON documents are handed out in slices of this many records. */
const JSON_SLICE = 1000;

/**
 * A file's records, readable more than once (import validates the whole file, then reads it again
 * to store it). NDJSON and CSV are streamed from disk on every pass; a JSON document, which has to
 * be parsed whole anyway, is parsed once and its list kept for the next pass.
 */
export function recordSource(path: string, format: ImportFormat, maxJsonBytes = MAX_JSON_BYTES): (onBytes?: (bytes: number) => void) => RecordBatches {
  if (format === 'ndjson') return (onBytes) => readNdjson(path, onBytes);
  if (format === 'csv') return (onBytes) => readCsv(path, onBytes);
  let list: unknown[] | undefined;
  return async function* (onBytes) {
    list ??= await readJsonList(path, format, maxJsonBytes);
    onBytes?.(statSync(path).size);
    for (let i = 0; i < list.length; i += JSON_SLICE) {
      yield list.slice(i, i + JSON_SLICE).map((raw, k) => ({ record: i + k + 1, raw }));
    }
  };
}

async function* readNdjson(path: string, onBytes?: (bytes: number) => void): RecordBatches {
  let record = 0;
  for await (const { firstLine, lines, bytesRead } of readLineBatches(path)) {
    const batch: FileRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      const trimmed = lines[i]!.trim();
      if (trimmed === '') continue;
      record++;
      const line = firstLine + i;
      try {
        batch.push({ record, line, raw: JSON.parse(trimmed) });
      } catch (error) {
        batch.push({ record, line, error: `not valid JSON (${(error as Error).message})` });
      }
    }
    onBytes?.(bytesRead);
    if (batch.length > 0) yield batch;
  }
}

/** CSV records are grouped into batches of this many. */
const CSV_BATCH = 500;

async function* readCsv(path: string, onBytes?: (bytes: number) => void): RecordBatches {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => onBytes?.((bytes += (chunk as Buffer).length)));
  // relax_column_count: a short or long row is reported by us with its line, not thrown.
  const parser = stream.pipe(parseCsv({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  let record = 0;
  let invalidSoFar = 0;
  let batch: FileRecord[] = [];
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; invalid_field_length: number } }>) {
    record++;
    const line = item.info.lines;
    // csv-parse counts rows with a wrong column count cumulatively.
    if (item.info.invalid_field_length > invalidSoFar) {
      invalidSoFar = item.info.invalid_field_length;
      batch.push({ record, line, error: 'wrong number of columns' });
    } else {
      const converted = csvRowToRaw(item.record);
      batch.push(converted.ok ? { record, line, raw: converted.raw } : { record, line, error: converted.error });
    }
    if (batch.length >= CSV_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function readJsonList(path: string, format: ImportFormat, maxJsonBytes: number): Promise<unknown[]> {
  const size = statSync(path).size;
  if (size > maxJsonBytes) {
    throw new Error(`${path} is ${Math.round(size / 1e6)} MB, more than the ${Math.round(maxJsonBytes / 1e6)} MB a JSON document may have; export as NDJSON or CSV instead`);
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); nothing was imported`, { cause: error });
  }
  const list = format === 'json-array' ? document : (document as { list?: unknown } | null)?.list;
  if (!Array.isArray(list)) throw new Error(`${path} has no list of entries (expected a JSON array or {"list": [...]}); nothing was imported`);
  return list;
}
