// Worker thread entry: one anomaly scan of a cache, findings written on this thread's connection
// (see core/anomalies/scan-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openCache } from '../core/cache/cache';
import type { ScanThreadInput, ScanThreadMessage } from '../core/anomalies/scan-thread';
import { runAnomalyScan } from '../core/anomalies/store';

const input = workerData as ScanThreadInput;
const send = (message: ScanThreadMessage) => parentPort!.postMessage(message);

try {
  const key = Buffer.from(input.key);
  const cache = openCache(input.cacheDir, { key });
  try {
    send({ type: 'done', summary: runAnomalyScan(cache.db, { now: input.now, ...(input.full ? { full: true } : {}), parallel: { key } }) });
  } finally {
    cache.close();
  }
} catch (error) {
  send({ type: 'error', message: (error as Error)?.message ?? String(error) });
}
