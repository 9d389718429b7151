import { spawnWorker } from '../workers/spawn';
import type { ScanSummary } from './store';

/** What the scan thread is started with (structured-clone safe). */
export interface ScanThreadInput {
  cacheDir: string;
  /** Raw cache key: the thread opens its own write connection (and its reader threads theirs). */
  key: Uint8Array;
  now: number;
  full?: boolean;
}

export type ScanThreadMessage = { type: 'done'; summary: ScanSummary } | { type: 'error'; message: string };

/**
 * runAnomalyScan on a worker thread: a first scan of a million records takes seconds of CPU, and
 * on the app's main thread that was seconds in which no window got an answer. The thread opens its
 * own connection; findings are written there, so callers see them as soon as the promise resolves.
 */
export function scanInThread(input: ScanThreadInput): Promise<ScanSummary> {
  const worker = spawnWorker('anomaly-scan', { workerData: input });
  return new Promise<ScanSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: ScanThreadMessage) => {
      settled = true;
      if (message.type === 'done') resolve(message.summary);
      else reject(new Error(message.message));
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the anomaly scan thread stopped unexpectedly (exit code ${code})`));
    });
  });
}
