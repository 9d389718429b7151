import type { Cache } from '../cache/cache';
import { insertEntries } from '../cache/insert';
import { markAccessRevoked } from '../cache/meta';
import { readSyncCursor, writeSyncCursor, type CursorUpdate } from '../cache/sync-state';
import { GatewayError, type GatewayClient, type GatewayErrorKind } from '../gateway/types';
import { progressMeter, type SyncProgress } from './progress';
import { DEFAULT_HORIZON_SECONDS, DEFAULT_WINDOW_SECONDS, type TimeWindow } from './windows';

export interface SyncOptions {
  cache: Pick<Cache, 'db'>;
  client: Pick<GatewayClient, 'listAuditLogs'>;
  /** Unix seconds; injected so tests control time. */
  now: () => number;
  windowSeconds?: number;
  pageSize?: number;
  /** How far back the first sync reaches (default 180 days). */
  horizonSeconds?: number;
  /**
   * Each sync re-reads this much before the cursor (default 0; the app and the CLI use
   * RECOMMENDED_OVERLAP_SECONDS). Entries a gateway commits a little after their event_time, or
   * stamps with a clock running slightly behind ours, would otherwise fall behind a cursor that
   * already passed them; re-read ones are de-duplicated by id.
   */
  overlapSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Monotonic milliseconds for rate/ETA (default performance.now). */
  clockMs?: () => number;
}

export type SyncOutcome = 'complete' | 'cancelled' | 'unauthorized' | 'forbidden' | 'failed';

export interface SyncResult {
  outcome: SyncOutcome;
  /** Entries received in this run. */
  fetched: number;
  inserted: number;
  duplicates: number;
  pages: number;
  /** The cursor after the run: everything up to here is in the cache. */
  syncedUntil: number | null;
  /** Set unless outcome is 'complete'. */
  error?: { kind: GatewayErrorKind | 'unknown'; message: string };
}

/** Ten minutes: covers late commits and modest clock skew at the cost of re-reading a little. */
export const RECOMMENDED_OVERLAP_SECONDS = 600;
export const DEFAULT_PAGE_SIZE = 1000;
/** A window whose total keeps changing is re-paged this often before the run gives up on it. */
const MAX_REPAGES = 5;
/** Upper bound on how far a window may grow over sparse data, in base windows. */
const MAX_WINDOW_GROWTH = 32;

/**
 * Incremental sync: windows of [start_at, end_at] from the cursor up to now-1, each paged in
 * direction=asc (windows grow over sparse stretches). Every page is committed together with the cursor that says where to continue,
 * so a crash at any moment loses nothing and, because rows are de-duplicated by id, repeats
 * nothing. Offset paging is only stable while the window's `total` stays the same; when it
 * changes, the window is re-paged from page 1 (duplicates are ignored on insert).
 *
 * Gateway errors end the run with an outcome instead of throwing: committed work stays, and the
 * caller decides (sign in again on 'unauthorized'; 'forbidden' also marks the cache access_revoked).
 */
export async function syncCache(options: SyncOptions): Promise<SyncResult> {
  const { cache, client, signal } = options;
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const requestedPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const meter = progressMeter(options.clockMs ?? (() => performance.now()));
  const startedAt = options.now();
  const rangeEnd = startedAt - 1;
  const tally = { fetched: 0, inserted: 0, duplicates: 0, pages: 0 };
  let total: number | undefined;
  let current: TimeWindow = { start: rangeEnd, end: rangeEnd };

  const report = (phase: SyncProgress['phase']) =>
    options.onProgress?.(meter({ phase, records: tally.fetched, inserted: tally.inserted, total, window: current }));
  const result = (outcome: SyncOutcome, error?: SyncResult['error']): SyncResult => ({
    outcome,
    ...tally,
    syncedUntil: readSyncCursor(cache.db).syncedUntil,
    ...(error ? { error } : {}),
  });

  try {
    writeSyncCursor(cache.db, { lastSyncStartedAt: startedAt });
    const cursor = readSyncCursor(cache.db);
    const horizonStart = startedAt - (options.horizonSeconds ?? DEFAULT_HORIZON_SECONDS);
    const resume = cursor.windowStart !== null && cursor.windowEnd !== null ? cursor : null;
    const overlap = resume || cursor.syncedUntil === null ? 0 : (options.overlapSeconds ?? 0);
    const nextStart = Math.max((resume ? resume.windowEnd! : (cursor.syncedUntil ?? horizonStart - 1)) + 1 - overlap, horizonStart);
    const firstStart = resume ? resume.windowStart! : nextStart;

    if (firstStart <= rangeEnd) {
      current = { start: firstStart, end: rangeEnd };
      report('counting');
      const counted = await client.listAuditLogs({ start_at: firstStart, end_at: rangeEnd, direction: 'asc', page: 1, page_size: 1 }, signal);
      total = counted.total;
      writeSyncCursor(cache.db, { gatewayTotal: total });
    }

    if (resume) {
      current = { start: resume.windowStart!, end: resume.windowEnd! };
      await syncWindow(current, { page: resume.windowNextPage ?? 1, total: resume.windowTotal, pageSize: resume.windowPageSize });
    }
    // Sparse stretches (a quiet month, the empty start of a first sync) cost one request per
    // window, so windows double while they come back nearly empty and reset when they fill up.
    let size = windowSeconds;
    for (let start = nextStart; start <= rangeEnd; ) {
      current = { start, end: Math.min(start + size - 1, rangeEnd) };
      const windowTotal = await syncWindow(current, null);
      size = windowTotal < requestedPageSize / 2 ? Math.min(size * 2, windowSeconds * MAX_WINDOW_GROWTH) : windowSeconds;
      start = current.end + 1;
    }
    writeSyncCursor(cache.db, { lastSyncCompletedAt: options.now() });
    report('done');
    return result('complete');
  } catch (error) {
    if (signal?.aborted || (error instanceof GatewayError && error.kind === 'cancelled')) {
      return result('cancelled', { kind: 'cancelled', message: 'sync cancelled; everything received so far is kept' });
    }
    if (!(error instanceof GatewayError)) throw error;
    if (error.kind === 'forbidden') {
      markAccessRevoked(cache.db, { reason: error.message, at: options.now() });
      return result('forbidden', { kind: error.kind, message: error.message });
    }
    return result(error.kind === 'unauthorized' ? 'unauthorized' : 'failed', { kind: error.kind, message: error.message });
  }

  /**
   * Fetches and commits one window page by page; returns the window's total. The next page is
   * requested before the current one is stored, so the gateway and the network work while this
   * thread hashes and writes (commits still happen strictly in page order).
   */
  async function syncWindow(window: TimeWindow, resumeAt: { page: number; total: number | null; pageSize: number | null } | null): Promise<number> {
    let page = resumeAt?.page ?? 1;
    let windowTotal = resumeAt?.total ?? null;
    let pageSize = resumeAt?.pageSize ?? requestedPageSize;
    let repages = 0;
    const fetchPage = (p: number, size: number) => {
      const request = client.listAuditLogs({ start_at: window.start, end_at: window.end, direction: 'asc', page: p, page_size: size }, signal);
      // Awaited later (or dropped on a re-page); never an unhandled rejection meanwhile.
      request.catch(() => {});
      return request;
    };
    let pending = fetchPage(page, pageSize);
    for (;;) {
      if (signal?.aborted) throw new GatewayError('cancelled', 'sync cancelled');
      const reply = await pending;
      if (windowTotal !== null && reply.total !== windowTotal && page > 1) {
        // Entries were added or removed inside the window: offsets moved. Start the window over.
        if (++repages > MAX_REPAGES) {
          throw new GatewayError('bad_response', `the gateway's count for ${isoWindow(window)} keeps changing; run sync again later (everything so far is kept)`);
        }
        windowTotal = reply.total;
        page = 1;
        pending = fetchPage(page, pageSize);
        continue;
      }
      windowTotal = reply.total;
      // A gateway may cap page_size; the first page tells what it honours.
      if (page === 1 && reply.list.length > 0 && reply.list.length < pageSize && reply.list.length < reply.total) pageSize = reply.list.length;
      const done = reply.list.length === 0 || page * pageSize >= reply.total;
      if (!done) pending = fetchPage(page + 1, pageSize);
      const cursorUpdate: CursorUpdate = done
        ? { syncedUntil: window.end, windowStart: null, windowEnd: null, windowNextPage: null, windowTotal: null, windowPageSize: null }
        : { windowStart: window.start, windowEnd: window.end, windowNextPage: page + 1, windowTotal: reply.total, windowPageSize: pageSize };
      const stored = insertEntries(cache, reply.list, cursorUpdate, { now: options.now() });
      tally.fetched += reply.list.length;
      tally.inserted += stored.inserted;
      tally.duplicates += stored.duplicates;
      tally.pages++;
      report('syncing');
      if (done) return reply.total;
      page++;
    }
  }
}

function isoWindow(window: TimeWindow): string {
  return `${new Date(window.start * 1000).toISOString()}..${new Date(window.end * 1000).toISOString()}`;
}
