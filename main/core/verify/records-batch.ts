import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { RECORD_COLUMNS } from '../export/record-columns';
import { canonicalJson } from '../records/canonical';
import { isCanonicalJsonObject } from './canonical-check';
import { CsvLeafHasher } from './csv-leaf-text';
import { CSV_COLUMNS, CsvRowFields, INCOMPLETE, MALFORMED } from './csv-row-bytes';

/**
 * The fast verifier's unit of work: a run of whole lines of records.json or records.csv (the
 * reader cuts the stream after a newline), turned into leaf hashes. A batch knows nothing of the
 * batches before it, so several can be hashed at once; what joins them (row boundaries, the JSON
 * array's brackets and commas) is reported for the caller to check in order.
 *
 * The fast route never decides that something is wrong: whatever it cannot hash exactly as the
 * thorough scan (records-scan.ts) would is reported as `unsure`, and the caller then runs the
 * thorough scan, whose findings and wording are the verifier's.
 */
export type RecordsKind = 'json' | 'csv';

export interface BatchInput {
  kind: RecordsKind;
  bytes: Uint8Array;
  /** The batch starts the file (BOM and header for CSV, '[' for JSON). */
  first: boolean;
}

/** How a JSON batch's first and last lines join the neighbouring batches. */
export type JsonLineKind = 'none' | 'open' | 'record' | 'last-record' | 'close';

export interface BatchOutput {
  /** 32 bytes per record, in order. */
  leaves: Uint8Array;
  count: number;
  /**
   * Bytes at the start of the batch that hold complete rows. Less than the batch when it was cut
   * inside a quoted CSV field that spans lines: the rest belongs in front of the next batch.
   */
  consumed: number;
  /** Why the fast route gave up (null: every record was hashed as the thorough scan would). */
  unsure: string | null;
  /** JSON only: the kinds of the batch's first and last lines. */
  firstLine: JsonLineKind;
  lastLine: JsonLineKind;
}

const LEAF_BYTES = 32;

/**
 * Collects leaf hashes into one packed buffer that grows as needed. Digests arrive as latin1
 * strings (one character per byte): asking crypto.hash for a Buffer costs more than the hash.
 */
class LeafBuffer {
  bytes: Buffer;
  count = 0;

  constructor(expected: number) {
    this.bytes = Buffer.allocUnsafeSlow(LEAF_BYTES * Math.max(16, expected));
  }

  add(digest: string): void {
    if ((this.count + 1) * LEAF_BYTES > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.count * LEAF_BYTES);
      this.bytes = grown;
    }
    this.bytes.write(digest, this.count * LEAF_BYTES, LEAF_BYTES, 'latin1');
    this.count++;
  }

  output(consumed: number, firstLine: JsonLineKind = 'none', lastLine: JsonLineKind = 'none'): BatchOutput {
    return { leaves: this.bytes.subarray(0, this.count * LEAF_BYTES), count: this.count, consumed, unsure: null, firstLine, lastLine };
  }
}

function unsure(reason: string): BatchOutput {
  return { leaves: new Uint8Array(0), count: 0, consumed: 0, unsure: reason, firstLine: 'none', lastLine: 'none' };
}

export function processBatch(input: BatchInput): BatchOutput {
  // Invalid UTF-8 becomes U+FFFD in the thorough scan's decoder; whether the replacements would
  // come out the same across batch cuts is not worth proving: not sure.
  if (!isUtf8(input.bytes)) return unsure('not valid UTF-8');
  return input.kind === 'csv' ? csvBatch(input) : jsonBatch(input);
}

// ---------------------------------------------------------------------------------------------
// records.csv

const HEADER = RECORD_COLUMNS.join(',');

function csvBatch(input: BatchInput): BatchOutput {
  const b = input.bytes;
  const leaves = new LeafBuffer(b.length >> 8);
  const fields = new CsvRowFields();
  const hasher = new CsvLeafHasher();
  let pos = 0;
  if (input.first) {
    if (b[0] !== 0xef || b[1] !== 0xbb || b[2] !== 0xbf) return unsure('no byte order mark');
    const end = fields.read(b, 3, b.length);
    if (end < 0 || fields.texts(b).join(',') !== HEADER) return unsure('not the Audit Review header');
    pos = end;
  }
  while (pos < b.length) {
    const end = fields.read(b, pos, b.length);
    if (end === INCOMPLETE) break;
    if (end === MALFORMED) return unsure(`a row that is not ${CSV_COLUMNS} well-formed fields`);
    const digest = hasher.digest(b, fields);
    if (digest === null) return unsure(hasher.error);
    leaves.add(digest);
    pos = end;
  }
  return leaves.output(pos);
}

// ---------------------------------------------------------------------------------------------
// records.json

/**
 * Lines as the writer lays them out: '[' first, one canonical record per line with a comma after
 * all but the last, ']' last. A record line that is already canonical JSON is its own leaf text,
 * so its bytes are hashed where they lie (the newline before it briefly becomes the 0x00 prefix);
 * other lines go through JSON.parse and canonicalJson, which canonicalEntryText (the thorough
 * scan's) computes by definition.
 */
function jsonBatch(input: BatchInput): BatchOutput {
  const b = input.bytes;
  const leaves = new LeafBuffer(b.length >> 9);
  let firstLine: JsonLineKind = 'none';
  let previous: JsonLineKind = 'none';
  let lineStart = 0;
  while (lineStart < b.length) {
    const nl = b.indexOf(0x0a, lineStart);
    if (nl < 0) return unsure('a batch that does not end with a newline');
    let kind: JsonLineKind;
    if (input.first && lineStart === 0) {
      if (nl !== 1 || b[0] !== 0x5b) return unsure('no opening bracket');
      kind = 'open';
    } else if (nl - lineStart === 1 && b[lineStart] === 0x5d) {
      kind = 'close';
    } else {
      kind = b[nl - 1] === 0x2c ? 'record' : 'last-record';
      const digest = jsonLeaf(b, lineStart, kind === 'record' ? nl - 1 : nl);
      if (digest === null) return unsure('a record line the fast reader does not take');
      leaves.add(digest);
    }
    // Within the batch the lines must join as in a valid file; across batches the caller checks.
    if (previous !== 'none' && !linesJoin(previous, kind)) return unsure('records are not laid out as written');
    if (firstLine === 'none') firstLine = kind;
    previous = kind;
    lineStart = nl + 1;
  }
  return leaves.output(b.length, firstLine, previous);
}

/** Whether line kind `next` may follow `previous` in records.json. */
export function linesJoin(previous: JsonLineKind, next: JsonLineKind): boolean {
  if (previous === 'open') return next === 'record' || next === 'last-record' || next === 'close';
  if (previous === 'record') return next === 'record' || next === 'last-record';
  if (previous === 'last-record') return next === 'close';
  return false; // nothing follows ']' (and 'none' is no line)
}

function jsonLeaf(b: Uint8Array, start: number, end: number): string | null {
  if (isCanonicalJsonObject(b, start, end)) {
    if (start === 0) return hash('sha256', Buffer.concat([new Uint8Array(1), b.subarray(start, end)]), 'binary');
    const newline = b[start - 1];
    b[start - 1] = 0x00;
    const digest = hash('sha256', b.subarray(start - 1, end), 'binary');
    b[start - 1] = newline;
    return digest;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', start, end));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  try {
    return hash('sha256', `\u0000${canonicalJson(value)}`, 'binary');
  } catch {
    return null;
  }
}
