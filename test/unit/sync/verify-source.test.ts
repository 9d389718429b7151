import { afterEach, describe, expect, it } from 'vitest';
import { syncCache, verifySource } from '../../../main/core/sync/index';
import { createTestCache, makeEntry, tempDir } from '../cache/fixtures';
import { FakeGateway } from './fake-gateway';

const NOW = 1_760_000_000 + 10 * 86_400;
const entries = Array.from({ length: 400 }, (_, i) => makeEntry(i, { event_time: NOW - 10 * 86_400 + i * 2000 }));

describe('verifySource', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('finds records changed or vanished at the gateway, and nothing when it is unchanged', async () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const gateway = new FakeGateway(entries);
    await syncCache({ cache, client: gateway, now: () => NOW, pageSize: 100 });

    const clean = await verifySource({ cache, client: gateway, mode: 'full', now: () => NOW, pageSize: 100 });
    expect(clean).toMatchObject({ recordsCompared: 400, changed: [], vanished: [], unseen: 0 });
    expect(clean.windowsChecked).toBeGreaterThanOrEqual(10);

    const edited = entries[50]!;
    gateway.entries = gateway.entries.filter((e) => e.id !== entries[120]!.id).map((e) => (e.id === edited.id ? { ...e, event_type: 'GetRoute' } : e));
    gateway.entries.push(makeEntry(5000, { event_time: entries[10]!.event_time }));
    const drift = await verifySource({ cache, client: gateway, mode: 'full', now: () => NOW, pageSize: 100 });
    expect(drift.changed.map((d) => d.id)).toEqual([edited.id]);
    expect(drift.changed[0]!.gatewaySha256).not.toBe(drift.changed[0]!.storedSha256);
    expect(drift.vanished.map((d) => d.id)).toEqual([entries[120]!.id]);
    expect(drift.unseen).toBe(1);

    // A sample checks only a few windows that hold records.
    const sampled = await verifySource({ cache, client: gateway, mode: 'sample', sampleWindows: 2, now: () => NOW, random: () => 0 });
    expect(sampled.windowsChecked).toBe(2);
    expect(sampled.recordsCompared).toBeGreaterThan(0);
    expect(sampled.recordsCompared).toBeLessThan(400);
  });

  it('does not report records past the retention horizon as vanished', async () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    const gateway = new FakeGateway(entries);
    await syncCache({ cache, client: gateway, now: () => NOW });
    const later = NOW + 175 * 86_400; // the horizon now falls inside the synced range
    gateway.entries = gateway.entries.filter((e) => e.event_time >= later - 180 * 86_400);
    const report = await verifySource({ cache, client: gateway, mode: 'full', now: () => later });
    expect(report.vanished).toEqual([]);
    expect(report.recordsCompared).toBe(gateway.entries.length);
  });
});
