// Worker thread entry: hashes records batches for the package verifier (see core/verify/batch-pool.ts).
import { parentPort } from 'node:worker_threads';
import { serveBatches } from '../core/verify/records-thread';

if (parentPort) serveBatches(parentPort);
