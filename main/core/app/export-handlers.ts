import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { ExportProgressPayload, KeysInfo, VerifyReport, exportMethods } from '../../../preload/contract/exporting';
import { appendCustody } from '../custody';
import { EXPORT_FORBIDDEN_MESSAGE, ExportError, checkOutPath, exportFromCache, type FromCacheProgress } from '../export/from-cache';
import { formatFilter } from '../query/filter-language';
import { activeSigningKey, findActiveSigningKey, publicKeys } from '../signing/key-store';
import { shortFingerprint } from '../signing/keys';
import { verifyProofFile } from '../verify/proof';
import { verifyPackage, type VerifyResult } from '../verify/verify-package';
import { AppError } from './errors';

export interface ExportSession {
  user_id: string;
  username: string;
  gateway_url: string;
  canExport: boolean;
}

export interface ExportHandlerDeps {
  /**
   * Opens a NEW read-only connection to the open cache for one export (null when locked). The
   * export holds it while it streams records and closes it when done, so the UI's own query
   * connection is never blocked by the export's iterator.
   */
  openReader(): Database.Database | null;
  /** The cache's writer connection (signing keys and custody live there); null when locked. */
  writer(): Database.Database | null;
  session(): ExportSession | null;
  emit(progress: ExportProgressPayload): void;
  /** Unix seconds. */
  now(): number;
}

// Typed against the exporting part of the contract directly, so this file stands on its own.
type ExportMethods = typeof exportMethods;
type Input<M extends keyof ExportMethods> = z.output<ExportMethods[M]['input']>;
type Output<M extends keyof ExportMethods> = z.output<ExportMethods[M]['output']>;

/** At most this often while records stream (phase changes and the end are always sent). */
const PROGRESS_INTERVAL_MS = 150;

/**
 * The contract's export.*, verify.package and keys.info methods. One export runs at a time; it
 * keeps going in the background after 'export.start' returns its job id.
 */
export function createExportHandlers(deps: ExportHandlerDeps) {
  let status: ExportProgressPayload = idle();
  let job: { id: string; controller: AbortController; running: Promise<void> } | null = null;
  let lastEmit = 0;

  const publish = (next: Partial<ExportProgressPayload>, force = true) => {
    status = { ...status, ...next };
    const now = Date.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    deps.emit(status);
  };

  const requireOpen = () => {
    const writer = deps.writer();
    const session = deps.session();
    if (!writer || !session) throw new AppError('locked', 'Unlock the cache first.');
    return { writer, session };
  };

  const run = async (id: string, input: Input<'export.start'>, reader: Database.Database, writer: Database.Database, session: ExportSession, signal: AbortSignal) => {
    try {
      const result = await exportFromCache({
        db: reader,
        writerDb: writer,
        filter: input.filter,
        filterText: formatFilter(input.filter),
        formats: input.formats,
        redact: Object.fromEntries(input.redact.map((r) => [r, true])),
        outPath: input.outPath,
        exporter: { user_id: session.user_id, username: session.username, gateway_url: session.gateway_url },
        signal,
        now: deps.now,
        onProgress: (p: FromCacheProgress) => {
          const phaseChanged = p.phase !== status.phase;
          publish({ phase: p.phase, done: p.done, total: p.total ?? null }, phaseChanged || p.phase === 'done');
        },
      });
      publish({ phase: 'done', done: result.recordCount, total: result.recordCount, result });
    } catch (error) {
      const cancelled = error instanceof ExportError && error.code === 'cancelled';
      const message = error instanceof ExportError ? error.message : `The export failed and no file was written: ${(error as Error).message}`;
      publish({ phase: cancelled ? 'cancelled' : 'failed', error: message });
    } finally {
      reader.close();
      if (job?.id === id) job = null;
    }
  };

  return {
    'export.start': (input: Input<'export.start'>): Output<'export.start'> => {
      const { writer, session } = requireOpen();
      if (!session.canExport) throw new AppError('forbidden', EXPORT_FORBIDDEN_MESSAGE);
      if (job) throw new AppError('busy', 'An export is already running; wait for it or cancel it first.');
      checkOutPath(input.outPath);
      const reader = deps.openReader();
      if (!reader) throw new AppError('locked', 'Unlock the cache first.');
      const id = randomUUID();
      const controller = new AbortController();
      status = { ...idle(), jobId: id, phase: 'preparing', path: input.outPath };
      publish({});
      const running = run(id, input, reader, writer, session, controller.signal);
      job = { id, controller, running };
      return { jobId: id };
    },

    'export.cancel': ({ jobId }: Input<'export.cancel'>): Output<'export.cancel'> => {
      if (job && (jobId === undefined || jobId === job.id)) job.controller.abort(new Error('cancelled'));
      return { ok: true as const };
    },

    'export.status': (): Output<'export.status'> => status,

    'verify.package': async ({ path, requireTrusted }: Input<'verify.package'>): Promise<VerifyReport> => {
      if (!isAbsolute(path)) throw new AppError('bad_path', `"${path}" is not an absolute path; give the full path of the package`);
      if (!existsSync(path) || !statSync(path).isFile()) throw new AppError('bad_path', `${path} does not exist or is not a file`);
      const writer = deps.writer();
      // Packages signed by this cache (before or after a rotation) count as trusted.
      const trustedKeys = writer ? publicKeys(writer).map((k) => k.publicPem) : [];
      const options = { trustedKeys, requireTrusted: requireTrusted ?? false };
      const result: VerifyResult = /\.json$/i.test(path) ? await verifyProofFile(path, options) : await verifyPackage(path, options);
      const session = deps.session();
      if (writer && session) {
        appendCustody(writer, {
          actor: session.username || session.user_id,
          action: 'verify',
          details: { path, ok: result.ok, package_id: result.manifest?.package_id ?? null, summary: result.summary },
          at: deps.now(),
        });
      }
      return { ok: result.ok, summary: result.summary, checks: result.checks, manifest: (result.manifest as Record<string, unknown> | undefined) ?? null };
    },

    'keys.info': (): KeysInfo => {
      const { writer } = requireOpen();
      const existed = findActiveSigningKey(writer) !== null;
      const now = deps.now();
      const active = activeSigningKey(writer, now);
      if (!existed) appendCustody(writer, { actor: 'system', action: 'key-created', details: { key_id: active.fingerprint }, at: now });
      const retired = publicKeys(writer)
        .filter((k) => k.retiredAt !== null)
        .map((k) => ({ ...k, short: shortFingerprint(k.fingerprint) }));
      return { fingerprint: active.fingerprint, short: shortFingerprint(active.fingerprint), publicPem: active.publicPem, createdAt: active.createdAt, retired };
    },

    /** For hosts and tests: resolves when the running export (if any) has finished. */
    async whenIdle(): Promise<void> {
      await job?.running;
    },
  };
}

function idle(): ExportProgressPayload {
  return { jobId: null, phase: 'idle', done: 0, total: null, path: null, error: null, result: null };
}
