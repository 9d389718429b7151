import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';
import { createChunkDecoder, type ChunkDecoder, type EventChunk, type ReaderMessage } from './event-chunks';
import { abortReaders, createReaderSignals, hasStarted, postedCount, releaseCredit, waitForPosted } from './reader-signals';
import type { ReaderThreadInput } from './reader-thread';

/**
 * Reader threads for a full scan (reader-thread.ts): each decrypts and reads its share of the
 * records table on its own connection while the scanning thread reads the rest and runs the
 * rules. The scanning thread takes their chunks synchronously, in seq order.
 */
export interface ReaderThreads {
  readonly count: number;
  /** The next chunk of thread `reader` (each thread's chunks come in seq order) and its decoder. */
  next(reader: number): { chunk: EventChunk; decoder: ChunkDecoder };
  /** Lets the threads go (also after an early stop). */
  stop(): void;
}

export interface ReaderThreadsOptions {
  dbPath: string;
  key: Uint8Array | null;
  readers: number;
  /** Chunk k is read by thread k % stride (stride ≥ readers; the others are the caller's to read). */
  stride: number;
  /** Exclusive. */
  firstSeq: number;
  /** Inclusive. */
  lastSeq: number;
  chunkSeqs: number;
}

/** Chunks each reader may have posted and not yet taken: enough to keep reading while the rules run. */
const CHUNKS_AHEAD = 6;
/**
 * While this thread blocks, the event loop cannot deliver a worker's 'error' or 'exit', so a dead
 * reader shows only as silence: one that has not started after STARTUP_MS (its module failed to
 * load) or posts nothing for STALL_MS is given up on.
 */
const STARTUP_MS = 30_000;
const STALL_MS = 120_000;

/** Undefined when threads cannot be started (e.g. a build without the worker entry). */
export function startReaderThreads(options: ReaderThreadsOptions): ReaderThreads | undefined {
  const { readers } = options;
  const signals = createReaderSignals(readers);
  const signalView = new Int32Array(signals);
  const ports: MessagePort[] = [];
  const stop = () => {
    abortReaders(signalView, readers);
    for (const port of ports) port.close();
  };
  try {
    for (let reader = 0; reader < readers; reader++) {
      const channel = new MessageChannel();
      const input: ReaderThreadInput = {
        dbPath: options.dbPath,
        // The key bytes alone: a Buffer may view a shared pool, which cloning would copy whole.
        key: options.key && Uint8Array.from(options.key),
        port: channel.port2,
        signals,
        reader,
        stride: options.stride,
        firstSeq: options.firstSeq,
        lastSeq: options.lastSeq,
        chunkSeqs: options.chunkSeqs,
        ahead: CHUNKS_AHEAD,
      };
      ports.push(channel.port1);
      const worker = spawnWorker('anomaly-reader', { workerData: input, transferList: [channel.port2] });
      // Unreferenced: a finished or aborted reader must never keep the process alive. Its failures
      // reach the scan through the port (or as silence, see STARTUP_MS); without a listener, an
      // 'error' event would bring the whole process down.
      worker.unref();
      worker.on('error', () => {});
    }
  } catch {
    stop();
    return undefined;
  }
  const decoders = ports.map(() => createChunkDecoder());
  return {
    count: readers,
    next(reader) {
      const chunk = takeChunk(ports[reader]!, signalView, reader);
      // The chunk's buffers are ours now: the thread may read its next one meanwhile.
      releaseCredit(signalView, reader);
      const decoder = decoders[reader]!;
      decoder.accept(chunk);
      return { chunk, decoder };
    },
    stop,
  };
}

function takeChunk(port: MessagePort, signals: Int32Array, reader: number): EventChunk {
  const waitingSince = performance.now();
  for (;;) {
    // Read the counter before looking: a chunk posted in between changes it, so the wait returns.
    const seen = postedCount(signals);
    const received = receiveMessageOnPort(port);
    if (received !== undefined) {
      const message = received.message as ReaderMessage;
      if (message.type === 'error') throw new Error(`reading records for the anomaly scan failed: ${message.message}`);
      return message;
    }
    const started = hasStarted(signals, reader);
    const limit = started ? STALL_MS : STARTUP_MS;
    const waited = performance.now() - waitingSince;
    if (waited >= limit) {
      throw new Error(
        started
          ? `an anomaly scan reader thread stopped answering for ${STALL_MS / 1000} s; run the scan again`
          : `an anomaly scan reader thread did not start within ${STARTUP_MS / 1000} s; run the scan again`,
      );
    }
    // Wakes on any reader's post, or after a second to look at the clock again.
    waitForPosted(signals, seen, Math.min(limit - waited, 1000));
  }
}
