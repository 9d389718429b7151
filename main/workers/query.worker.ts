// Worker thread entry: answers the review workspace's reads on its own read-only connection
// (see core/query/query-threads.ts). Requests are answered one at a time, in the order received.
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../core/cache/cache';
import { createQueryService, type QueryService } from '../core/query/query-service';
import { toThreadError, type QueryReply, type QueryRequest, type QueryThreadInput } from '../core/query/query-thread-protocol';

const input = workerData as QueryThreadInput;
const port = parentPort!;
let callNow = 0;
let service: QueryService | null = null;
let openFailure: unknown = null;
try {
  service = createQueryService(openReader(input.cacheDir, Buffer.from(input.key)), { now: () => callNow });
} catch (error) {
  // Every request then gets this error (the caller decides what the person sees).
  openFailure = error;
}

port.on('message', (request: QueryRequest) => {
  let reply: QueryReply;
  try {
    if (!service) throw openFailure;
    callNow = request.now;
    const read = service[request.method] as (...args: unknown[]) => unknown;
    reply = { id: request.id, ok: true, value: read(...request.args) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: toThreadError(error) };
  }
  port.postMessage(reply);
});
