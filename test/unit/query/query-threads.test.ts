import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../main/core/cache/cache';
import { createQueryService, type QueryService } from '../../../main/core/query/query-service';
import { startQueryThreads, type QueryThreads } from '../../../main/core/query/query-threads';
import { spawnWorker } from '../../../main/core/workers/spawn';
import type { Sort } from '../../../preload/contract';
import { createTestCache, entry } from '../../helpers/temp-cache';

const T0 = 1_764_061_200; // 2025-11-25T09:00:00Z
const byTime: Sort = { column: 'event_time', direction: 'asc' };

const entries = [
  entry({ id: 'q1', event_time: T0, event_type: 'DeleteRoute', resource_id: 'r-1', resource_name: 'payments' }),
  entry({ id: 'q2', event_time: T0 + 3600, event_type: 'UpdateRoute', resource_id: 'r-1', http_response: { status_code: 403 } }),
  entry({ id: 'q3', event_time: T0 + 86_400, event_type: 'Login', operator: { id: 'u-2', username: 'asmith', email: 'a@example.com' } }),
  entry({ id: 'q4', event_time: T0 + 3 * 86_400, event_type: 'AddRoute', resource_id: 'r-2' }),
];

/** A thread that takes requests and never answers (a read that is still running). */
const silentThread = () => new Worker("require('node:worker_threads').parentPort.on('message', () => {});", { eval: true });

class Locked extends Error {
  constructor() {
    super('locked');
    this.name = 'AppError';
  }
}

describe('the query threads', () => {
  let test: ReturnType<typeof createTestCache>;
  let direct: QueryService;
  let now = T0 + 3 * 86_400 + 60;
  const open: QueryThreads[] = [];
  const start = (spawn?: typeof spawnWorker) => {
    // As at an unlock: the threads start before the key is known, then are told what to open.
    const threads = startQueryThreads({ now: () => now, closedError: () => new Locked(), ...(spawn ? { spawn } : {}) });
    threads.open({ cacheDir: test.dir, key: test.cache.key });
    open.push(threads);
    return threads;
  };

  beforeAll(() => {
    test = createTestCache(entries);
    direct = createQueryService(openReader(test.dir, test.cache.key), { now: () => now });
  });
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
    test.remove();
  });

  it('answer every read exactly as the query service on this thread does', async () => {
    const threads = start();
    const filter = { eventTypes: ['*Route'] };
    expect(await threads.page(filter, byTime, 0, 10)).toEqual(direct.page(filter, byTime, 0, 10));
    expect((await threads.page({}, byTime, 1, 2)).map((r) => r.id)).toEqual(['q2', 'q3']);
    expect(await threads.count(filter)).toBe(direct.count(filter));
    expect(await threads.record('q2')).toEqual(direct.record('q2'));
    expect(await threads.record('nope')).toBeNull();
    expect(await threads.facets({}, 5)).toEqual(direct.facets({}, 5));
    expect(await threads.histogram({}, 12)).toEqual(direct.histogram({}, 12));
    expect(await threads.heatmap({}, 'Europe/Berlin', 5)).toEqual(direct.heatmap({}, 'Europe/Berlin', 5));
  });

  it("read relative time filters against the caller's clock at each call", async () => {
    const threads = start();
    now = T0 + 3 * 86_400 + 60;
    expect((await threads.page({ relative: '24h' }, byTime, 0, 10)).map((r) => r.id)).toEqual(['q4']);
    now = T0 + 86_400 + 60;
    expect((await threads.page({ relative: '24h' }, byTime, 0, 10)).map((r) => r.id)).toEqual(['q2', 'q3', 'q4']);
    now = T0 + 3 * 86_400 + 60;
  });

  it('pass an error back with its name, code and message', async () => {
    const threads = start();
    const error = await threads.page({}, { column: 'no_such_column' as Sort['column'], direction: 'asc' }, 0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('SqliteError');
    expect((error as { code?: string }).code).toBe('SQLITE_ERROR');
    // The thread goes on answering after a failed read.
    expect(await threads.count({})).toBe(entries.length);
  });

  it('let the table answer while a side panel is still being read', async () => {
    let spawned = 0;
    // The first thread started is the table's; the second, started by the first panel call, never answers.
    const threads = start((name, options) => (++spawned === 2 ? silentThread() : spawnWorker(name, options)));
    let histogramSettled = false;
    const histogram = threads.histogram({}, 10).finally(() => (histogramSettled = true));
    expect((await threads.page({}, byTime, 0, 10)).map((r) => r.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(await threads.count({})).toBe(4);
    expect(histogramSettled).toBe(false);
    const closedOut = expect(histogram).rejects.toBeInstanceOf(Locked);
    await threads.close();
    await closedOut;
  });

  it('open the cache in a thread that had already started and loaded', async () => {
    const workers: Worker[] = [];
    const spawn: typeof spawnWorker = (name, options) => {
      const worker = spawnWorker(name, options);
      workers.push(worker);
      return worker;
    };
    const threads = startQueryThreads({ now: () => now, closedError: () => new Locked(), spawn });
    open.push(threads);
    expect(workers).toHaveLength(1);
    await new Promise<void>((resolve) => workers[0]!.once('online', () => resolve()));
    threads.open({ cacheDir: test.dir, key: test.cache.key });
    expect(await threads.count({})).toBe(4);
  });

  it('fail the calls of a thread that dies, and start a new one for the next call', async () => {
    const workers: Worker[] = [];
    const threads = start((name, options) => {
      const worker = workers.length === 0 ? silentThread() : spawnWorker(name, options);
      workers.push(worker);
      return worker;
    });
    const waiting = threads.count({});
    await workers[0]!.terminate();
    await expect(waiting).rejects.toThrow(/query thread stopped unexpectedly/);
    expect(await threads.count({})).toBe(4);
    expect(workers).toHaveLength(2);
  });

  it('once closed, reject waiting and later calls with the closed error', async () => {
    const threads = start((name, options) => (name === 'query' ? silentThread() : spawnWorker(name, options)));
    const waiting = expect(threads.page({}, byTime, 0, 10)).rejects.toBeInstanceOf(Locked);
    await threads.close();
    await waiting;
    await expect(threads.facets({}, 5)).rejects.toBeInstanceOf(Locked);
  });

  it('report a cache the thread cannot open on every call', async () => {
    const threads = startQueryThreads({ now: () => now, closedError: () => new Locked() });
    threads.open({ cacheDir: test.dir, key: new Uint8Array(32).fill(7) });
    open.push(threads);
    await expect(threads.count({})).rejects.toThrow();
    await expect(threads.page({}, byTime, 0, 10)).rejects.toThrow();
  });
});
