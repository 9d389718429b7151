import { StringDecoder } from 'node:string_decoder';
import { RECORD_FILES } from '../export/manifest';
import { canonicalEntryText } from '../export/canonical-entry';
import { restoreCell } from '../export/csv-cells';
import { MerkleRootBuilder, leafHash } from '../export/merkle';
import { RECORD_COLUMNS, rowToEntry } from '../export/record-columns';
import { CsvRowParser } from './csv-rows';

/** Called for every record recomputed from a data file (used by proofs to find one record). */
export type RecordVisitor = (record: Record<string, unknown>, leaf: Buffer, index: number) => void;

/**
 * Recomputes leaf hashes and the Merkle root from a records file's text, fed in chunks. The first
 * problem stops the scan (the file is then reported as not matching); it never throws.
 */
export interface RecordsScan {
  push(text: string): void;
  end(): void;
  readonly builder: MerkleRootBuilder;
  readonly error: string | null;
}

abstract class BaseScan implements RecordsScan {
  readonly builder = new MerkleRootBuilder();
  error: string | null = null;

  constructor(private readonly visit?: RecordVisitor) {}

  protected addRecord(record: Record<string, unknown>): void {
    const leaf = leafHash(canonicalEntryText(record));
    this.builder.addLeafHash(leaf);
    this.visit?.(record, leaf, this.builder.leafCount - 1);
  }

  protected guard(work: () => void): void {
    if (this.error !== null) return;
    try {
      work();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  abstract push(text: string): void;
  abstract end(): void;
}

/**
 * records.json as the writer lays it out: '[' on the first line, one canonical record per line
 * (a comma after all but the last), ']' on the last line. Any other layout means the file was
 * rewritten, which its hash would also show.
 */
export class JsonRecordsScan extends BaseScan {
  private tail = '';
  private line = 0;
  private closed = false;
  private pendingRecord: string | null = null;

  constructor(visit?: RecordVisitor, private readonly maxLineChars = 64 * 1024 * 1024) {
    super(visit);
  }

  push(text: string): void {
    this.guard(() => {
      const data = this.tail + text;
      let start = 0;
      for (let nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', start)) {
        this.onLine(data.slice(start, nl));
        start = nl + 1;
      }
      this.tail = data.slice(start);
      if (this.tail.length > this.maxLineChars) throw new Error(`line ${this.line + 1} is longer than ${this.maxLineChars} characters`);
    });
  }

  end(): void {
    this.guard(() => {
      if (this.tail !== '') throw new Error('the file does not end with a newline after "]"');
      if (!this.closed) throw new Error('the array is never closed (truncated?)');
    });
  }

  private onLine(line: string): void {
    this.line++;
    if (this.closed) throw new Error(`line ${this.line}: text after the closing "]"`);
    if (this.line === 1) {
      if (line !== '[') throw new Error('line 1: expected "[" (records.json starts a JSON array)');
      return;
    }
    if (this.pendingRecord !== null) {
      // The previous record was the last one only if this line closes the array.
      const previous = this.pendingRecord;
      this.pendingRecord = null;
      if (line === ']') {
        this.record(previous, this.line - 1);
        this.closed = true;
        return;
      }
      if (!previous.endsWith(',')) throw new Error(`line ${this.line - 1}: missing comma between records`);
      this.record(previous.slice(0, -1), this.line - 1);
    } else if (line === ']') {
      this.closed = true;
      return;
    }
    this.pendingRecord = line;
  }

  private record(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`line ${line}: not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`line ${line}: a record must be a JSON object`);
    this.addRecord(value as Record<string, unknown>);
  }
}

/**
 * records.csv: the header must be exactly our columns; each row is turned back into the record
 * it came from (apostrophe neutralization undone, times and JSON cells parsed) and hashed. This is
 * how a CSV-only package's Merkle root is checked (see record-columns.ts for the mapping).
 */
export class CsvRecordsScan extends BaseScan {
  private started = false;
  private readonly parser = new CsvRowParser((cells, row) => this.onRow(cells, row));

  push(text: string): void {
    this.guard(() => {
      let chunk = text;
      if (!this.started) {
        this.started = true;
        if (chunk.charCodeAt(0) !== 0xfeff) throw new Error('the file does not start with a UTF-8 byte order mark');
        chunk = chunk.slice(1);
      }
      this.parser.push(chunk);
    });
  }

  end(): void {
    this.guard(() => {
      if (!this.started) throw new Error('the file is empty');
      this.parser.end();
    });
  }

  private onRow(cells: string[], row: number): void {
    if (row === 1) {
      if (cells.join(',') !== RECORD_COLUMNS.join(',')) throw new Error('row 1: the header is not the Audit Review column list');
      return;
    }
    const parsed = rowToEntry(cells.map(restoreCell));
    if (!parsed.ok) throw new Error(`row ${row}: ${parsed.error}`);
    this.addRecord(parsed.entry as unknown as Record<string, unknown>);
  }
}

/** The scan for a records file name, or null for other files. */
export function scanFor(name: string, visit?: RecordVisitor): RecordsScan | null {
  if (name === RECORD_FILES.json) return new JsonRecordsScan(visit);
  if (name === RECORD_FILES.csv) return new CsvRecordsScan(visit);
  return null;
}

/** Feeds a zip entry's bytes to a scan, decoding UTF-8 across chunk boundaries. */
export function scanConsumer(scan: RecordsScan): { push(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  return {
    push(chunk) {
      if (scan.error === null) scan.push(decoder.write(chunk));
    },
    end() {
      if (scan.error !== null) return;
      const rest = decoder.end();
      if (rest) scan.push(rest);
      scan.end();
    },
  };
}
