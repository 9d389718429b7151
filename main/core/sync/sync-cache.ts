import type { Cache } from '../cache/cache';
import { insertRows } from '../cache/insert';
import { markAccessRevoked } from '../cache/meta';
import { readSyncCursor, writeSyncCursor, type CursorUpdate } from '../cache/sync-state';
import { GatewayError, type GatewayClient, type GatewayErrorKind } from '../gateway/types';
import { inProcessPageSource, PageReaderStopped, type PageSource, type RowPage } from './page-source';
import { progressMeter, type SyncProgress } from './progress';
import { DEFAULT_HORIZON_SECONDS, DEFAULT_WINDOW_SECONDS, type TimeWindow } from './windows';

/**
 * Pages come either from a gateway client, read and hashed on this thread, or from a PageSource
 * (startPageReader reads and hashes them on a second thread while this one writes).
 */
export type SyncOptions = SyncSettings & ({ client: Pick<GatewayClient, 'listAuditLogs'>; pages?: undefined } | { pages: PageSource; client?: undefined });

interface SyncSettings {
  cache: Pick<Cache, 'db'>;
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
/**
 * Pages requested ahead of the one being stored. Two keep a threaded page source busy across a
 * window's short last page; each costs up to a page of memory until it is stored.
 */
const LOOKAHEAD = 2;
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
  const { cache, signal } = options;
  const pages = options.pages ?? inProcessPageSource(options.client!);
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
      const counted = await pages.listRows({ start_at: firstStart, end_at: rangeEnd, direction: 'asc', page: 1, page_size: 1 }, signal);
      total = counted.total;
      writeSyncCursor(cache.db, { gatewayTotal: total });
    }

    // Sparse stretches (a quiet month, the empty start of a first sync) cost one request per
    // window, so windows double while they come back nearly empty and reset when they fill up.
    // (A resumed window does not count: the windows after it start at the base size.)
    const windowAfter = (window: TimeWindow, windowTotal: number): TimeWindow | null => {
      const start = window.end + 1;
      if (start > rangeEnd) return null;
      const size = windowTotal < requestedPageSize / 2 ? Math.min((window.end - window.start + 1) * 2, windowSeconds * MAX_WINDOW_GROWTH) : windowSeconds;
      return { start, end: Math.min(start + size - 1, rangeEnd) };
    };
    const firstWindow: TimeWindow | null = nextStart <= rangeEnd ? { start: nextStart, end: Math.min(nextStart + windowSeconds - 1, rangeEnd) } : null;

    let upcoming: UpcomingWindow | null;
    if (resume) {
      current = { start: resume.windowStart!, end: resume.windowEnd! };
      upcoming = await syncWindow(current, { page: resume.windowNextPage ?? 1, total: resume.windowTotal, pageSize: resume.windowPageSize }, () => firstWindow);
    } else {
      upcoming = firstWindow && { window: firstWindow, firstPage: fetchPage(firstWindow, 1, requestedPageSize) };
    }
    while (upcoming) {
      const window: TimeWindow = (current = upcoming.window);
      upcoming = await syncWindow(window, { firstPage: upcoming.firstPage }, (windowTotal) => windowAfter(window, windowTotal));
    }
    writeSyncCursor(cache.db, { lastSyncCompletedAt: options.now() });
    report('done');
    return result('complete');
  } catch (error) {
    if (signal?.aborted || (error instanceof GatewayError && error.kind === 'cancelled')) {
      return result('cancelled', { kind: 'cancelled', message: 'sync cancelled; everything received so far is kept' });
    }
    if (error instanceof PageReaderStopped) return result('failed', { kind: 'unknown', message: error.message });
    if (!(error instanceof GatewayError)) throw error;
    if (error.kind === 'forbidden') {
      markAccessRevoked(cache.db, { reason: error.message, at: options.now() });
      return result('forbidden', { kind: error.kind, message: error.message });
    }
    return result(error.kind === 'unauthorized' ? 'unauthorized' : 'failed', { kind: error.kind, message: error.message });
  }

  /** Requests one page; awaited later (or dropped on a re-page or an error), never an unhandled rejection meanwhile. */
  function fetchPage(window: TimeWindow, page: number, pageSize: number): Promise<RowPage> {
    const request = pages.listRows({ start_at: window.start, end_at: window.end, direction: 'asc', page, page_size: pageSize }, signal);
    request.catch(() => {});
    return request;
  }

  /**
   * Fetches and commits one window page by page; returns the next window (`next` names it from
   * this window's total) with its first page already requested.
   *
   * Up to LOOKAHEAD pages are requested before the current one is stored — the rest of this
   * window, then the next window's first page — so the gateway, the network and a threaded page
   * source work while this thread writes. Commits still happen strictly in page order, and a
   * re-page drops whatever was requested ahead.
   */
  async function syncWindow(
    window: TimeWindow,
    start: { page: number; total: number | null; pageSize: number | null } | { firstPage: Promise<RowPage> },
    next: (windowTotal: number) => TimeWindow | null,
  ): Promise<UpcomingWindow | null> {
    const resumeAt = 'page' in start ? start : null;
    let page = resumeAt?.page ?? 1;
    let windowTotal = resumeAt?.total ?? null;
    let pageSize = resumeAt?.pageSize ?? requestedPageSize;
    let repages = 0;
    let pending = 'firstPage' in start ? start.firstPage : fetchPage(window, page, pageSize);
    /** Pages page+1, page+2, … of this window, already requested. */
    let ahead: Array<Promise<RowPage>> = [];
    /** The next window once requested (null: there is none). */
    let following: UpcomingWindow | null | undefined;
    const requestFollowing = (total: number) => {
      const w = next(total);
      following = w && { window: w, firstPage: fetchPage(w, 1, requestedPageSize) };
    };
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
        pending = fetchPage(window, page, pageSize);
        ahead = [];
        following = undefined;
        continue;
      }
      windowTotal = reply.total;
      const count = reply.rows.length;
      // A gateway may cap page_size; the first page tells what it honours.
      if (page === 1 && count > 0 && count < pageSize && count < reply.total) pageSize = count;
      const done = count === 0 || page * pageSize >= reply.total;
      if (!done) {
        const lastPage = Math.ceil(reply.total / pageSize);
        while (ahead.length < LOOKAHEAD && page + ahead.length < lastPage) ahead.push(fetchPage(window, page + ahead.length + 1, pageSize));
        if (following === undefined && ahead.length < LOOKAHEAD) requestFollowing(reply.total);
        pending = ahead.shift()!;
      } else if (following === undefined) {
        requestFollowing(reply.total);
      }
      const cursorUpdate: CursorUpdate = done
        ? { syncedUntil: window.end, windowStart: null, windowEnd: null, windowNextPage: null, windowTotal: null, windowPageSize: null }
        : { windowStart: window.start, windowEnd: window.end, windowNextPage: page + 1, windowTotal: reply.total, windowPageSize: pageSize };
      const stored = insertRows(cache.db, reply.rows, cursorUpdate, options.now());
      tally.fetched += count;
      tally.inserted += stored.inserted;
      tally.duplicates += stored.duplicates;
      tally.pages++;
      report('syncing');
      if (done) return following ?? null;
      page++;
    }
  }
}

/** A window about to be synced, with its first page already requested. */
interface UpcomingWindow {
  window: TimeWindow;
  firstPage: Promise<RowPage>;
}

function isoWindow(window: TimeWindow): string {
  return `${new Date(window.start * 1000).toISOString()}..${new Date(window.end * 1000).toISOString()}`;
}
