import { answerSessionRequest, isSessionRequest } from '../gateway/session-relay';
import { spawnWorker } from '../workers/spawn';
import type { SyncProgress } from './progress';
import type { SyncResult } from './sync-cache';
import type { VerifySourceReport } from './verify-source';
import type { SyncWorkerCommand, SyncWorkerInput, SyncWorkerMessage } from './worker-protocol';

export interface RunningSync {
  /** Asks the worker to stop after the page in flight; committed work is kept. */
  cancel(): void;
  /** Resolves with the sync's outcome (cancel resolves with 'cancelled'); rejects on a worker crash. */
  done: Promise<{ result: SyncResult; drift?: VerifySourceReport }>;
}

/**
 * Runs a sync in a worker thread so the app's main thread never waits on SQL or parsing.
 * The worker owns the cache's write connection for the duration of the sync. `renewSession`
 * (the lending client's renewSharedSession) renews the session the worker was given when it expires.
 */
export function startSyncWorker(
  input: SyncWorkerInput,
  onProgress?: (progress: SyncProgress) => void,
  renewSession?: (expired: string) => Promise<string>,
): RunningSync {
  const worker = spawnWorker('sync', { workerData: input });
  const done = new Promise<{ result: SyncResult; drift?: VerifySourceReport }>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: SyncWorkerMessage) => {
      if (isSessionRequest(message)) void answerSessionRequest(message, renewSession, (reply) => worker.postMessage(reply satisfies SyncWorkerCommand));
      else if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.drift ? { result: message.result, drift: message.drift } : { result: message.result });
      } else {
        settled = true;
        reject(Object.assign(new Error(message.message), { kind: message.kind }));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the sync worker stopped unexpectedly (exit code ${code}); run sync again — committed work is kept`));
    });
  });
  return {
    cancel: () => worker.postMessage({ type: 'cancel' } satisfies SyncWorkerCommand),
    done,
  };
}
