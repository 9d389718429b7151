import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { AuditEntry } from '../records/entry';
import { canonicalEntryText, normalizeEntry } from './canonical-entry';
import { CSV_BOM, csvHeader, csvLine } from './csv-cells';
import { DeflatingFileWriter, type DeflatedFile } from './deflating-file';
import { RECORD_FILES } from './manifest';
import { MerkleRootBuilder } from './merkle';
import { RECORD_COLUMNS, entryToRow } from './record-columns';
import { StoredRecordReader, storedCsvLineBound } from './stored-record';

/** The text formats a sink writes itself; records.xlsx goes through exceljs beside it. */
export type TextFormat = 'json' | 'csv';

export interface RecordSinkResult {
  count: number;
  /** Null when the sink handed its leaves out (the caller builds the tree). */
  merkleRoot: string | null;
  files: Array<{ name: string; file: DeflatedFile }>;
}

/** What the sink hands back for each record, for writers that need more than text (XLSX). */
export interface SinkedRecord {
  /** The record as an object (for a stored record of the usual shape, parsed only when read). */
  readonly entry: AuditEntry;
  /** The canonical text written and hashed; the stored text itself whenever it could be used. */
  canonical: string;
  /** entryToRow(entry), given only when the sink was asked for rows (rowsForCaller). */
  row: string[] | null;
}

export interface RecordSinkOptions {
  redact?: ((entry: AuditEntry) => AuditEntry) | null;
  /** Hand each record's CSV cells back (the XLSX writer uses them). */
  rowsForCaller?: boolean;
  /**
   * Collect the leaf hashes for the caller to take (takeLeaves) instead of building the root here:
   * the records thread sends them back with each batch.
   */
  handOutLeaves?: boolean;
}

const LEAF_BYTES = 32;
/** Between two records in records.json. */
const JSON_SEPARATOR = Buffer.from(',\n');

/**
 * Turns records into the package's text data files (records.json, records.csv, deflated as they
 * are written) and the Merkle leaves over them. It runs in the exporting thread or, for big
 * exports, in a worker thread (records-thread.ts); both give the same bytes because they share
 * this code.
 *
 * A record from the cache is written from the UTF-8 of its stored text (stored-record.ts): its
 * leaf hashed from those bytes, records.json copied from them, its CSV line written from them.
 */
export class RecordSink {
  private readonly json: DeflatingFileWriter | null;
  private readonly csv: DeflatingFileWriter | null;
  private readonly redact: ((entry: AuditEntry) => AuditEntry) | null;
  private readonly rowsForCaller: boolean;
  private readonly merkle: MerkleRootBuilder | null;
  /** Leaf hashes not yet taken (handOutLeaves), packed 32 bytes each. */
  private leaves: Buffer | null;
  private leafCount = 0;
  private readonly stored = new StoredRecordReader();
  /** UTF-8 of the stored record being written, after one spare byte (see addReadRecord). */
  private scratch = Buffer.alloc(1 << 16);
  private count = 0;

  constructor(dir: string, formats: readonly TextFormat[], options: RecordSinkOptions = {}) {
    this.redact = options.redact ?? null;
    this.rowsForCaller = options.rowsForCaller ?? false;
    this.merkle = options.handOutLeaves ? null : new MerkleRootBuilder();
    this.leaves = options.handOutLeaves ? Buffer.allocUnsafe(1024 * LEAF_BYTES) : null;
    this.json = formats.includes('json') ? new DeflatingFileWriter(join(dir, RECORD_FILES.json)) : null;
    this.csv = formats.includes('csv') ? new DeflatingFileWriter(join(dir, RECORD_FILES.csv)) : null;
    this.json?.write('[\n');
    this.csv?.write(CSV_BOM + csvHeader(RECORD_COLUMNS));
  }

  get records(): number {
    return this.count;
  }

  /**
   * A record read from the cache: its text is canonicalJson of the validated entry, so for the
   * usual shape it is written and hashed as it is, and its cells are read out of it.
   */
  addStored(canonical: string): SinkedRecord {
    if (!this.redact) {
      if (canonical.length * 3 + 1 > this.scratch.length) this.scratch = Buffer.alloc(canonical.length * 3 + 1);
      const end = 1 + this.scratch.write(canonical, 1, 'utf8');
      if (this.stored.read(this.scratch, 1, end)) return storedRecord(canonical, this.addReadRecord(this.scratch, 1, end));
    }
    return this.addEntry(JSON.parse(canonical) as AuditEntry);
  }

  /**
   * Stored records as the records thread receives them: their UTF-8, each preceded by a newline
   * (canonical JSON holds none). Bytes, not strings: a string per record (or per batch) cost the
   * thread more in copying and collecting than the formatting itself.
   */
  addStoredUtf8(bytes: Buffer): void {
    let from = 1;
    while (from <= bytes.length) {
      let to = bytes.indexOf(0x0a, from);
      if (to < 0) to = bytes.length;
      if (!this.redact && this.stored.read(bytes, from, to)) this.addReadRecord(bytes, from, to);
      else this.addEntry(JSON.parse(bytes.toString('utf8', from, to)) as AuditEntry);
      from = to + 1;
    }
  }

  /**
   * Writes the record the reader just read from bytes[from, to); returns its cells when the caller
   * wants them. The byte before `from` is borrowed for the leaf hash's 0x00 prefix, so the record
   * is hashed where it lies.
   */
  private addReadRecord(bytes: Buffer, from: number, to: number): string[] | null {
    const before = bytes[from - 1]!;
    bytes[from - 1] = 0x00;
    this.addLeaf(hash('sha256', bytes.subarray(from - 1, to), 'binary'));
    bytes[from - 1] = before;
    if (this.json) {
      if (this.count > 0) this.json.writeBytes(JSON_SEPARATOR, 0, JSON_SEPARATOR.length);
      this.json.writeBytes(bytes, from, to);
    }
    if (this.csv) {
      const out = this.csv.reserve(storedCsvLineBound(to - from));
      this.csv.advance(this.stored.csvLine(out, this.csv.offset));
    }
    this.count++;
    return this.rowsForCaller ? this.stored.cells() : null;
  }

  /** Any entry: checked (throws naming the record when it cannot be exported), redacted, written. */
  addEntry(raw: AuditEntry): SinkedRecord {
    const normalized = normalizeEntry(raw, this.count);
    const entry = this.redact ? this.redact(normalized) : normalized;
    const row = this.csv || this.rowsForCaller ? entryToRow(entry) : null;
    const canonical = canonicalEntryText(entry);
    this.write(canonical, row);
    return { entry, canonical, row: this.rowsForCaller ? row : null };
  }

  /** The leaf hashes added since the last call, packed (handOutLeaves only). */
  takeLeaves(): { leaves: Buffer; count: number } {
    if (!this.leaves) throw new Error('this sink builds its own Merkle root');
    const taken = { leaves: Buffer.from(this.leaves.subarray(0, this.leafCount * LEAF_BYTES)), count: this.leafCount };
    this.leafCount = 0;
    return taken;
  }

  private write(canonical: string, row: string[] | null): void {
    this.addLeaf(hash('sha256', `\u0000${canonical}`, 'binary'));
    this.writeJson(canonical);
    this.csv?.write(csvLine(row!));
    this.count++;
  }

  private writeJson(canonical: string): void {
    // One canonical record per line: re-importable JSON, and the verifier can stream it line by line.
    this.json?.write(this.count === 0 ? canonical : `,\n${canonical}`);
  }

  /** One leaf hash (a latin1 digest, as crypto.hash gives it cheapest). */
  private addLeaf(digest: string): void {
    if (this.merkle) {
      this.merkle.addLeafDigest(digest);
      return;
    }
    if ((this.leafCount + 1) * LEAF_BYTES > this.leaves!.length) {
      const grown = Buffer.allocUnsafe(this.leaves!.length * 2);
      this.leaves!.copy(grown, 0, 0, this.leafCount * LEAF_BYTES);
      this.leaves = grown;
    }
    this.leaves!.write(digest, this.leafCount * LEAF_BYTES, LEAF_BYTES, 'latin1');
    this.leafCount++;
  }

  /** True when compression is behind and the caller should `await drain()` before adding more. */
  get behind(): boolean {
    return (this.json?.behind ?? false) || (this.csv?.behind ?? false);
  }

  async drain(): Promise<void> {
    await this.json?.drain();
    await this.csv?.drain();
  }

  async close(): Promise<RecordSinkResult> {
    this.json?.write(this.count > 0 ? '\n]\n' : ']\n');
    const files: RecordSinkResult['files'] = [];
    if (this.json) files.push({ name: RECORD_FILES.json, file: await this.json.close() });
    if (this.csv) files.push({ name: RECORD_FILES.csv, file: await this.csv.close() });
    return { count: this.count, merkleRoot: this.merkle ? this.merkle.root().toString('hex') : null, files };
  }

  async destroy(): Promise<void> {
    await Promise.all([this.json?.destroy(), this.csv?.destroy()]);
  }
}

/** A stored record as handed back: its entry is parsed only if a writer reads it. */
function storedRecord(canonical: string, row: string[] | null): SinkedRecord {
  let entry: AuditEntry | null = null;
  return {
    canonical,
    row,
    get entry() {
      return (entry ??= JSON.parse(canonical) as AuditEntry);
    },
  };
}
