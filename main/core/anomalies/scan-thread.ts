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

export interface RunningScan {
  done: Promise<ScanSummary>;
  /** Stops the thread now: findings are written in one transaction at the end, so nothing half-written stays. */
  cancel(): void;
}

export class ScanCancelled extends Error {
  constructor() {
    super('the anomaly scan was stopped');
  }
}

/**
 * runAnomalyScan on a worker thread: a first scan of a million records takes seconds of CPU, and
 * on the app's main thread that was seconds in which no window got an answer. The thread opens its
 * own connection; findings are written there, so callers see them as soon as `done` resolves.
 */
export function scanInThread(input: ScanThreadInput): RunningScan {
  const worker = spawnWorker('anomaly-scan', { workerData: input });
  let settled = false;
  let rejectDone: (error: Error) => void = () => undefined;
  const done = new Promise<ScanSummary>((resolve, reject) => {
    rejectDone = reject;
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
  return {
    done,
    cancel() {
      if (settled) return;
      settled = true;
      rejectDone(new ScanCancelled());
      void worker.terminate();
    },
  };
}
