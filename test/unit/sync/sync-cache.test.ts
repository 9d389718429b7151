import { afterEach, describe, expect, it } from 'vitest';
import { accessRevoked, readSyncCursor, verifyChain, type Cache } from '../../../main/core/cache/index';
import { entryToRow } from '../../../main/core/cache/record-row';
import { GatewayError } from '../../../main/core/gateway/types';
import type { AuditEntry } from '../../../main/core/records/entry';
import { syncCache, type SyncProgress } from '../../../main/core/sync/index';
import { createTestCache, makeEntry, tempDir } from '../cache/fixtures';
import { FakeGateway } from './fake-gateway';

const NOW = 1_760_000_000 + 10 * 86_400;

/** Entries spread over the 10 days before NOW, several sharing a second. */
function spread(count: number, from = 0): AuditEntry[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return makeEntry(i, { event_time: NOW - 10 * 86_400 + Math.floor((i * 7919) % (10 * 86_400 - 10)) });
  });
}

function storedHashes(cache: Cache): Map<string, string> {
  return new Map((cache.db.prepare('SELECT id, sha256 FROM records').all() as Array<{ id: string; sha256: string }>).map((r) => [r.id, r.sha256]));
}

function expectEqualsGateway(cache: Cache, gateway: FakeGateway): void {
  const stored = storedHashes(cache);
  expect(stored.size).toBe(gateway.entries.length);
  for (const e of gateway.entries) expect(stored.get(e.id), e.id).toBe(entryToRow(e).sha256);
  expect(verifyChain(cache.db).firstBroken).toBeUndefined();
}

describe('syncCache', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  const setup = () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    return cache;
  };

  it('copies every entry, then fetches only new ones on the next run', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(2_000));
    const progress: SyncProgress[] = [];
    const first = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 100, onProgress: (p) => progress.push(p) });
    expect(first).toMatchObject({ outcome: 'complete', fetched: 2_000, inserted: 2_000, duplicates: 0, syncedUntil: NOW - 1 });
    expectEqualsGateway(cache, gateway);
    expect(gateway.calls.every((c) => c.direction === 'asc')).toBe(true);
    expect(progress[0]).toMatchObject({ phase: 'counting' });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', records: 2_000, total: 2_000 });
    // First sync reaches back 180 days: the first window starts there.
    expect(gateway.calls[0]!.start_at).toBe(NOW - 180 * 86_400);

    const later = NOW + 3_600;
    gateway.entries.push(...Array.from({ length: 50 }, (_, k) => makeEntry(10_000 + k, { event_time: NOW + k })));
    gateway.calls = [];
    const second = await syncCache({ cache, client: gateway, now: () => later, pageSize: 100 });
    expect(second).toMatchObject({ outcome: 'complete', fetched: 50, inserted: 50, duplicates: 0, syncedUntil: later - 1 });
    expect(Math.min(...gateway.calls.map((c) => c.start_at!))).toBe(NOW);
    expectEqualsGateway(cache, gateway);
  });

  it('copes with a gateway that caps page_size', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(700));
    gateway.maxPageSize = 30;
    const result = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 500, windowSeconds: 5 * 86_400 });
    expect(result).toMatchObject({ outcome: 'complete', inserted: 700 });
    expectEqualsGateway(cache, gateway);
  });

  it('re-pages a window whose total changes mid-way, losing and duplicating nothing', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(600));
    const windowSeconds = 10 * 86_400;
    // While paging, an entry appears at the start of the window, shifting every offset by one.
    gateway.beforeCall = (call) => {
      if (call === 4) gateway.entries.push(makeEntry(99_999, { event_time: NOW - 10 * 86_400 }));
    };
    const result = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 50, windowSeconds, horizonSeconds: windowSeconds });
    expect(result.outcome).toBe('complete');
    expectEqualsGateway(cache, gateway);
    expect(result.duplicates).toBeGreaterThan(0);
  });

  it('resumes after a failure at any page with an identical result', async () => {
    const reference = spread(900);
    for (const failAt of [1, 2, 5, 9, 14]) {
      const cache = setup();
      const gateway = new FakeGateway(reference);
      gateway.beforeCall = (call) => {
        if (call === failAt) throw new GatewayError('network', 'connection reset');
      };
      const broken = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 64, windowSeconds: 2 * 86_400 });
      expect(broken.outcome).toBe('failed');
      expect(broken.error?.kind).toBe('network');
      gateway.beforeCall = null;
      const resumed = await syncCache({ cache, client: gateway, now: () => NOW + 5, pageSize: 64, windowSeconds: 2 * 86_400 });
      expect(resumed.outcome).toBe('complete');
      expect(resumed.duplicates).toBe(0);
      expectEqualsGateway(cache, gateway);
      cleanup();
      cleanup = () => {};
    }
  });

  it('stops on 401 to re-authenticate, and on 403 marks access revoked', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(300));
    gateway.beforeCall = (call) => {
      if (call === 3) throw new GatewayError('unauthorized', 'token expired', 401);
    };
    const unauthorized = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 50, windowSeconds: 10 * 86_400, horizonSeconds: 10 * 86_400 });
    expect(unauthorized).toMatchObject({ outcome: 'unauthorized', inserted: 50 });
    expect(readSyncCursor(cache.db)).toMatchObject({ windowNextPage: 2 });
    expect(accessRevoked(cache.db)).toBeNull();

    gateway.beforeCall = (call) => {
      if (call === 2) throw new GatewayError('forbidden', 'permission iam:GetAudit denied', 403);
    };
    gateway.calls = [];
    const forbidden = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 50, windowSeconds: 10 * 86_400, horizonSeconds: 10 * 86_400 });
    expect(forbidden.outcome).toBe('forbidden');
    expect(accessRevoked(cache.db)).toEqual({ reason: 'permission iam:GetAudit denied', at: NOW });
  });

  it('cancel keeps what was committed', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(500));
    const controller = new AbortController();
    const result = await syncCache({
      cache,
      client: gateway,
      now: () => NOW,
      pageSize: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.records >= 150) controller.abort();
      },
    });
    expect(result.outcome).toBe('cancelled');
    expect(result.inserted).toBeGreaterThanOrEqual(150);
    expect(result.inserted).toBeLessThan(500);
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(result.inserted);
    const resumed = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 50 });
    expect(resumed.outcome).toBe('complete');
    expectEqualsGateway(cache, gateway);
  });

  it("asks for up to two pages ahead, across a window's end, before storing the current one", async () => {
    const cache = setup();
    // 200 entries in each of two 5-day windows.
    const gateway = new FakeGateway(Array.from({ length: 400 }, (_, i) => makeEntry(i, { event_time: NOW - (i < 200 ? 10 : 5) * 86_400 + (i % 200) * 60 })));
    const storedAtCall: number[] = [];
    gateway.beforeCall = () => storedAtCall.push(cache.db.prepare('SELECT count(*) FROM records').pluck().get() as number);
    const result = await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 100, windowSeconds: 5 * 86_400, horizonSeconds: 10 * 86_400 });
    expect(result).toMatchObject({ outcome: 'complete', inserted: 400 });
    expectEqualsGateway(cache, gateway);
    const pages = gateway.calls.slice(1).map((c, k) => ({ window: c.start_at, page: c.page, stored: storedAtCall[k + 1] }));
    // Two windows of two pages. Once the first page tells the window's size, its second page and
    // the next window's first are requested before anything is stored.
    expect(pages.map((p) => p.page)).toEqual([1, 2, 1, 2]);
    expect(new Set(pages.map((p) => p.window)).size).toBe(2);
    expect(pages.map((p) => p.stored)).toEqual([0, 0, 0, 200]);
  });

  it('reports rate and ETA from an injected clock', async () => {
    const cache = setup();
    const gateway = new FakeGateway(spread(200));
    let ms = 0;
    const seen: SyncProgress[] = [];
    await syncCache({
      cache,
      client: gateway,
      now: () => NOW,
      pageSize: 100,
      windowSeconds: 10 * 86_400,
      clockMs: () => (ms += 500),
      onProgress: (p) => seen.push(p),
    });
    const mid = seen.find((p) => p.phase === 'syncing' && p.records === 100)!;
    expect(mid.rate).toBeGreaterThan(0);
    expect(Math.abs(mid.etaSeconds! - 100 / mid.rate)).toBeLessThanOrEqual(1);
    expect(mid.total).toBe(200);
  });
});
