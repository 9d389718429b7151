import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditEntry } from '../records/entry';
import { publicKeyFingerprint } from '../signing/keys';
import { publicPemOf, signBytes } from '../signing/signature';
import type { DeflatedFile } from './deflating-file';
import { hashFile, writeSmallFile, type HashedFile, type WrittenFile } from './hashing-file';
import { MANIFEST_FORMAT_VERSION, MERKLE_ALGORITHM_NAME, RECORD_FILES, manifestBytes, type Manifest, type RecordFormat } from './manifest';
import { isoFromUnix } from './record-columns';
import { RecordSink, type RecordSinkResult, type SinkedRecord, type TextFormat } from './record-sink';
import { shouldUseRecordsThread, writeStoredRecordsInThread } from './records-in-thread';
import { createRedactor, describeRedactions, type RedactOptions } from './redact';
import { verifyInstructions } from './verify-text';
import type { XlsxContext, XlsxRecordsWriter } from './xlsx-writer';
import { writeZip, type ZipInput } from './zip-writer';

export type ExportPhase = 'records' | 'xlsx' | 'zip' | 'done';

export interface ExportProgress {
  phase: ExportPhase;
  done: number;
  total?: number;
}

export interface PackageMeta {
  exporter: { user_id: string; username: string; gateway_url: string };
  app_version: string;
  filter: { text: string; model: unknown };
  time_range: { from: string | number | null; to: string | number | null };
}

export interface WritePackageOptions {
  outPath: string;
  /** The records to export, in order; or `storedRecords` instead. */
  records?: AsyncIterable<AuditEntry> | Iterable<AuditEntry>;
  /**
   * The records as the cache stores them: each text is canonicalJson of a validated entry. Cheaper
   * than `records`, because that text can be hashed and written as is (see stored-record.ts).
   */
  storedRecords?: Iterable<string>;
  /**
   * Write stored records from a second thread (records-in-thread.ts): true/false force it, unset
   * decides by `totalRecords`. Only stored records without redaction or XLSX use it (else ignored).
   */
  recordsThread?: boolean;
  /** Known total, for progress only. */
  totalRecords?: number;
  formats: RecordFormat[];
  meta: PackageMeta;
  findings?: unknown[];
  annotations?: unknown[];
  custody?: unknown[];
  campaigns?: unknown[];
  redact?: RedactOptions;
  signingKey: { privatePem: string; publicPem: string };
  signal?: AbortSignal;
  onProgress?(progress: ExportProgress): void;
  /** Injected for tests. */
  now?: () => Date;
}

export interface WritePackageResult {
  path: string;
  manifest: Manifest;
  bytes: number;
}

const PROGRESS_EVERY = 4096;

/**
 * Writes a signed evidence package. Records are read once; every chosen format is written to its
 * own temp file (hashed as it is written) in a temp folder beside the target, then everything is
 * zipped to a partial file that is renamed into place only when complete. On cancel or any
 * failure, the temp folder and partial zip are removed and nothing appears at `outPath`.
 */
export async function writePackage(options: WritePackageOptions): Promise<WritePackageResult> {
  const formats = [...new Set(options.formats)];
  if (formats.length === 0) throw new Error('choose at least one format (json, csv or xlsx)');
  for (const f of formats) if (!(f in RECORD_FILES)) throw new Error(`unknown export format "${f}"; use json, csv or xlsx`);
  const publicPem = publicPemOf(options.signingKey.privatePem);
  if (publicKeyFingerprint(publicPem) !== publicKeyFingerprint(options.signingKey.publicPem)) {
    throw new Error('the signing key pair does not match (public key is not the private key\'s); nothing was exported');
  }

  const outDir = dirname(options.outPath);
  const tempDir = await mkdtemp(join(outDir, `.${basename(options.outPath)}.tmp-`));
  const partialZip = `${options.outPath}.partial-${randomBytes(6).toString('hex')}`;
  const writers: Array<{ destroy(): Promise<void> }> = [];
  try {
    const result = await buildPackage(options, formats, publicPem, tempDir, partialZip, writers);
    await rename(partialZip, options.outPath);
    options.onProgress?.({ phase: 'done', done: 1, total: 1 });
    return { ...result, path: options.outPath };
  } catch (error) {
    await Promise.all(writers.map((w) => w.destroy().catch(() => undefined)));
    await rm(partialZip, { force: true });
    throw error;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('export cancelled');
}

async function buildPackage(
  options: WritePackageOptions,
  formats: RecordFormat[],
  publicPem: string,
  tempDir: string,
  partialZip: string,
  writers: Array<{ destroy(): Promise<void> }>,
): Promise<Omit<WritePackageResult, 'path'>> {
  const { signal, onProgress } = options;
  const now = options.now?.() ?? new Date();
  const redactor = createRedactor(options.redact ?? {});

  const textFormats = formats.filter((f): f is TextFormat => f !== 'xlsx');
  const redact = redactor.active ? redactor.redact : null;
  // The XLSX Summary sheet: known only once every record went past.
  const xlsxContext = (count: number): XlsxContext => ({
    scope: scopeRows(options.meta, now, count),
    filterText: options.meta.filter.text,
    filterModel: options.meta.filter.model,
    findings: redactor.redactSideData(options.findings ?? []),
    annotations: redactor.redactSideData(options.annotations ?? []),
    campaigns: redactor.redactSideData(options.campaigns ?? []),
  });

  let records: RecordSinkResult;
  let xlsxFile: HashedFile | null = null;
  // exceljs stays in this thread: in a worker it cost more than it saved (measured at 100k).
  const threadable = options.storedRecords !== undefined && !redact && !formats.includes('xlsx');
  if (threadable && (options.recordsThread ?? shouldUseRecordsThread(options.totalRecords))) {
    records = await writeStoredRecordsInThread(options.storedRecords!, tempDir, textFormats, {
      ...(signal ? { signal } : {}),
      onRecords: (done) => onProgress?.({ phase: 'records', done, total: options.totalRecords }),
    });
    onProgress?.({ phase: 'records', done: records.count, total: options.totalRecords ?? records.count });
  } else {
    let xlsx: XlsxRecordsWriter | null = null;
    if (formats.includes('xlsx')) {
      // exceljs takes about a second to load: only exports that write XLSX pay for it.
      const { XlsxRecordsWriter: Writer } = await import('./xlsx-writer');
      xlsx = new Writer(join(tempDir, RECORD_FILES.xlsx));
    }
    const sink = new RecordSink(tempDir, textFormats, { redact, rowsForCaller: xlsx !== null });
    writers.push(sink);
    const afterRecord = async (record: SinkedRecord): Promise<void> => {
      xlsx?.add(record.entry, record.row ?? undefined);
      const behind = sink.behind;
      if (behind) await sink.drain();
      if (sink.records % PROGRESS_EVERY === 0) {
        if (signal?.aborted) checkAbort(signal);
        onProgress?.({ phase: 'records', done: sink.records, total: options.totalRecords });
        // Lets compression callbacks, the exceljs zip stream and abort events run even when the
        // source is synchronous.
        if (!behind) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    if (options.storedRecords) {
      for (const text of options.storedRecords) await afterRecord(sink.addStored(text));
    } else if (options.records) {
      for await (const raw of options.records) {
        if (signal?.aborted) checkAbort(signal);
        await afterRecord(sink.addEntry(raw));
      }
    } else {
      throw new Error('no records given (records or storedRecords)');
    }
    checkAbort(signal);
    records = await sink.close();
    onProgress?.({ phase: 'records', done: records.count, total: options.totalRecords ?? records.count });
    if (xlsx) {
      checkAbort(signal);
      onProgress?.({ phase: 'xlsx', done: 0, total: 1 });
      await xlsx.finish(xlsxContext(records.count));
      xlsxFile = await hashFile(join(tempDir, RECORD_FILES.xlsx));
      onProgress?.({ phase: 'xlsx', done: 1, total: 1 });
    }
  }
  const count = records.count;
  checkAbort(signal);

  const written = new Map<string, WrittenFile>();
  const deflated = new Map<string, DeflatedFile>();
  for (const { name, file } of records.files) {
    written.set(name, file);
    deflated.set(name, file);
  }
  if (xlsxFile) written.set(RECORD_FILES.xlsx, xlsxFile);
  checkAbort(signal);

  const side: Array<[string, unknown[]]> = [
    ['findings.json', options.findings ?? []],
    ['annotations.json', options.annotations ?? []],
    ['custody.json', options.custody ?? []],
  ];
  for (const [name, items] of side) {
    written.set(name, await writeSmallFile(join(tempDir, name), `${JSON.stringify(redactor.redactSideData(items), null, 2)}\n`));
  }
  written.set('signer.pub.pem', await writeSmallFile(join(tempDir, 'signer.pub.pem'), publicPem));

  const keyId = publicKeyFingerprint(publicPem);
  const packageId = randomUUID();
  const hashedSoFar = [...written].map(([path, f]) => ({ path, sha256: f.sha256 }));
  written.set('VERIFY.txt', await writeSmallFile(join(tempDir, 'VERIFY.txt'), verifyInstructions(hashedSoFar, keyId, packageId)));

  const manifest: Manifest = {
    format_version: MANIFEST_FORMAT_VERSION,
    package_id: packageId,
    created_at: now.toISOString(),
    app_version: options.meta.app_version,
    exporter: { ...options.meta.exporter },
    filter: { text: options.meta.filter.text, model: options.meta.filter.model ?? null },
    time_range: { from: options.meta.time_range.from ?? null, to: options.meta.time_range.to ?? null },
    record_count: count,
    files: [...written].map(([path, f]) => ({ path, bytes: f.bytes, sha256: f.sha256 })),
    merkle: { algorithm: MERKLE_ALGORITHM_NAME, root: records.merkleRoot!, leaf_count: count },
    redactions: describeRedactions(options.redact ?? {}),
    signer: { key_id: keyId, algorithm: 'Ed25519' },
  };
  const bytes = manifestBytes(manifest);
  await writeSmallFile(join(tempDir, 'manifest.json'), bytes);
  await writeSmallFile(join(tempDir, 'manifest.sig'), signBytes(options.signingKey.privatePem, bytes));

  const order = ['manifest.json', 'manifest.sig', ...written.keys()];
  const inputs: ZipInput[] = order.map((name): ZipInput => {
    const path = join(tempDir, name);
    const packed = deflated.get(name);
    if (packed) return { kind: 'deflated', name, path, crc32: packed.crc32, compressedBytes: packed.compressedBytes, uncompressedBytes: packed.bytes };
    // records.xlsx is a zip already: deflating it again would cost time and save nothing.
    if (name === RECORD_FILES.xlsx && xlsxFile) return { kind: 'stored', name, path, crc32: xlsxFile.crc32, bytes: xlsxFile.bytes };
    return { kind: 'small', name, path };
  });
  checkAbort(signal);
  await writeZip(partialZip, inputs, now, { ...(signal ? { signal } : {}), onBytes: (done, total) => onProgress?.({ phase: 'zip', done, total }) });
  return { manifest, bytes: (await stat(partialZip)).size };
}

function scopeRows(meta: PackageMeta, now: Date, count: number): Array<[string, string]> {
  const time = (t: string | number | null) => (t === null ? '(open)' : typeof t === 'number' ? isoFromUnix(t) : t);
  return [
    ['Gateway', meta.exporter.gateway_url],
    ['Exported by', `${meta.exporter.username} (${meta.exporter.user_id})`],
    ['Exported at (UTC)', now.toISOString()],
    ['Time range from', time(meta.time_range.from)],
    ['Time range to', time(meta.time_range.to)],
    ['Record count', String(count)],
  ];
}
