import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditEntry } from '../records/entry';
import { publicKeyFingerprint } from '../signing/keys';
import { publicPemOf, signBytes } from '../signing/signature';
import { canonicalEntryText, normalizeEntry } from './canonical-entry';
import { CSV_BOM, csvHeader, csvLine } from './csv-cells';
import { HashingFileWriter, hashFile, writeSmallFile, type WrittenFile } from './hashing-file';
import { MANIFEST_FORMAT_VERSION, MERKLE_ALGORITHM_NAME, RECORD_FILES, manifestBytes, type Manifest, type RecordFormat } from './manifest';
import { MerkleRootBuilder } from './merkle';
import { RECORD_COLUMNS, entryToRow, isoFromUnix } from './record-columns';
import { createRedactor, describeRedactions, type RedactOptions } from './redact';
import { verifyInstructions } from './verify-text';
import { XlsxRecordsWriter } from './xlsx-writer';
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
  records: AsyncIterable<AuditEntry> | Iterable<AuditEntry>;
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
  const merkle = new MerkleRootBuilder();

  const json = formats.includes('json') ? new HashingFileWriter(join(tempDir, RECORD_FILES.json)) : null;
  const csv = formats.includes('csv') ? new HashingFileWriter(join(tempDir, RECORD_FILES.csv)) : null;
  const xlsx = formats.includes('xlsx') ? new XlsxRecordsWriter(join(tempDir, RECORD_FILES.xlsx)) : null;
  for (const w of [json, csv]) if (w) writers.push(w);

  json?.write('[\n');
  csv?.write(CSV_BOM + csvHeader(RECORD_COLUMNS));

  let count = 0;
  for await (const raw of options.records) {
    if (signal?.aborted) checkAbort(signal);
    const entry = redactor.redact(normalizeEntry(raw, count));
    const text = canonicalEntryText(entry);
    merkle.addRecord(text);
    // One canonical record per line: re-importable JSON, and the verifier can stream it line by line.
    let behind = false;
    if (json) behind = !json.write(count === 0 ? text : `,\n${text}`) || behind;
    if (csv) behind = !csv.write(csvLine(entryToRow(entry))) || behind;
    xlsx?.add(entry);
    count++;
    if (behind) {
      if (json) await json.drain();
      if (csv) await csv.drain();
    }
    if (count % PROGRESS_EVERY === 0) {
      onProgress?.({ phase: 'records', done: count, total: options.totalRecords });
      // Let the exceljs zip stream (and abort events) run even when the source is synchronous.
      if (xlsx || !behind) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  onProgress?.({ phase: 'records', done: count, total: options.totalRecords ?? count });
  checkAbort(signal);

  json?.write(count > 0 ? '\n]\n' : ']\n');
  const written = new Map<string, WrittenFile>();
  if (json) written.set(RECORD_FILES.json, await json.close());
  if (csv) written.set(RECORD_FILES.csv, await csv.close());
  if (xlsx) {
    onProgress?.({ phase: 'xlsx', done: 0, total: 1 });
    await xlsx.finish({
      scope: scopeRows(options.meta, now, count),
      filterText: options.meta.filter.text,
      filterModel: options.meta.filter.model,
      findings: redactor.redactSideData(options.findings ?? []),
      annotations: redactor.redactSideData(options.annotations ?? []),
      campaigns: redactor.redactSideData(options.campaigns ?? []),
    });
    written.set(RECORD_FILES.xlsx, await hashFile(join(tempDir, RECORD_FILES.xlsx)));
    onProgress?.({ phase: 'xlsx', done: 1, total: 1 });
  }
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
    merkle: { algorithm: MERKLE_ALGORITHM_NAME, root: merkle.root().toString('hex'), leaf_count: merkle.leafCount },
    redactions: describeRedactions(options.redact ?? {}),
    signer: { key_id: keyId, algorithm: 'Ed25519' },
  };
  const bytes = manifestBytes(manifest);
  await writeSmallFile(join(tempDir, 'manifest.json'), bytes);
  await writeSmallFile(join(tempDir, 'manifest.sig'), signBytes(options.signingKey.privatePem, bytes));

  const order = ['manifest.json', 'manifest.sig', ...written.keys()];
  const inputs: ZipInput[] = [];
  for (const name of order) {
    const path = join(tempDir, name);
    inputs.push({ name, path, bytes: (await stat(path)).size });
  }
  checkAbort(signal);
  await writeZip(partialZip, inputs, now, signal, (done, total) => onProgress?.({ phase: 'zip', done, total }));
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
