import type { Cache } from '../cache/cache';
import { entryToRow } from '../cache/record-row';
import { readSyncCursor } from '../cache/sync-state';
import type { GatewayClient } from '../gateway/types';
import { DEFAULT_HORIZON_SECONDS, DEFAULT_WINDOW_SECONDS, windowsBetween, type TimeWindow } from './windows';

export interface VerifySourceOptions {
  cache: Pick<Cache, 'db'>;
  client: Pick<GatewayClient, 'listAuditLogs'>;
  /** 'full' re-fetches every synced window; 'sample' a few random ones that hold records. */
  mode: 'sample' | 'full';
  /** Windows to re-fetch in sample mode (default 5). */
  sampleWindows?: number;
  windowSeconds?: number;
  pageSize?: number;
  /** Unix seconds. Records older than now - horizon are expected to be gone at the gateway. */
  now: () => number;
  horizonSeconds?: number;
  signal?: AbortSignal;
  /** Injected for tests; picks sample windows. */
  random?: () => number;
  onProgress?: (checkedWindows: number, totalWindows: number) => void;
}

export interface DriftedRecord {
  seq: number;
  id: string;
  eventTime: number;
  /** What the cache holds. */
  storedSha256: string;
  /** What the gateway now sends (masked the same way); absent when the record vanished. */
  gatewaySha256?: string;
}

export interface VerifySourceReport {
  windowsChecked: number;
  recordsCompared: number;
  /** Same id, different content at the gateway now. */
  changed: DriftedRecord[];
  /** In the cache, inside the gateway's retention, but no longer returned by it. */
  vanished: DriftedRecord[];
  /** Returned by the gateway for an already-synced window but not in the cache (late arrivals). */
  unseen: number;
}

/**
 * Source-drift check: re-fetches windows that were already synced and compares every record's
 * hash. An auditor's offline copy is evidence; a record that changed or vanished at the gateway
 * before its retention horizon means the source was altered, and this says which.
 */
export async function verifySource(options: VerifySourceOptions): Promise<VerifySourceReport> {
  const { cache, client } = options;
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const pageSize = options.pageSize ?? 1000;
  const horizon = options.now() - (options.horizonSeconds ?? DEFAULT_HORIZON_SECONDS);
  const syncedUntil = readSyncCursor(cache.db).syncedUntil;
  const report: VerifySourceReport = { windowsChecked: 0, recordsCompared: 0, changed: [], vanished: [], unseen: 0 };
  const oldest = cache.db.prepare('SELECT min(event_time) FROM records').pluck().get() as number | null;
  if (syncedUntil === null || oldest === null) return report;

  // Windows are aligned on the horizon so they never straddle it.
  const from = Math.max(oldest, horizon);
  let windows = [...windowsBetween(from, syncedUntil, windowSeconds)];
  const countIn = cache.db.prepare('SELECT count(*) FROM records WHERE event_time BETWEEN ? AND ?').pluck();
  if (options.mode === 'sample') windows = sample(windows.filter((w) => (countIn.get(w.start, w.end) as number) > 0), options.sampleWindows ?? 5, options.random ?? Math.random);

  const storedIn = cache.db.prepare('SELECT seq, id, event_time AS eventTime, sha256 FROM records WHERE event_time BETWEEN ? AND ?');
  for (const window of windows) {
    const stored = new Map((storedIn.all(window.start, window.end) as Array<{ seq: number; id: string; eventTime: number; sha256: string }>).map((r) => [r.id, r]));
    for await (const entry of fetchWindow(client, window, pageSize, options.signal)) {
      const mine = stored.get(entry.id);
      if (!mine) {
        report.unseen++;
        continue;
      }
      stored.delete(entry.id);
      report.recordsCompared++;
      const theirs = entryToRow(entry).sha256;
      if (theirs !== mine.sha256) report.changed.push({ seq: mine.seq, id: mine.id, eventTime: mine.eventTime, storedSha256: mine.sha256, gatewaySha256: theirs });
    }
    for (const missing of stored.values()) {
      report.recordsCompared++;
      report.vanished.push({ seq: missing.seq, id: missing.id, eventTime: missing.eventTime, storedSha256: missing.sha256 });
    }
    report.windowsChecked++;
    options.onProgress?.(report.windowsChecked, windows.length);
  }
  return report;
}

async function* fetchWindow(client: Pick<GatewayClient, 'listAuditLogs'>, window: TimeWindow, pageSize: number, signal?: AbortSignal) {
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    const reply = await client.listAuditLogs({ start_at: window.start, end_at: window.end, direction: 'asc', page, page_size: pageSize }, signal);
    let fresh = 0;
    for (const entry of reply.list) {
      // Offset paging can repeat an entry across pages; count each id once.
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      fresh++;
      yield entry;
    }
    if (fresh === 0 || seen.size >= reply.total) return;
  }
}

function sample<T>(items: T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return picked;
}
