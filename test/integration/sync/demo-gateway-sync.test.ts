import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRevoked, readSyncCursor, verifyChain, type Cache } from '../../../main/core/cache/index';
import { entryToRow } from '../../../main/core/cache/record-row';
import { createGatewayClient } from '../../../main/core/gateway/client';
import { syncCache, startSyncWorker, type SyncProgress } from '../../../main/core/sync/index';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { makeEntry, createTestCache, tempDir } from '../../unit/cache/fixtures';

const NOW = 1_764_000_000;

describe('sync against the demo gateway', () => {
  let gateway: DemoGateway;
  let clock = NOW;
  beforeAll(async () => {
    gateway = await startDemoGateway({ seed: 7, days: 20, operators: 8, events: 4_000, now: () => clock });
  });
  afterAll(() => gateway.close());

  const expectEqualsGateway = (cache: Cache, until: number) => {
    const visible = gateway.store.all().filter((e) => e.event_time <= until);
    const stored = new Map((cache.db.prepare('SELECT id, sha256 FROM records').all() as Array<{ id: string; sha256: string }>).map((r) => [r.id, r.sha256]));
    expect(stored.size).toBe(visible.length);
    for (const e of visible) expect(stored.get(e.id), e.id).toBe(entryToRow(e).sha256);
    expect(verifyChain(cache.db).firstBroken).toBeUndefined();
  };

  it('full sync equals the gateway (count and per-id hash); the next sync fetches only new entries', async () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    try {
      const client = createGatewayClient({ baseUrl: gateway.url, credentials: { kind: 'token', token: gateway.createToken('auditor') } });
      const first = await syncCache({ cache, client, now: () => clock, pageSize: 700 });
      expect(first.outcome).toBe('complete');
      expect(first.inserted).toBeGreaterThan(3_000);
      expectEqualsGateway(cache, NOW - 1);

      clock = NOW + 600;
      for (let i = 0; i < 25; i++) gateway.store.append(makeEntry(900_000 + i, { event_time: NOW + i }));
      const second = await syncCache({ cache, client, now: () => clock, pageSize: 700 });
      expect(second).toMatchObject({ outcome: 'complete', duplicates: 0, syncedUntil: clock - 1 });
      // Only the new ones, plus whatever the gateway logged about our own calls meanwhile.
      expect(second.fetched).toBe(gateway.store.all().filter((e) => e.event_time >= NOW && e.event_time <= clock - 1).length);
      expect(second.inserted).toBeGreaterThanOrEqual(25);
      expectEqualsGateway(cache, clock - 1);
    } finally {
      cache.close();
      t.cleanup();
    }
  });

  it('runs in a worker thread with progress', async () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    const key = cache.key;
    cache.close();
    try {
      const token = gateway.createToken('auditor');
      const progress: SyncProgress[] = [];
      const running = startSyncWorker({ cacheDir: t.dir, key, gateway: { baseUrl: gateway.url, credentials: { kind: 'token', token } }, pageSize: 1000 }, (p) => progress.push(p));
      const { result } = await running.done;
      expect(result.outcome).toBe('complete');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)!.phase).toBe('done');

      const reopened = createTestCache(t.dir);
      expect(reopened.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(result.inserted);
      reopened.close();
    } finally {
      t.cleanup();
    }
  });

  it('stops with forbidden and marks the cache when access is revoked', async () => {
    const t = tempDir();
    const reopened = createTestCache(t.dir);
    try {
      const token = gateway.createToken('auditor');
      {
        gateway.revokePermission('auditor', 'iam:GetAudit');
        const client = createGatewayClient({ baseUrl: gateway.url, credentials: { kind: 'token', token }, maxRetries: 0 });
        clock += 3_600;
        const denied = await syncCache({ cache: reopened, client, now: () => clock });
        expect(denied.outcome).toBe('forbidden');
        expect(accessRevoked(reopened.db)).toMatchObject({ at: clock });
        expect(readSyncCursor(reopened.db).syncedUntil).toBeNull();
        expect(denied.error?.message).toMatch(/GetAudit/);
      }
    } finally {
      reopened.close();
      t.cleanup();
    }
  });
});
