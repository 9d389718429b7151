// Worker thread entry: runs one sync against the gateway into the cache (see core/sync/start-sync-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openCache } from '../core/cache/cache';
import { appendCustody } from '../core/custody';
import { createGatewayClient } from '../core/gateway/client';
import { isSessionReply, sessionRelay } from '../core/gateway/session-relay';
import type { SyncResult } from '../core/sync/sync-cache';
import { syncThroughReader } from '../core/sync/sync-through-reader';
import { verifySource } from '../core/sync/verify-source';
import type { SyncWorkerCommand, SyncWorkerInput, SyncWorkerMessage } from '../core/sync/worker-protocol';

const input = workerData as SyncWorkerInput;
const port = parentPort!;
const send = (message: SyncWorkerMessage) => port.postMessage(message);
const controller = new AbortController();
// A borrowed session that expires (here or on the page reader thread) is renewed by the starter's client.
const relay = sessionRelay((request) => send(request));
port.on('message', (command: SyncWorkerCommand) => {
  if (isSessionReply(command)) relay.settle(command);
  else if (command.type === 'cancel') controller.abort();
});

async function main(): Promise<void> {
  const cache = openCache(input.cacheDir, { key: Buffer.from(input.key) });
  try {
    const client = createGatewayClient({ ...input.gateway, renewBorrowedSession: relay.renew });
    const offset = input.clockOffsetSeconds ?? 0;
    const now = () => Math.floor(Date.now() / 1000) + offset;
    let lastSent = 0;
    let result: SyncResult;
    try {
      result = await syncThroughReader(client, {
        cache,
        now,
        signal: controller.signal,
        ...(input.windowSeconds ? { windowSeconds: input.windowSeconds } : {}),
        ...(input.pageSize ? { pageSize: input.pageSize } : {}),
        ...(input.overlapSeconds ? { overlapSeconds: input.overlapSeconds } : {}),
        onProgress: (progress) => {
          // The UI needs a few updates a second, not one per page.
          const t = Date.now();
          if (progress.phase !== 'syncing' || t - lastSent >= 100) {
            lastSent = t;
            send({ type: 'progress', progress });
          }
        },
      });
    } catch (error) {
      // Pages committed before the failure are in the cache: the run is on the record all the same.
      if (input.custodyActor) recordSync(cache.db, input.custodyActor, { outcome: 'failed', error: (error as Error).message }, client.baseUrl, now());
      throw error;
    }
    // Recorded by the connection that stored the records, whatever the outcome: it is how evidence
    // entered the cache (and the app may lock its own connection meanwhile).
    if (input.custodyActor) {
      const { outcome, fetched, inserted, duplicates, syncedUntil } = result;
      recordSync(cache.db, input.custodyActor, { outcome, fetched, inserted, duplicates, synced_until: syncedUntil }, client.baseUrl, now());
    }
    if (result.outcome === 'complete' && input.verifySource) {
      const drift = await verifySource({ cache, client, mode: input.verifySource, now, signal: controller.signal });
      send({ type: 'done', result, drift });
    } else {
      send({ type: 'done', result });
    }
  } finally {
    cache.close();
  }
}

function recordSync(db: Parameters<typeof appendCustody>[0], actor: string, details: Record<string, unknown>, gatewayUrl: string, at: number): void {
  appendCustody(db, { actor, action: 'sync', details: { ...details, gateway_url: gatewayUrl }, at });
}

main()
  .catch((error: unknown) => {
    const err = error as { message?: string; kind?: string };
    send({ type: 'error', message: err.message ?? String(error), ...(err.kind ? { kind: err.kind } : {}) });
  })
  // The cancel listener would keep the thread alive; the work is over, so let it end.
  .finally(() => port.close());
