import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilterModel } from '../../../preload/contract';
import { APP_VERSION } from '../app-info';
import { getMeta } from '../cache/meta';
import { appendCustody, listCustody, type CustodyEntry } from '../custody';
import { createIpInFunction } from '../query/ip-match';
import { buildSqlFilter } from '../query/sql-filter';
import { activeSigningKey, findActiveSigningKey } from '../signing/key-store';
import { annotationsForExport, type ExportedAnnotation } from '../annotations/export';
import { campaignsForExport } from '../campaigns/export';
import { annotatedRecordIdsInScope, findingsInScope } from './from-cache-side-data';
import type { RecordFormat } from './manifest';
import { writePackage, type ExportProgress } from './package-writer';
import { describeRedactions, type RedactOptions } from './redact';

/** A refusal or failure written for the person exporting; `code` lets the UI choose what to offer. */
export class ExportError extends Error {
  constructor(
    readonly code: 'forbidden' | 'bad_path' | 'exists' | 'cancelled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface Exporter {
  user_id: string;
  username: string;
  gateway_url: string;
}

export type FromCacheProgress = ExportProgress | { phase: 'preparing'; done: number; total?: number };

export interface ExportFromCacheOptions {
  /** A read connection this export may hold for its whole run (iterating blocks it for others). */
  db: Database.Database;
  /** The cache's writer: the signing key and the custody entries live there. */
  writerDb: Database.Database;
  filter: FilterModel;
  /** The filter as the user wrote it (recorded in the manifest). */
  filterText: string;
  formats: RecordFormat[];
  redact?: RedactOptions;
  /** Absolute path of the .zip to create; its folder must exist. */
  outPath: string;
  /** Replace an existing file at outPath (only once the new package is complete). */
  overwrite?: boolean;
  exporter: Exporter;
  signal?: AbortSignal;
  onProgress?(progress: FromCacheProgress): void;
  /** Unix seconds. */
  now?: () => number;
  /** See WritePackageOptions.recordsThread (tests and benchmarks force it either way). */
  recordsThread?: boolean;
}

export interface ExportFromCacheResult {
  path: string;
  packageId: string;
  recordCount: number;
  merkleRoot: string;
  keyId: string;
  bytes: number;
}

/**
 * Exports the records a filter selects, straight from the cache, as a signed package: records in
 * event_time order streamed from one prepared statement (never all in memory), the findings and
 * annotation history of those records, every review campaign with its coverage, and the chain of custody up to and including an 'export'
 * entry saying this export started. It is signed with the cache's active key, and a second 'export'
 * entry records how it ended (package id, path, count, Merkle root — or why it stopped).
 */
export async function exportFromCache(options: ExportFromCacheOptions): Promise<ExportFromCacheResult> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  checkOutPath(options.outPath, options.overwrite ?? false);
  const startedAt = now();
  const { db, writerDb, filter } = options;
  options.onProgress?.({ phase: 'preparing', done: 0 });

  // The filter may use CIDR blocks; the function is per connection.
  db.function('ip_in', { deterministic: true }, createIpInFunction());
  const scope = buildSqlFilter(filter, startedAt);
  const stats = db
    .prepare(`SELECT count(*) AS n, min(r.event_time) AS lo, max(r.event_time) AS hi FROM records r WHERE ${scope.where}`)
    .get(...scope.params) as { n: number; lo: number | null; hi: number | null };
  const findings = findingsInScope(db, scope);
  const annotations = annotationsOf(db, annotatedRecordIdsInScope(db, scope), findings.map((f) => f.id));
  const campaigns = campaignsForExport(db, startedAt);

  const actor = options.exporter.username || options.exporter.user_id || 'unknown';
  const hadKey = findActiveSigningKey(writerDb) !== null;
  const key = activeSigningKey(writerDb, startedAt);
  if (!hadKey) appendCustody(writerDb, { actor: 'system', action: 'key-created', details: { key_id: key.fingerprint }, at: startedAt });
  const started = appendCustody(writerDb, {
    actor,
    action: 'export',
    details: {
      stage: 'started',
      out_path: options.outPath,
      formats: [...options.formats],
      filter: options.filterText,
      record_count: stats.n,
      redactions: describeRedactions(options.redact ?? {}).map((r) => r.field),
      key_id: key.fingerprint,
    },
    at: startedAt,
  });
  const custody: CustodyEntry[] = listCustody(writerDb);

  const select = db.prepare(`SELECT r.canonical FROM records r WHERE ${scope.where} ORDER BY r.event_time, r.seq`).pluck();

  try {
    const result = await writePackage({
      outPath: options.outPath,
      storedRecords: select.iterate(...scope.params) as IterableIterator<string>,
      totalRecords: stats.n,
      formats: options.formats,
      meta: {
        exporter: { ...options.exporter },
        app_version: APP_VERSION,
        filter: { text: options.filterText, model: filter },
        time_range: timeRange(filter, startedAt, stats),
      },
      findings,
      annotations,
      custody,
      campaigns,
      redact: options.redact ?? {},
      signingKey: key,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.recordsThread !== undefined ? { recordsThread: options.recordsThread } : {}),
      now: () => new Date(startedAt * 1000),
    });
    const { manifest } = result;
    appendCustody(writerDb, {
      actor,
      action: 'export',
      details: {
        stage: 'completed',
        started_seq: started.seq,
        package_id: manifest.package_id,
        path: result.path,
        record_count: manifest.record_count,
        merkle_root: manifest.merkle.root,
        key_id: manifest.signer.key_id,
      },
      at: now(),
    });
    return {
      path: result.path,
      packageId: manifest.package_id,
      recordCount: manifest.record_count,
      merkleRoot: manifest.merkle.root,
      keyId: manifest.signer.key_id,
      bytes: result.bytes,
    };
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    const reason = (error as Error).message;
    appendCustody(writerDb, { actor, action: 'export', details: { stage: cancelled ? 'cancelled' : 'failed', started_seq: started.seq, reason }, at: now() });
    if (cancelled) throw new ExportError('cancelled', 'The export was cancelled; no file was written.');
    throw error instanceof ExportError ? error : new ExportError('failed', `The export failed and no file was written: ${reason}`);
  }
}

/**
 * Whether the cache's owner may export. Sync records the gateway's answer in meta 'permissions'
 * ({getAudit, exportAudits}); a cache without it (an import, an older cache) is not restricted.
 */
export function cacheAllowsExport(db: Database.Database): boolean {
  const text = getMeta(db, 'permissions');
  if (text === undefined) return true;
  try {
    const permissions = JSON.parse(text) as { exportAudits?: unknown };
    return permissions.exportAudits !== false;
  } catch {
    return true;
  }
}

export const EXPORT_FORBIDDEN_MESSAGE =
  'This account may not export audit logs (the gateway does not grant iam:ExportAudits). Ask a gateway admin for the permission, then sync again.';

/** The target must be an absolute path to a .zip in a folder that exists (and new, unless overwriting). */
export function checkOutPath(outPath: string, overwrite = false): void {
  if (!isAbsolute(outPath)) throw new ExportError('bad_path', `"${outPath}" is not an absolute path; give the full path of the .zip to create`);
  if (!/\.zip$/i.test(outPath)) throw new ExportError('bad_path', `"${outPath}" does not end in .zip; packages are .zip files`);
  const folder = dirname(outPath);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ExportError('bad_path', `the folder ${folder} does not exist; create it or choose another`);
  if (!overwrite && existsSync(outPath)) throw new ExportError('exists', `${outPath} already exists; choose another name or delete it first`);
}

/** Every version of the annotations on the exported records and on their findings, in version order. */
function annotationsOf(db: Database.Database, recordIds: string[], findingIds: string[]): ExportedAnnotation[] {
  const onRecords = recordIds.length > 0 ? annotationsForExport(db, recordIds) : [];
  if (findingIds.length === 0) return onRecords;
  const wanted = new Set(findingIds);
  const onFindings = annotationsForExport(db).filter((a) => a.target_kind === 'finding' && wanted.has(a.target_id));
  return [...onRecords, ...onFindings].sort((a, b) => a.version_id - b.version_id);
}

function timeRange(filter: FilterModel, now: number, stats: { lo: number | null; hi: number | null }): { from: number | null; to: number | null } {
  const RELATIVE: Record<string, number> = { '1h': 3600, '24h': 86_400, '7d': 604_800, '30d': 2_592_000, '90d': 7_776_000 };
  // The filter's own bounds say what was asked for; without them, the span of what was found.
  if (filter.relative) return { from: now - RELATIVE[filter.relative]!, to: now };
  return { from: filter.from ?? stats.lo, to: filter.to ?? stats.hi };
}
