import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessRevoked, readSyncCursor, verifyChain, type Cache } from '../../../main/core/cache/index';
import { createGatewayClient } from '../../../main/core/gateway/client';
import type { Credentials } from '../../../main/core/gateway/types';
import { inProcessPageSource, startPageReader, startSyncWorker, syncCache, type PageSource, type SyncResult } from '../../../main/core/sync/index';
import { pageSourceFor } from '../../../main/core/sync/page-reader';
import type { SyncOptions } from '../../../main/core/sync/sync-cache';
import { spawnWorker } from '../../../main/core/workers/spawn';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { createTestCache, tempDir } from '../cache/fixtures';

const NOW = 1_764_000_000;
/** Small pages over ~200 entries a day: windows of several pages, window growth, a partial last page. */
const PAGING = { pageSize: 150, windowSeconds: 86_400, horizonSeconds: 20 * 86_400 } as const;

/** Everything a row stores that the sync computes, in storage order. */
function storedRows(cache: Cache): unknown[] {
  return cache.db
    .prepare('SELECT seq, id, event_time, canonical, sha256, prev_hash, chain_hash, request_body, response_body, failed, status_code, warnings, synced_at FROM records ORDER BY seq')
    .all();
}

describe('the threaded page reader against the demo gateway', () => {
  let gateway: DemoGateway;
  let token: string;
  const opened: Array<{ cache: Cache; cleanup(): void }> = [];
  beforeAll(async () => {
    // A fixed clock: the gateway's own audit entries about our calls fall outside the synced range.
    gateway = await startDemoGateway({ seed: 5, days: 20, operators: 6, events: 4_000, now: () => NOW });
    token = gateway.createToken('auditor');
  });
  afterAll(() => gateway.close());
  afterEach(() => {
    gateway.faults.clear();
    for (const { cache, cleanup } of opened.splice(0)) {
      cache.close();
      cleanup();
    }
  });

  const freshCache = (): Cache => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    opened.push({ cache, cleanup: t.cleanup });
    return cache;
  };
  const gatewayOptions = (credentials: Credentials = { kind: 'token', token }) => ({ baseUrl: gateway.url, credentials, maxRetries: 0 });
  type Extra = Omit<SyncOptions, 'cache' | 'client' | 'pages' | 'now'>;
  const syncInProcess = (cache: Cache, extra: Extra = {}) =>
    syncCache({ cache, client: createGatewayClient(gatewayOptions()), now: () => NOW, ...PAGING, ...extra });
  const syncThreaded = async (cache: Cache, extra: Extra & { credentials?: Credentials; spawn?: typeof spawnWorker } = {}) => {
    const { credentials, spawn, ...rest } = extra;
    const pages = startPageReader({ gateway: gatewayOptions(credentials) }, { ...(rest.signal ? { signal: rest.signal } : {}), ...(spawn ? { spawn } : {}) });
    try {
      return await syncCache({ cache, pages, now: () => NOW, ...PAGING, ...rest });
    } finally {
      await pages.close();
    }
  };
  /** The reference: what reading on the sync's own thread stores. */
  let reference: { rows: unknown[]; result: SyncResult } | null = null;
  const referenceSync = async () => {
    if (!reference) {
      const cache = freshCache();
      const result = await syncInProcess(cache);
      expect(result.outcome).toBe('complete');
      reference = { rows: storedRows(cache), result };
    }
    return reference;
  };
  /** Spawns the real reader thread and hands it to the test (to kill it mid-sync). */
  const capturingSpawn = (onSpawn: (worker: Worker) => void): typeof spawnWorker => (name, options) => {
    const worker = spawnWorker(name, options);
    onSpawn(worker);
    return worker;
  };
  const exited = (worker: Worker) => new Promise<number>((resolve) => worker.once('exit', resolve));

  it('stores the same rows, hashes and chain as reading on the same thread', async () => {
    const { rows, result } = await referenceSync();
    expect(rows.length).toBeGreaterThan(3_500);
    const cache = freshCache();
    const threaded = await syncThreaded(cache);
    expect(threaded).toEqual(result);
    expect(storedRows(cache)).toEqual(rows);
    expect(verifyChain(cache.db).firstBroken).toBeUndefined();
    expect(readSyncCursor(cache.db)).toMatchObject({ syncedUntil: NOW - 1, windowStart: null });
  });

  it('signs in with a password on its own thread', async () => {
    const { rows } = await referenceSync();
    const cache = freshCache();
    const result = await syncThreaded(cache, { credentials: { kind: 'password', username: 'auditor', password: 'auditor' } });
    expect(result.outcome).toBe('complete');
    expect(storedRows(cache)).toEqual(rows);
  });

  it('ends on 401 and 403 exactly as reading on the same thread does, keeping committed pages', async () => {
    for (const kind of ['401', '403'] as const) {
      const outcomes: SyncResult[] = [];
      const caches: Cache[] = [];
      for (const run of [syncInProcess, syncThreaded]) {
        const cache = freshCache();
        gateway.faults.schedule({ kind, after_pages: 6, times: Infinity });
        outcomes.push(await run(cache));
        gateway.faults.clear();
        caches.push(cache);
      }
      const [inProcess, threaded] = outcomes as [SyncResult, SyncResult];
      expect(threaded.outcome).toBe(kind === '401' ? 'unauthorized' : 'forbidden');
      expect(threaded.error?.kind).toBe(kind === '401' ? 'unauthorized' : 'forbidden');
      expect(threaded).toEqual(inProcess);
      expect(threaded.inserted).toBeGreaterThan(0);
      expect(storedRows(caches[1]!)).toEqual(storedRows(caches[0]!));
      expect(accessRevoked(caches[1]!.db) !== null).toBe(kind === '403');
    }
  });

  it('keeps a gateway error kind across the thread hop (invalid JSON is a bad_response)', async () => {
    const cache = freshCache();
    gateway.faults.schedule({ kind: 'invalid_json', after_pages: 3 });
    const result = await syncThreaded(cache);
    expect(result).toMatchObject({ outcome: 'failed', error: { kind: 'bad_response' } });
    expect(result.error?.message).toMatch(/invalid JSON/);
  });

  it('re-pages a window whose total changes, with the same result as on the same thread', async () => {
    const { rows } = await referenceSync();
    const withoutSeq = (stored: unknown[]) => stored.map((row) => ({ ...(row as object), seq: undefined }));
    const results: SyncResult[] = [];
    const stored: unknown[][] = [];
    for (const run of [syncInProcess, syncThreaded]) {
      const cache = freshCache();
      gateway.faults.schedule({ kind: 'total_change', after_pages: 4 });
      results.push(await run(cache));
      stored.push(storedRows(cache));
      // The re-read rows are skipped as duplicates (they still use up seq numbers).
      expect(withoutSeq(stored.at(-1)!)).toEqual(withoutSeq(rows));
    }
    expect(results[1]).toMatchObject({ outcome: 'complete' });
    expect(results[1]!.duplicates).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
    expect(stored[1]).toEqual(stored[0]);
  });

  it('cancel ends the sync at once and stops the thread, even with a request hanging', async () => {
    const cache = freshCache();
    const controller = new AbortController();
    let reader: Worker | undefined;
    let abortedAt = 0;
    // From the third list request on, the gateway never answers (the client's own timeout is 30 s).
    gateway.faults.schedule({ kind: 'timeout', after_pages: 3, times: Infinity });
    const result = await syncThreaded(cache, {
      signal: controller.signal,
      spawn: capturingSpawn((w) => (reader = w)),
      onProgress: (p) => {
        if (p.phase === 'syncing' && abortedAt === 0) {
          abortedAt = performance.now();
          setTimeout(() => controller.abort(), 100);
        }
      },
    });
    expect(performance.now() - abortedAt).toBeLessThan(2_000);
    expect(result.outcome).toBe('cancelled');
    expect(result.inserted).toBeGreaterThan(0);
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(result.inserted);
    expect(reader!.threadId).toBe(-1); // terminated
  });

  it('a crash of the thread ends the sync as failed with a clear message; committed pages stay and a rerun completes', async () => {
    const { rows } = await referenceSync();
    const cache = freshCache();
    let reader: Worker | undefined;
    let killed: Promise<number> | undefined;
    const result = await syncThreaded(cache, {
      spawn: capturingSpawn((w) => (reader = w)),
      onProgress: (p) => {
        if (p.phase === 'syncing' && p.records >= 300 && !killed) {
          killed = exited(reader!);
          void reader!.terminate();
        }
      },
    });
    expect(await killed).toBe(1);
    expect(result).toMatchObject({ outcome: 'failed', error: { kind: 'unknown' } });
    expect(result.error?.message).toMatch(/thread reading pages .* stopped unexpectedly .*committed work is kept/);
    expect(result.inserted).toBeGreaterThanOrEqual(300);
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(result.inserted);

    const rerun = await syncThreaded(cache);
    expect(rerun).toMatchObject({ outcome: 'complete', duplicates: 0 });
    expect(storedRows(cache).length).toBe(rows.length);
    expect(verifyChain(cache.db).firstBroken).toBeUndefined();
  });

  it('a thread that fails to start ends the sync as failed', async () => {
    const cache = freshCache();
    const result = await syncThreaded(cache, { spawn: () => new Worker('throw new Error("reader entry is broken")', { eval: true }) });
    expect(result).toMatchObject({ outcome: 'failed', inserted: 0, error: { kind: 'unknown' } });
    expect(result.error?.message).toMatch(/reader entry is broken/);
  });

  it('an error that is not the gateway\'s is thrown, as on the same thread', async () => {
    const cache = freshCache();
    const answersWithBug = `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (m) => { if (m.type === 'list') parentPort.postMessage({ type: 'error', id: m.id, message: 'a bug in the reader' }); });`;
    await expect(syncThreaded(cache, { spawn: () => new Worker(answersWithBug, { eval: true }) })).rejects.toThrow('a bug in the reader');
  });

  it('the sync worker syncs through the reader thread, and its cancel ends the sync promptly while a request hangs', async () => {
    // The sync worker syncs up to the wall clock: a gateway whose history ends now.
    const live = await startDemoGateway({ seed: 9, days: 20, operators: 4, events: 2_000 });
    const folders = [tempDir(), tempDir()];
    try {
      const gatewayAtNow = { baseUrl: live.url, credentials: { kind: 'token' as const, token: live.createToken('auditor') }, maxRetries: 0 };
      const [completeDir, cancelledDir] = folders.map((t) => t.dir) as [string, string];
      const keys = [completeDir, cancelledDir].map((dir) => {
        const cache = createTestCache(dir);
        cache.close();
        return cache.key;
      });
      const paging = { pageSize: PAGING.pageSize, windowSeconds: PAGING.windowSeconds };
      const synced = await startSyncWorker({ cacheDir: completeDir, key: keys[0]!, gateway: gatewayAtNow, ...paging }).done;
      expect(synced.result.outcome).toBe('complete');
      expect(synced.result.inserted).toBeGreaterThanOrEqual(1_900);

      // Once records arrive, every further list request hangs: only cancel can end this sync quickly.
      let cancelling = false;
      const running = startSyncWorker({ cacheDir: cancelledDir, key: keys[1]!, gateway: gatewayAtNow, ...paging }, (p) => {
        if (p.inserted > 0 && !cancelling) {
          cancelling = true;
          live.faults.schedule({ kind: 'timeout', times: Infinity });
          setTimeout(() => running.cancel(), 50);
        }
      });
      const { result } = await running.done;
      expect(result.outcome).toBe('cancelled');
      expect(result.inserted).toBeGreaterThan(0);
      expect(result.inserted).toBeLessThan(synced.result.inserted);
    } finally {
      await live.close();
      for (const t of folders) t.cleanup();
    }
  });

  it('an in-process source is what syncCache builds from a client', async () => {
    const { rows } = await referenceSync();
    const cache = freshCache();
    const pages: PageSource = inProcessPageSource(createGatewayClient(gatewayOptions()));
    const result = await syncCache({ cache, pages, now: () => NOW, ...PAGING });
    expect(result.outcome).toBe('complete');
    expect(storedRows(cache)).toEqual(rows);
  });

  describe("pageSourceFor: the reader thread calls the gateway with the client's own sign-in", () => {
    const password: Credentials = { kind: 'password', username: 'auditor', password: 'auditor' };
    const countOf = (eventType: string) => () => gateway.store.all().filter((e) => e.event_type === eventType && e.operator?.username === 'auditor').length;
    const logins = countOf('Login');
    const logouts = countOf('Logout');
    const sessionOf = (client: ReturnType<typeof createGatewayClient>) => {
      const shared = client.shareConnection().credentials;
      return shared.kind === 'password' ? shared.session : undefined;
    };

    it('a password sign-in reaches the thread as its session: the same rows, and no second Login', async () => {
      const { rows } = await referenceSync();
      const client = createGatewayClient(gatewayOptions(password));
      await client.signIn();
      const before = { logins: logins(), logouts: logouts() };
      const pages = pageSourceFor(client);
      try {
        const result = await syncCache({ cache: freshCache(), pages, now: () => NOW, ...PAGING });
        expect(result.outcome).toBe('complete');
        expect(storedRows(opened.at(-1)!.cache)).toEqual(rows);
      } finally {
        await pages.close();
      }
      // The thread neither signed in nor signed out the session it was handed.
      expect({ logins: logins(), logouts: logouts() }).toEqual(before);
      await expect(client.me()).resolves.toMatchObject({ username: 'auditor' });
      await client.signOut();
    });

    it('a session that expires mid-sync is renewed once, by the client that lent it (one new Login); the sync completes and the client goes on with the new session', async () => {
      const { rows } = await referenceSync();
      const client = createGatewayClient(gatewayOptions(password));
      await client.signIn();
      const cookie = sessionOf(client)!;
      const before = logins();
      const logoutsBefore = logouts();
      const pages = pageSourceFor(client);
      let listed = 0;
      const expiring: PageSource = {
        listRows: (query, signal) => {
          // After a few pages the gateway forgets the session, as when it expires.
          if (++listed === 4) gateway.accounts.endSession(cookie.slice(cookie.indexOf('=') + 1));
          return pages.listRows(query, signal);
        },
      };
      try {
        const result = await syncCache({ cache: freshCache(), pages: expiring, now: () => NOW, ...PAGING });
        expect(result.outcome).toBe('complete');
        expect(storedRows(opened.at(-1)!.cache)).toEqual(rows);
      } finally {
        await pages.close();
      }
      expect(logins()).toBe(before + 1);
      // Closing the thread signed nothing out: the new session is the lender's, which uses it now.
      expect(logouts()).toBe(logoutsBefore);
      const renewed = sessionOf(client)!;
      expect(renewed).not.toBe(cookie);
      expect(gateway.accounts.checkSession(renewed.slice(renewed.indexOf('=') + 1)).ok).toBe(true);
      await expect(client.me()).resolves.toMatchObject({ username: 'auditor' });
      expect(logins()).toBe(before + 1);
      await client.signOut();
      expect(logouts()).toBe(logoutsBefore + 1);
    });

    it('borrowers that find the session expired at once share one renewal by the lender, which refuses once signed out', async () => {
      const owner = createGatewayClient(gatewayOptions(password));
      await owner.signIn();
      const cookie = sessionOf(owner)!;
      const before = logins();
      let asked = 0;
      const borrowers = [1, 2, 3].map(() =>
        createGatewayClient({ ...owner.shareConnection(), renewBorrowedSession: (expired) => (asked++, owner.renewSharedSession(expired)) }),
      );
      gateway.accounts.endSession(cookie.slice(cookie.indexOf('=') + 1));
      const users = await Promise.all(borrowers.map((b) => b.me()));
      expect(users.map((u) => u.username)).toEqual(['auditor', 'auditor', 'auditor']);
      expect(asked).toBe(3);
      expect(logins()).toBe(before + 1);
      // The owner's own next call uses the renewed session too.
      await owner.me();
      expect(logins()).toBe(before + 1);
      await owner.signOut();
      await expect(owner.renewSharedSession(sessionOf(borrowers[0]!)!)).rejects.toMatchObject({ kind: 'unauthorized' });
      expect(logins()).toBe(before + 1);
      for (const b of borrowers) await b.signOut();
    });

    it('a client given a shared session does not sign it out: only the client that signed in does', async () => {
      const owner = createGatewayClient(gatewayOptions(password));
      await owner.signIn();
      const cookie = sessionOf(owner)!;
      const stillValid = () => gateway.accounts.checkSession(cookie.slice(cookie.indexOf('=') + 1)).ok;
      const borrower = createGatewayClient(owner.shareConnection());
      await expect(borrower.me()).resolves.toMatchObject({ username: 'auditor' });
      await borrower.signOut();
      expect(stillValid()).toBe(true);
      await owner.signOut();
      expect(stillValid()).toBe(false);
    });

    it('a token reaches the thread as it is', () => {
      const client = createGatewayClient(gatewayOptions());
      expect(client.shareConnection()).toMatchObject({ baseUrl: gateway.url, credentials: { kind: 'token', token } });
    });
  });
});
