import { join } from 'node:path';
import type { AuditEntry } from '../records/entry';
import { canonicalEntryText, normalizeEntry } from './canonical-entry';
import { CSV_BOM, csvHeader, csvLine } from './csv-cells';
import { DeflatingFileWriter, type DeflatedFile } from './deflating-file';
import { RECORD_FILES } from './manifest';
import { MerkleRootBuilder } from './merkle';
import { RECORD_COLUMNS, entryToRow } from './record-columns';
import { plainStoredRow } from './stored-row';

/** The text formats a sink writes itself; records.xlsx goes through exceljs beside it. */
export type TextFormat = 'json' | 'csv';

export interface RecordSinkResult {
  count: number;
  /** Null when the sink was told not to hash (the caller builds the tree). */
  merkleRoot: string | null;
  files: Array<{ name: string; file: DeflatedFile }>;
}

/** What the sink hands back for each record, for writers that need more than text (XLSX). */
export interface SinkedRecord {
  /** The record as an object (for a stored record of the usual shape, parsed only when read). */
  readonly entry: AuditEntry;
  /** The canonical text written and hashed; the stored text itself whenever it could be used. */
  canonical: string;
  /** entryToRow(entry), computed only when the sink was asked for rows. */
  row: string[] | null;
}

/**
 * Turns records into the package's text data files (records.json, records.csv, deflated as they
 * are written) and the Merkle root over them. It runs in the exporting thread or, for big exports,
 * in a worker thread (records-thread.ts); both give the same bytes because they share this code.
 */
export class RecordSink {
  private readonly json: DeflatingFileWriter | null;
  private readonly csv: DeflatingFileWriter | null;
  private readonly merkle: MerkleRootBuilder | null;
  private count = 0;

  constructor(
    dir: string,
    formats: readonly TextFormat[],
    private readonly redact: ((entry: AuditEntry) => AuditEntry) | null = null,
    private readonly wantRows = formats.includes('csv'),
    hashLeaves = true,
  ) {
    this.merkle = hashLeaves ? new MerkleRootBuilder() : null;
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
   * usual shape it is written and hashed as it is and its cells are read out of it (stored-row.ts).
   */
  addStored(canonical: string): SinkedRecord {
    const cells = this.redact ? null : plainStoredRow(canonical);
    if (cells === null) return this.addEntry(JSON.parse(canonical) as AuditEntry);
    const row = this.wantRows ? cells : null;
    this.write(canonical, row);
    let entry: AuditEntry | null = null;
    return {
      canonical,
      row,
      get entry() {
        return (entry ??= JSON.parse(canonical) as AuditEntry);
      },
    };
  }

  /** Any entry: checked (throws naming the record when it cannot be exported), redacted, written. */
  addEntry(raw: AuditEntry): SinkedRecord {
    const normalized = normalizeEntry(raw, this.count);
    const entry = this.redact ? this.redact(normalized) : normalized;
    const row = this.wantRows ? entryToRow(entry) : null;
    const canonical = canonicalEntryText(entry);
    this.write(canonical, row);
    return { entry, canonical, row };
  }

  private write(canonical: string, row: string[] | null): void {
    this.merkle?.addRecord(canonical);
    // One canonical record per line: re-importable JSON, and the verifier can stream it line by line.
    this.json?.write(this.count === 0 ? canonical : `,\n${canonical}`);
    this.csv?.write(csvLine(row!));
    this.count++;
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
