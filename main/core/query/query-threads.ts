import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn';
import type { QueryService } from './query-service';
import { fromThreadError, type QueryMethod, type QueryReply, type QueryThreadInput, type QueryThreadMessage } from './query-thread-protocol';

/** The query service's reads, answered asynchronously. */
export type AsyncQueryService = {
  [M in QueryMethod]: (...args: Parameters<QueryService[M]>) => Promise<ReturnType<QueryService[M]>>;
};

export interface QueryThreads extends AsyncQueryService {
  /** Which cache to read: sent to the threads (once; reads before it wait for it). */
  open(input: QueryThreadInput): void;
  /** Stops both threads; calls waiting or made later reject with `closedError()`. */
  close(): Promise<void>;
}

export interface QueryThreadsOptions {
  /** The app's clock, read at each call (tests fix it). */
  now: () => number;
  /** What calls get once the threads are closed (the app: "the cache is locked"). */
  closedError: () => Error;
  /** Injected for tests (e.g. to kill a thread). */
  spawn?: typeof spawnWorker;
}

/**
 * Two lanes, so the table never waits behind a chart: a page or a count takes milliseconds even on
 * a million records, while facets, the timeline and the heatmap read every match (100 ms and more
 * at 1M). Each lane is one thread with its own connection, answering in order.
 */
const LANE_OF: Record<QueryMethod, 'table' | 'panels'> = {
  page: 'table',
  count: 'table',
  record: 'table',
  facets: 'panels',
  histogram: 'panels',
  heatmap: 'panels',
};

/**
 * The review workspace's reads on worker threads, off the app's main thread (which also carries
 * every IPC call, the sync's progress and the window's events): a read that takes a while — a
 * side panel over a million records, a filter no index helps — no longer holds up everything else.
 * The table's thread starts at once, before the cache is open: started while the passphrase's key
 * is derived, it is ready when the first rows are asked for. The panels' thread starts at its first
 * call. A thread that dies fails its waiting calls; the next call starts a new one.
 */
export function startQueryThreads(options: QueryThreadsOptions): QueryThreads {
  const lanes = {
    table: new QueryLane(options),
    panels: new QueryLane(options),
  };
  lanes.table.start();
  const method =
    <M extends QueryMethod>(name: M) =>
    (...args: Parameters<QueryService[M]>) =>
      lanes[LANE_OF[name]].call(name, args) as Promise<ReturnType<QueryService[M]>>;
  return {
    page: method('page'),
    count: method('count'),
    record: method('record'),
    facets: method('facets'),
    histogram: method('histogram'),
    heatmap: method('heatmap'),
    open(input) {
      // A standalone 32-byte copy: the caller's key may be a view into a larger pooled buffer.
      const copy: QueryThreadInput = { cacheDir: input.cacheDir, key: Uint8Array.from(input.key) };
      lanes.table.open(copy);
      lanes.panels.open(copy);
    },
    close: async () => {
      await Promise.all([lanes.table.close(), lanes.panels.close()]);
    },
  };
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

class QueryLane {
  private worker: Worker | null = null;
  private input: QueryThreadInput | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: QueryThreadsOptions) {}

  open(input: QueryThreadInput): void {
    this.input = input;
    this.worker?.postMessage({ type: 'open', input } satisfies QueryThreadMessage);
  }

  start(): Worker {
    if (this.worker) return this.worker;
    const worker = (this.options.spawn ?? spawnWorker)('query');
    this.worker = worker;
    worker.unref();
    // Messages wait in the thread's queue until it has loaded: the cache is opened first.
    if (this.input) worker.postMessage({ type: 'open', input: this.input } satisfies QueryThreadMessage);
    worker.on('message', (reply: QueryReply) => {
      const entry = this.settle(reply.id);
      if (!entry) return;
      if (reply.ok) entry.resolve(reply.value);
      else entry.reject(fromThreadError(reply.error));
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new Error(why));
    };
    worker.on('error', (error) => lost(`the query thread failed (${error.message})`));
    worker.on('exit', (code) => lost(`the query thread stopped unexpectedly (exit code ${code})`));
    return worker;
  }

  call(method: QueryMethod, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(this.options.closedError());
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A thread with calls waiting keeps the process alive; an idle one does not.
      worker.ref();
      worker.postMessage({ type: 'read', id, method: method as never, args: args as never, now: this.options.now() } satisfies QueryThreadMessage);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // Nothing of a locked cache's key stays with a closed lane.
    this.input?.key.fill(0);
    this.input = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll(this.options.closedError());
    await worker?.terminate();
  }

  private settle(id: number): Waiting | undefined {
    const entry = this.waiting.get(id);
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker?.unref();
    return entry;
  }

  private failAll(error: Error): void {
    const entries = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of entries) entry.reject(error);
  }
}
