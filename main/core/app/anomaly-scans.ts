import type { Cache } from '../cache/cache';
import { scanInThread, ScanCancelled, type RunningScan, type ScanThreadInput } from '../anomalies/scan-thread';
import type { ScanSummary } from '../anomalies/store';
import { AppError } from './errors';

/**
 * The app's anomaly scans (after a sync, Rescan, new rule settings): each on a worker thread, one
 * at a time so each reads what the one before stored, and all stopped when the cache closes (lock,
 * sign-out, revocation, deletion) — a scan queued before a lock does not start after it.
 */
export function createAnomalyScans(deps: { cache: () => Cache | null; now: () => number; start?: (input: ScanThreadInput) => RunningScan }) {
  const start = deps.start ?? scanInThread;
  let tail: Promise<unknown> = Promise.resolve();
  let running: RunningScan | null = null;
  // Bumped by stop(): scans asked for before it are refused when their turn comes.
  let generation = 0;

  return {
    run(full: boolean): Promise<ScanSummary> {
      const cache = deps.cache();
      if (!cache) return Promise.reject(new AppError('locked', 'The cache is locked. Unlock it to see findings.'));
      const askedIn = generation;
      const task = async (): Promise<ScanSummary> => {
        if (generation !== askedIn || deps.cache() !== cache) throw new ScanCancelled();
        // A copy of the 32 key bytes alone: the Buffer may be a view into a shared pool, and
        // structured cloning would copy the whole pool to the thread.
        const scan = start({ cacheDir: cache.dir, key: Uint8Array.from(cache.key), now: deps.now(), ...(full ? { full } : {}) });
        running = scan;
        try {
          return await scan.done;
        } finally {
          running = null;
        }
      };
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
    /** Stops the running scan and drops queued ones; resolves once none runs. */
    stop(): Promise<void> {
      generation++;
      running?.cancel();
      return tail.then(() => undefined);
    },
    /** Resolves once the scans asked for so far have finished. */
    idle(): Promise<void> {
      return tail.then(() => undefined);
    },
  };
}

export type AnomalyScans = ReturnType<typeof createAnomalyScans>;
