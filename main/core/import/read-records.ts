import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { csvRowToRaw } from './csv-row';
import type { ImportFormat } from './detect-format';

/** One record as read from a file, before validation. */
export type FileRecord =
  | { record: number; line?: number; raw: unknown }
  | { record: number; line?: number; error: string };

/** JSON documents are parsed whole; beyond this, NDJSON or CSV (streamed) is the way. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

/** Streams the records of a file in its format, numbering them (and their lines where known). */
export function readRecords(path: string, format: ImportFormat, onBytes?: (bytes: number) => void, maxJsonBytes = MAX_JSON_BYTES): AsyncGenerator<FileRecord> {
  switch (format) {
    case 'ndjson':
      return readNdjson(path, onBytes);
    case 'csv':
      return readCsv(path, onBytes);
    default:
      return readJsonDocument(path, format, onBytes, maxJsonBytes);
  }
}

async function* readNdjson(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<FileRecord> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  let bytes = 0;
  stream.on('data', (chunk) => onBytes?.((bytes += Buffer.byteLength(chunk as string))));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let record = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    record++;
    try {
      yield { record, line, raw: JSON.parse(trimmed) };
    } catch (error) {
      yield { record, line, error: `not valid JSON (${(error as Error).message})` };
    }
  }
}

async function* readCsv(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<FileRecord> {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => onBytes?.((bytes += (chunk as Buffer).length)));
  // relax_column_count: a short or long row is reported by us with its line, not thrown.
  const parser = stream.pipe(parseCsv({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
  let record = 0;
  let invalidSoFar = 0;
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; invalid_field_length: number } }>) {
    record++;
    const line = item.info.lines;
    // csv-parse counts rows with a wrong column count cumulatively.
    if (item.info.invalid_field_length > invalidSoFar) {
      invalidSoFar = item.info.invalid_field_length;
      yield { record, line, error: 'wrong number of columns' };
      continue;
    }
    const converted = csvRowToRaw(item.record);
    yield converted.ok ? { record, line, raw: converted.raw } : { record, line, error: converted.error };
  }
}

async function* readJsonDocument(path: string, format: ImportFormat, onBytes: ((bytes: number) => void) | undefined, maxJsonBytes: number): AsyncGenerator<FileRecord> {
  const size = statSync(path).size;
  if (size > maxJsonBytes) {
    throw new Error(`${path} is ${Math.round(size / 1e6)} MB, more than the ${Math.round(maxJsonBytes / 1e6)} MB a JSON document may have; export as NDJSON or CSV instead`);
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  onBytes?.(size);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); nothing was imported`, { cause: error });
  }
  const list = format === 'json-array' ? document : (document as { list?: unknown } | null)?.list;
  if (!Array.isArray(list)) throw new Error(`${path} has no list of entries (expected a JSON array or {"list": [...]}); nothing was imported`);
  for (let i = 0; i < list.length; i++) yield { record: i + 1, raw: list[i] };
}
