import { spawnWorker } from '../workers/spawn';
import type { ImportFormat } from './detect-format';
import { FileChangedError, type RowBatchOptions, type RowBatchStep } from './row-batches';

export interface RowsThreadInput {
  path: string;
  format: ImportFormat;
  options: RowBatchOptions;
}

/** Messages from main/workers/import-rows.worker.ts. */
export type RowsThreadMessage =
  | { type: 'step'; step: RowBatchStep }
  | { type: 'done' }
  | { type: 'failed'; message: string; advice?: string };

/**
 * Steps the reader thread may produce ahead of the writer. Two keeps the writer busy (one batch
 * waiting while it stores another) and bounds memory to a few thousand rows.
 */
export const STEPS_AHEAD = 2;

/**
 * rowBatches() run on a worker thread: the file is read, validated and turned into rows there
 * while this thread stores the previous batch, so a large import uses both cores. Yields the same
 * steps in the same order; the thread waits for each step to be taken (an ack) once it is
 * STEPS_AHEAD ahead. Leaving the loop early (cancel, error) stops the thread.
 */
export async function* rowBatchesInThread(input: RowsThreadInput): AsyncGenerator<RowBatchStep> {
  const worker = spawnWorker('import-rows', { workerData: input });
  const inbox: Array<RowsThreadMessage | { type: 'crashed'; message: string }> = [];
  let wake: (() => void) | null = null;
  const deliver = (message: (typeof inbox)[number]) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'crashed', message: error.message }));
  worker.on('exit', (code) => deliver({ type: 'crashed', message: `exit code ${code}` }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const message = inbox.shift()!;
      if (message.type === 'step') {
        yield message.step;
        worker.postMessage('ack');
      } else if (message.type === 'done') {
        return;
      } else if (message.type === 'failed') {
        throw message.advice !== undefined ? new FileChangedError(message.message, message.advice) : new Error(message.message);
      } else {
        throw new Error(`the import's reader thread stopped unexpectedly (${message.message}); the batches stored so far are kept — run the import again to finish it`);
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
