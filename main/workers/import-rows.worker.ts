// Worker thread entry: reads, validates and prepares an import's rows (see core/import/rows-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { recordSource } from '../core/import/read-records';
import { FileChangedError, rowBatches } from '../core/import/row-batches';
import { STEPS_AHEAD, type RowsThreadInput, type RowsThreadMessage } from '../core/import/rows-thread';

const input = workerData as RowsThreadInput;
const port = parentPort!;
const send = (message: RowsThreadMessage) => port.postMessage(message);

let sent = 0;
let taken = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  taken++;
  wake?.();
});

async function main(): Promise<void> {
  for await (const step of rowBatches(recordSource(input.path, input.format), input.options)) {
    send({ type: 'step', step });
    sent++;
    while (sent - taken >= STEPS_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  }
  send({ type: 'done' });
}

main()
  .catch((error: unknown) => {
    send({ type: 'failed', message: (error as Error).message ?? String(error), ...(error instanceof FileChangedError ? { advice: error.advice } : {}) });
  })
  // The ack listener would keep the thread alive; the work is over, so let it end.
  .finally(() => port.close());
