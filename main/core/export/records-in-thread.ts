import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';
import { MerkleRootBuilder } from './merkle';
import type { RecordSinkResult, TextFormat } from './record-sink';
import type { FromRecordsThread, RecordsThreadInput, ToRecordsThread } from './records-thread';

/**
 * Big exports from the cache use both cores: this thread reads the records (SQLite decrypting
 * pages is the largest single cost) and encodes them to UTF-8, while a worker thread reads their
 * fields, writes the data files, feeds the compressor and hashes the leaves, which this thread
 * folds into the Merkle root. Batches cross as transferred buffers; a few may be in flight so
 * neither side waits long.
 */
/** About 2,000 records of the usual size. */
const BATCH_BYTES = 1 << 20;
const BATCHES_AHEAD = 4;
/** Progress about every 8,000 records. */
const PROGRESS_EVERY_BATCHES = 4;
/**
 * Below this many records starting a thread costs more than it saves: from source (tsx) the
 * worker compiles its modules first, which took seconds on a loaded machine at 100k records.
 */
export const RECORDS_THREAD_MIN = 200_000;

/** Worth it only for a big export on a machine with a second core. */
export function shouldUseRecordsThread(totalRecords: number | undefined): boolean {
  return totalRecords !== undefined && totalRecords >= RECORDS_THREAD_MIN && availableParallelism() > 1;
}

export interface RecordsInThreadOptions {
  signal?: AbortSignal;
  /** Records handed over so far (for progress). */
  onRecords?(done: number): void;
}

export interface RecordsInThreadResult extends RecordSinkResult {
  merkleRoot: string;
}

export async function writeStoredRecordsInThread(
  texts: Iterable<string>,
  dir: string,
  formats: TextFormat[],
  options: RecordsInThreadOptions = {},
): Promise<RecordsInThreadResult> {
  const channel = new MessageChannel();
  const input: RecordsThreadInput = { dir, formats, port: channel.port2 };
  const worker: Worker = spawnWorker('export-records', { workerData: input, transferList: [channel.port2] });
  const port = channel.port1;

  let acked = 0;
  const merkle = new MerkleRootBuilder();
  let failure: Error | null = null;
  let result: RecordSinkResult | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const handle = (message: FromRecordsThread) => {
    if (message.type === 'ack') {
      acked++;
      merkle.addPacked(message.leaves, message.count);
    } else if (message.type === 'done') {
      result = message.result;
    } else {
      failure ??= new Error(message.message);
    }
    notify();
  };
  port.on('message', handle);
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    // The exit can be seen before the last messages: take those first.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handle(m.message as FromRecordsThread);
    if (!result) failure ??= new Error(`the export thread stopped unexpectedly (exit code ${code})`);
    notify();
  });
  // A finished export must not wait for the thread to wind down.
  worker.unref();
  const onAbort = () => notify();
  options.signal?.addEventListener('abort', onAbort);
  const settled = () => failure !== null || result !== null || options.signal?.aborted === true;
  const waitUntil = async (ready: () => boolean) => {
    while (!ready() && !settled()) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('export cancelled');
  };
  const send = (message: ToRecordsThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

  try {
    let posted = 0;
    let handed = 0;
    let bytes = Buffer.allocUnsafeSlow(BATCH_BYTES);
    let used = 0;
    let count = 0;
    const flush = async () => {
      // Wait for credit before posting, so at most BATCHES_AHEAD batches are ever queued.
      await waitUntil(() => posted - acked < BATCHES_AHEAD);
      const buffer = bytes.buffer as ArrayBuffer;
      send({ type: 'batch', bytes: buffer, length: used }, [buffer]);
      handed += count;
      posted++;
      bytes = Buffer.allocUnsafeSlow(BATCH_BYTES);
      used = 0;
      count = 0;
      if (posted % PROGRESS_EVERY_BATCHES === 0) options.onRecords?.(handed);
    };
    for (const text of texts) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit; one more for the newline before it.
      const room = 1 + 3 * text.length;
      if (used + room > bytes.length) {
        if (count > 0) await flush();
        if (room > bytes.length) bytes = Buffer.allocUnsafeSlow(room);
      }
      bytes[used++] = 0x0a;
      used += bytes.write(text, used, 'utf8');
      count++;
    }
    if (count > 0) await flush();
    send({ type: 'end' });
    await waitUntil(() => result !== null);
    const done = result! as RecordSinkResult;
    if (merkle.leafCount !== done.count) throw new Error(`the export thread wrote ${done.count} records but ${merkle.leafCount} were hashed`);
    return { ...done, merkleRoot: merkle.root().toString('hex') };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    port.close();
    if (!result) await worker.terminate();
  }
}
