import type { MessagePort } from 'node:worker_threads';
import { RecordSink, type RecordSinkResult, type TextFormat } from './record-sink';

/**
 * The worker side of writing records in a second thread (records-in-thread.ts): stored records
 * arrive in batches (their UTF-8), go through the same RecordSink as in-thread exports, and each
 * batch is acknowledged once written so the reading thread knows how far ahead it may be.
 */
export interface RecordsThreadInput {
  dir: string;
  formats: TextFormat[];
  port: MessagePort;
}

/**
 * Reading thread → worker. A batch is the UTF-8 of stored texts, each preceded by a newline
 * (canonical JSON holds none), in a buffer handed over without a copy.
 */
export type ToRecordsThread = { type: 'batch'; bytes: ArrayBuffer; length: number } | { type: 'end' };

/**
 * Worker → reading thread. Each batch is acknowledged with the leaf hashes of its records, packed
 * 32 bytes each: the worker hashes the exact bytes it writes (it has them in UTF-8 already), and
 * the reading thread folds them into the Merkle root.
 */
export type FromRecordsThread =
  | { type: 'ack'; records: number; leaves: Uint8Array; count: number }
  | { type: 'done'; result: RecordSinkResult }
  | { type: 'error'; message: string };

export function runRecordsThread(input: RecordsThreadInput): void {
  const { port } = input;
  const send = (message: FromRecordsThread) => port.postMessage(message);
  let sink: RecordSink | null = null;
  let failed = false;
  const fail = async (error: unknown) => {
    failed = true;
    await sink?.destroy().catch(() => undefined);
    send({ type: 'error', message: (error as Error).message ?? String(error) });
  };
  try {
    sink = new RecordSink(input.dir, input.formats, { handOutLeaves: true });
  } catch (error) {
    void fail(error);
    return;
  }
  // Messages are handled one at a time, in order, even though handling one may wait for zlib.
  let queue = Promise.resolve();
  port.on('message', (message: ToRecordsThread) => {
    queue = queue.then(async () => {
      if (failed || !sink) return;
      try {
        if (message.type === 'batch') {
          sink.addStoredUtf8(Buffer.from(message.bytes, 0, message.length));
          const { leaves, count } = sink.takeLeaves();
          if (sink.behind) await sink.drain();
          send({ type: 'ack', records: sink.records, leaves, count });
        } else {
          send({ type: 'done', result: await sink.close() });
          port.close();
        }
      } catch (error) {
        await fail(error);
      }
    });
  });
}
