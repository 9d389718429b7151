import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';
import { processBatch, type BatchOutput, type RecordsKind } from './records-batch';
import type { BatchReply, BatchRequest } from './records-thread';

/** A hashed batch, with its buffer back for reuse. */
export interface BatchDone {
  output: BatchOutput;
  buffer: ArrayBuffer;
}

interface Thread {
  worker: Worker;
  pending: number;
}

/** Threads left idle this long are stopped (starting them again costs a fraction of a second). */
const IDLE_MS = 15_000;

let shared: { pool: BatchPool; users: number; idle: NodeJS.Timeout | null } | null = null;

/**
 * The process's hashing threads, shared by verifications running at the same time and kept for
 * the next one a little while (a worker's start-up costs more than hashing a small package).
 * Every acquire must be paired with a release.
 */
export function acquirePool(threads: number): BatchPool {
  if (shared && shared.pool.size !== threads && shared.users === 0) {
    void shared.pool.close();
    shared = null;
  }
  if (!shared || shared.pool.size !== threads) {
    // A different size while the shared pool is busy (tests do this): a private pool.
    if (shared) return new BatchPool(threads, true);
    shared = { pool: new BatchPool(threads), users: 0, idle: null };
  }
  if (shared.idle) clearTimeout(shared.idle);
  shared.idle = null;
  shared.users++;
  return shared.pool;
}

export function releasePool(pool: BatchPool): void {
  if (pool.privateUse) {
    void pool.close();
    return;
  }
  if (!shared || shared.pool !== pool) return;
  shared.users--;
  if (shared.users > 0) return;
  const current = shared;
  current.idle = setTimeout(() => {
    if (shared === current && current.users === 0) {
      shared = null;
      void current.pool.close();
    }
  }, IDLE_MS);
  current.idle.unref();
}

/**
 * Hashing threads for the fast verifier, started on first use. With no threads (a one-core
 * machine, or threads that cannot start) batches are hashed on the calling thread, which is
 * still the fast route. A thread that fails fails its batches (the verifier then takes the
 * thorough route); it is never asked again.
 */
export class BatchPool {
  private threads: Thread[] | null = null;
  private readonly waiting = new Map<number, { resolve: (done: BatchDone) => void; reject: (error: Error) => void; thread: Thread | null }>();
  private seq = 0;

  constructor(
    readonly size: number,
    readonly privateUse = false,
  ) {}

  run(kind: RecordsKind, first: boolean, buffer: ArrayBuffer, length: number): Promise<BatchDone> {
    const thread = this.pick();
    if (!thread) {
      const output = processBatch({ kind, bytes: new Uint8Array(buffer, 0, length), first });
      return Promise.resolve({ output, buffer });
    }
    const seq = this.seq++;
    const request: BatchRequest = { seq, kind, first, buffer, length };
    return new Promise<BatchDone>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject, thread });
      thread.pending++;
      thread.worker.postMessage(request, [buffer]);
    });
  }

  async close(): Promise<void> {
    const threads = this.threads ?? [];
    this.threads = [];
    this.failAll(threads, new Error('the verifier stopped its hashing threads'));
    await Promise.all(threads.map((t) => t.worker.terminate().catch(() => undefined)));
  }

  private pick(): Thread | null {
    if (this.threads === null) this.threads = this.start();
    let best: Thread | null = null;
    for (const t of this.threads) if (!best || t.pending < best.pending) best = t;
    return best;
  }

  private start(): Thread[] {
    const threads: Thread[] = [];
    for (let i = 0; i < this.size; i++) {
      let worker: Worker;
      try {
        worker = spawnWorker('verify-records');
      } catch {
        break; // no build of the worker: fewer threads (maybe none) is still correct
      }
      // Never keep the process alive for these; `close` ends them when the verification is done.
      worker.unref();
      const thread: Thread = { worker, pending: 0 };
      worker.on('message', (reply: BatchReply) => this.settle(thread, reply));
      worker.on('error', (error) => this.drop(thread, error));
      worker.on('exit', () => this.drop(thread, new Error('a hashing thread exited')));
      threads.push(thread);
    }
    return threads;
  }

  private settle(thread: Thread, reply: BatchReply): void {
    const waiter = this.waiting.get(reply.seq);
    if (!waiter) return;
    this.waiting.delete(reply.seq);
    thread.pending--;
    const { seq: _seq, buffer, leaves, leavesLength, ...rest } = reply;
    waiter.resolve({ output: { ...rest, leaves: new Uint8Array(leaves, 0, leavesLength) }, buffer });
  }

  private drop(thread: Thread, error: Error): void {
    if (this.threads) this.threads = this.threads.filter((t) => t !== thread);
    this.failAll([thread], error);
  }

  private failAll(threads: Thread[], error: Error): void {
    for (const [seq, waiter] of this.waiting) {
      if (waiter.thread && !threads.includes(waiter.thread)) continue;
      this.waiting.delete(seq);
      waiter.reject(error);
    }
  }
}
