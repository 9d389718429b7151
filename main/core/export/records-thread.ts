import type { MessagePort } from 'node:worker_threads';
import { RecordSink, type RecordSinkResult, type TextFormat } from './record-sink';

/**
 * The worker side of writing records in a second thread (records-in-thread.ts): stored records
 * arrive in batches of canonical texts, go through the same RecordSink as in-thread exports, and
 * each batch is acknowledged once written so the reading thread knows how far ahead it may be.
 */
export interface RecordsThreadInput {
  dir: string;
  formats: TextFormat[];
  port: MessagePort;
}

/** Reading thread → worker. */
export type ToRecordsThread = { type: 'batch'; texts: string[] } | { type: 'end' };

/**
 * Worker → reading thread. The reading thread hashes the Merkle leaves itself (it has the texts),
 * which splits the work more evenly; `changed` lists the records of the batch whose canonical text
 * is not the stored one (only possible off the fast path), as [index in batch, text written].
 */
export type FromRecordsThread =
  | { type: 'ack'; records: number; changed: Array<[number, string]> }
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
    sink = new RecordSink(input.dir, input.formats, null, input.formats.includes('csv'), false);
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
          const changed: Array<[number, string]> = [];
          for (let i = 0; i < message.texts.length; i++) {
            const text = message.texts[i]!;
            const { canonical } = sink.addStored(text);
            if (canonical !== text) changed.push([i, canonical]);
          }
          if (sink.behind) await sink.drain();
          send({ type: 'ack', records: sink.records, changed });
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
