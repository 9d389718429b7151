import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRevoked, readSyncCursor, type Cache } from '../../main/core/cache/index';
import { createGatewayClient } from '../../main/core/gateway/client';
import type { GatewayClientOptions } from '../../main/core/gateway/types';
import { RECOMMENDED_OVERLAP_SECONDS, syncCache, type SyncResult } from '../../main/core/sync/sync-cache';
import type { FaultKind } from '../../main/demo-gateway/faults';
import { startDemoGateway, type DemoGateway } from '../../main/demo-gateway/server';
import { createTestCache, makeEntry, tempDir } from '../unit/cache/fixtures';
import { expectCacheMatchesGateway } from './cache-compare';

// Gateway faults end to end: demo gateway (fault injection) → real client → syncCache → cache.
// Retries are fast (1 ms backoff, 300 ms timeout) so the whole file stays well under a minute.
const NOW = 1_766_000_000;
const PAGE = 100;
const SYNC = { pageSize: PAGE, windowSeconds: 3 * 86_400, horizonSeconds: 12 * 86_400 };

let gateway: DemoGateway;
const gatewayClock = NOW;

beforeAll(async () => {
  gateway = await startDemoGateway({ seed: 11, days: 10, operators: 8, events: 1_200, now: () => gatewayClock });
});
afterAll(() => gateway.close());

function clientFor(token: string, extra: Partial<GatewayClientOptions> = {}) {
  return createGatewayClient({ baseUrl: gateway.url, credentials: { kind: 'token', token }, retryBaseMs: 1, maxRetryDelayMs: 20, timeoutMs: 300, maxRetries: 3, ...extra });
}

async function withCache(run: (cache: Cache) => Promise<void>): Promise<void> {
  const t = tempDir('ar-rel-fault-');
  const cache = createTestCache(t.dir);
  try {
    await run(cache);
  } finally {
    cache.close();
    t.cleanup();
  }
}

const sync = (cache: Cache, token: string, now = NOW, extra: Partial<GatewayClientOptions> = {}): Promise<SyncResult> =>
  syncCache({ cache, client: clientFor(token, extra), now: () => now, ...SYNC });

describe('sync through transient gateway faults completes and equals the gateway', () => {
  const transient: Array<{ kind: FaultKind; times: number; retry_after?: number }> = [
    { kind: '500', times: 2 },
    { kind: '429', times: 2, retry_after: 0 },
    { kind: 'timeout', times: 1 },
    { kind: 'reset', times: 2 },
    { kind: 'truncate', times: 2 },
    { kind: 'total_change', times: 1 },
  ];
  for (const fault of transient) {
    it(`${fault.kind} ×${fault.times} mid-sync`, async () => {
      await withCache(async (cache) => {
        gateway.faults.clear();
        const before = gateway.faults.injected[fault.kind] ?? 0;
        gateway.faults.schedule({ ...fault, after_pages: 4 });
        const result = await sync(cache, gateway.createToken('auditor'));
        expect(gateway.faults.injected[fault.kind] ?? 0).toBe(before + fault.times);
        expect(result.outcome, result.error?.message).toBe('complete');
        expect(result.syncedUntil).toBe(NOW - 1);
        expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
        // A re-paged window fetched some entries twice; the insert ignored them.
        if (fault.kind === 'total_change') expect(result.duplicates).toBeGreaterThan(0);
      });
    });
  }

  it('502/503 answers from a proxy in front of the gateway are retried too', async () => {
    // The demo gateway injects 500 only; a tiny proxy answers 502 then 503 before passing through.
    let left = 2;
    const proxy = await startProxy((res) => {
      if (left-- <= 0) return false;
      res.writeHead(left === 1 ? 502 : 503, { 'Content-Type': 'text/html' }).end('<html>Bad Gateway</html>');
      return true;
    });
    try {
      await withCache(async (cache) => {
        const result = await syncCache({ cache, client: createGatewayClient({ baseUrl: proxy.url, credentials: { kind: 'token', token: gateway.createToken('auditor') }, retryBaseMs: 1, maxRetries: 3 }), now: () => NOW, ...SYNC });
        expect(result.outcome, result.error?.message).toBe('complete');
        expect(left).toBeLessThan(0);
        expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
      });
    } finally {
      await closeServer(proxy.server);
    }
  });
});

describe('sync through lasting faults stops with a clear message, keeps what it committed, and resumes', () => {
  const lasting: Array<{ kind: FaultKind; outcome: string; message: RegExp }> = [
    { kind: '500', outcome: 'failed', message: /500 after 4 attempts/ },
    { kind: '429', outcome: 'failed', message: /429|rate|too many/i },
    { kind: 'timeout', outcome: 'failed', message: /did not answer in time/ },
    { kind: 'reset', outcome: 'failed', message: /connection|reset|network/i },
    { kind: 'truncate', outcome: 'failed', message: /mid-response|broke|closed/i },
    { kind: 'invalid_json', outcome: 'failed', message: /invalid JSON/ },
    { kind: 'total_change', outcome: 'failed', message: /keeps changing; run sync again later/ },
  ];
  for (const fault of lasting) {
    it(`${fault.kind} from page 5 on`, async () => {
      await withCache(async (cache) => {
        gateway.faults.clear();
        // total_change alternates with honest pages so the count really "keeps changing".
        if (fault.kind === 'total_change') for (let i = 0; i < 40; i++) gateway.faults.schedule({ kind: fault.kind, after_pages: 4 + 2 * i });
        else gateway.faults.schedule({ kind: fault.kind, after_pages: 4, times: Infinity, retry_after: 0 });
        const token = gateway.createToken('auditor');
        const stopped = await sync(cache, token, NOW, { timeoutMs: 150, maxRetries: 3 });
        gateway.faults.clear();
        expect(stopped.outcome).toBe(fault.outcome);
        expect(stopped.error?.message).toMatch(fault.message);
        // Pages are prefetched one ahead, so the fault on request 5 stops the run after page 3 or 4.
        expect(stopped.pages).toBeGreaterThanOrEqual(1);
        expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBeGreaterThan(0);
        expectCacheMatchesGateway(cache, gateway.store.all());

        const resumed = await sync(cache, token);
        expect(resumed.outcome, resumed.error?.message).toBe('complete');
        expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
      });
    });
  }

  it('401 mid-sync (token expired): stops unauthorized; a new token resumes to the same cache', async () => {
    await withCache(async (cache) => {
      gateway.faults.clear();
      gateway.faults.schedule({ kind: '401', after_pages: 5, times: Infinity });
      const first = await sync(cache, gateway.createToken('auditor'));
      gateway.faults.clear();
      expect(first.outcome).toBe('unauthorized');
      expect(first.error?.message).toMatch(/expired|sign in|token/i);
      const committed = cache.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
      expect(committed).toBeGreaterThan(0);
      expectCacheMatchesGateway(cache, gateway.store.all());

      const second = await sync(cache, gateway.createToken('auditor'));
      expect(second.outcome, second.error?.message).toBe('complete');
      expect(second.inserted + committed).toBe(cache.db.prepare('SELECT count(*) FROM records').pluck().get());
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
    });
  });

  it('403 mid-sync (revoked): stops forbidden, marks the cache access_revoked, keeps committed pages', async () => {
    await withCache(async (cache) => {
      gateway.faults.clear();
      gateway.faults.schedule({ kind: '403', after_pages: 5, times: Infinity });
      const result = await sync(cache, gateway.createToken('auditor'));
      gateway.faults.clear();
      expect(result.outcome).toBe('forbidden');
      expect(result.error?.message).toMatch(/iam:GetAudit/);
      expect(accessRevoked(cache.db)).toMatchObject({ at: NOW });
      expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBeGreaterThanOrEqual(2 * PAGE);
      expectCacheMatchesGateway(cache, gateway.store.all());
    });
  });
});

describe('clock skew between gateway and laptop', () => {
  it('gateway ahead: entries stamped after the laptop\'s now wait for a later sync, none lost or doubled', async () => {
    await withCache(async (cache) => {
      gateway.faults.clear();
      const token = gateway.createToken('auditor');
      const ahead = NOW + 3_600;
      for (let i = 0; i < 20; i++) gateway.store.append(makeEntry(700_000 + i, { event_time: NOW + i * 100 }));
      const first = await sync(cache, token, NOW);
      expect(first.outcome).toBe('complete');
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
      const second = await sync(cache, token, ahead + 60);
      expect(second.outcome).toBe('complete');
      expect(second.duplicates).toBe(0);
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: ahead + 59, exact: true });
      expect(cache.db.prepare("SELECT count(*) FROM records WHERE id LIKE 'E0070%'").pluck().get()).toBe(20);
    });
  });

  // KNOWN BUG (reported to the lead): syncCache ends each run at the laptop's now-1 and the next run
  // starts after that cursor, so a gateway whose clock runs behind stamps new entries with times the
  // cursor already passed, and they are never fetched. `it.fails` keeps this visible until fixed.
  // (A skew within the re-read overlap is handled: see the next test.)
  it.fails('gateway behind: entries it stamps behind the laptop\'s cursor are still fetched by the next sync [KNOWN BUG]', async () => {
    console.warn('clock skew (gateway behind) is a known sync bug: entries stamped behind the cursor are missed; this test is expected to fail until sync bounds windows by the gateway clock');
    await withCache(async (cache) => {
      gateway.faults.clear();
      const token = gateway.createToken('auditor');
      const laptop = NOW + 20_000;
      const first = await sync(cache, token, laptop);
      expect(first.outcome).toBe('complete');
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: laptop - 1, exact: true });
      // The gateway's clock is an hour behind: what it logs now carries times the cursor has passed.
      const behind = laptop - 3_600;
      for (let i = 0; i < 10; i++) gateway.store.append(makeEntry(800_000 + i, { event_time: behind + 600 + i }));
      const second = await sync(cache, token, laptop + 900);
      expect(second.outcome).toBe('complete');
      const late = cache.db.prepare("SELECT count(*) FROM records WHERE id LIKE 'E0080%'").pluck().get();
      expect(late, 'entries stamped behind the cursor by a slow gateway clock were skipped').toBe(10);
    });
  });

  it('gateway a few minutes behind (or committing late): the re-read overlap still fetches those entries, once', async () => {
    await withCache(async (cache) => {
      gateway.faults.clear();
      const token = gateway.createToken('auditor');
      const laptop = NOW + 40_000;
      const client = createGatewayClient({ baseUrl: gateway.url, credentials: { kind: 'token', token }, retryBaseMs: 1 });
      const first = await syncCache({ cache, client, now: () => laptop, overlapSeconds: RECOMMENDED_OVERLAP_SECONDS });
      expect(first.outcome).toBe('complete');
      // Stamped up to 5 minutes behind the cursor the first sync left.
      for (let i = 0; i < 10; i++) gateway.store.append(makeEntry(810_000 + i, { event_time: laptop - 300 + i }));
      const second = await syncCache({ cache, client, now: () => laptop + 300, overlapSeconds: RECOMMENDED_OVERLAP_SECONDS });
      expect(second.outcome).toBe('complete');
      const late = cache.db.prepare("SELECT count(*) FROM records WHERE id LIKE 'E0081%'").pluck().get();
      expect(late).toBe(10);
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: laptop + 299, exact: true });
    });
  });
});

describe('HTTPS with an untrusted certificate', () => {
  let dir: ReturnType<typeof tempDir>;
  let tls: { server: Server | import('node:http').Server; url: string; cert: string };
  beforeAll(async () => {
    dir = tempDir('ar-rel-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir.dir, 'k.pem'), '-out', join(dir.dir, 'c.pem'),
      '-days', '1', '-subj', '/CN=gateway', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const cert = readFileSync(join(dir.dir, 'c.pem'), 'utf8');
    const proxy = await startProxy(() => false, { cert, key: readFileSync(join(dir.dir, 'k.pem'), 'utf8') });
    tls = { ...proxy, cert };
  });
  afterAll(async () => {
    await closeServer(tls.server);
    dir.cleanup();
  });

  it('refuses to sync (kind tls, says how to trust a private CA), stores nothing; with the CA given it syncs', async () => {
    await withCache(async (cache) => {
      gateway.faults.clear();
      const token = gateway.createToken('auditor');
      const refused = await syncCache({ cache, client: createGatewayClient({ baseUrl: tls.url, credentials: { kind: 'token', token }, maxRetries: 0 }), now: () => NOW, ...SYNC });
      expect(refused.outcome).toBe('failed');
      expect(refused.error?.kind).toBe('tls');
      expect(refused.error?.message).toMatch(/not signed by a trusted authority/);
      expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
      expect(readSyncCursor(cache.db).syncedUntil).toBeNull();

      const trusted = await syncCache({ cache, client: createGatewayClient({ baseUrl: tls.url, credentials: { kind: 'token', token }, caPem: tls.cert }), now: () => NOW, ...SYNC });
      expect(trusted.outcome, trusted.error?.message).toBe('complete');
      expectCacheMatchesGateway(cache, gateway.store.all(), { until: NOW - 1, exact: true });
    });
  });
});

/** An HTTP(S) pass-through to the demo gateway; `intercept` may answer a request itself. */
async function startProxy(
  intercept: (res: import('node:http').ServerResponse) => boolean,
  tlsOptions?: { cert: string; key: string },
): Promise<{ server: Server | import('node:http').Server; url: string }> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.url?.startsWith('/api/audit_logs') && intercept(res)) return;
    const upstream = httpRequest(gateway.url + req.url, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = tlsOptions ? createHttpsServer(tlsOptions, handler) : (await import('node:http')).createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server: server as Server, url: `${tlsOptions ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: { close(cb: () => void): void; closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
