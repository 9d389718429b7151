// Worker thread entry: answers the review workspace's reads on its own read-only connection
// (see core/query/query-threads.ts). Started before the cache is unlocked, it opens the cache when
// told ('open'); requests are then answered one at a time, in the order received.
import { parentPort } from 'node:worker_threads';
import { openReader } from '../core/cache/cache';
import { createQueryService, type QueryService } from '../core/query/query-service';
import { toThreadError, type QueryReply, type QueryThreadInput, type QueryThreadMessage } from '../core/query/query-thread-protocol';

const port = parentPort!;
let callNow = 0;
let service: QueryService | null = null;
let openFailure: unknown = new Error('the query thread was given no cache to read');

function open(input: QueryThreadInput): void {
  try {
    service = createQueryService(openReader(input.cacheDir, Buffer.from(input.key)), { now: () => callNow });
  } catch (error) {
    // Every request then gets this error (the caller decides what the person sees).
    openFailure = error;
  }
}

port.on('message', (message: QueryThreadMessage) => {
  if (message.type === 'open') return open(message.input);
  let reply: QueryReply;
  try {
    if (!service) throw openFailure;
    callNow = message.now;
    const read = service[message.method] as (...args: unknown[]) => unknown;
    reply = { id: message.id, ok: true, value: read(...message.args) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: toThreadError(error) };
  }
  port.postMessage(reply);
});
