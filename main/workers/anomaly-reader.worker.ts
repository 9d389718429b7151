// Worker thread entry: one reader of a parallel anomaly scan (see core/anomalies/reader-threads.ts).
import { workerData } from 'node:worker_threads';
import { runReaderThread, type ReaderThreadInput } from '../core/anomalies/reader-thread';

runReaderThread(workerData as ReaderThreadInput);
