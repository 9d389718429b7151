import { describe, expect, it } from 'vitest';
import { ScanCancelled, type RunningScan, type ScanThreadInput } from '../../../main/core/anomalies/scan-thread';
import type { ScanSummary } from '../../../main/core/anomalies/store';
import { createAnomalyScans } from '../../../main/core/app/anomaly-scans';
import type { Cache } from '../../../main/core/cache/cache';

/** A scan thread stand-in: each started scan waits until the test finishes or the scans cancel it. */
function fakeThreads() {
  const started: Array<{ input: ScanThreadInput; finish(): void; fail(): void; cancelled: boolean }> = [];
  const start = (input: ScanThreadInput): RunningScan => {
    let resolve: (s: ScanSummary) => void = () => undefined;
    let reject: (e: Error) => void = () => undefined;
    const done = new Promise<ScanSummary>((res, rej) => ((resolve = res), (reject = rej)));
    const entry = {
      input,
      cancelled: false,
      finish: () => resolve({ mode: input.full ? 'full' : 'snapshot', written: started.indexOf(entry), newHigh: [], findings: [], lastSeq: 0, seconds: 0 }),
      fail: () => reject(new Error('the anomaly scan thread stopped unexpectedly (exit code 1)')),
    };
    started.push(entry);
    return {
      done,
      cancel: () => {
        entry.cancelled = true;
        reject(new ScanCancelled());
      },
    };
  };
  return { started, start };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the app’s anomaly scans', () => {
  const key = Buffer.alloc(32, 7);
  let open: Cache | null = null;
  /** An open cache, fake scan threads, and the scans under test. */
  const setup = () => {
    open = { dir: '/caches/a', key } as Cache;
    const threads = fakeThreads();
    return { threads, scans: createAnomalyScans({ cache: () => open, now: () => 100, start: threads.start }) };
  };

  it('run one at a time, in the order asked, each with its own copy of the key', async () => {
    const { threads, scans } = setup();
    const first = scans.run(false);
    const second = scans.run(true);
    await tick();
    expect(threads.started).toHaveLength(1);
    threads.started[0]!.finish();
    await expect(first).resolves.toMatchObject({ mode: 'snapshot', written: 0 });
    await tick();
    expect(threads.started).toHaveLength(2);
    expect(threads.started[1]!.input).toMatchObject({ cacheDir: '/caches/a', now: 100, full: true });
    threads.started[1]!.finish();
    await expect(second).resolves.toMatchObject({ mode: 'full', written: 1 });
    const passed = threads.started[0]!.input.key;
    expect(Buffer.from(passed).equals(key)).toBe(true);
    // Not a view of the caller's buffer (nor of the pool around it).
    expect(passed.buffer).not.toBe(key.buffer);
    expect(passed.buffer.byteLength).toBe(32);
  });

  it('a failed scan does not stop the next one', async () => {
    const { threads, scans } = setup();
    const first = scans.run(false);
    const second = scans.run(false);
    await tick();
    threads.started[0]!.fail();
    await expect(first).rejects.toThrow(/stopped unexpectedly/);
    await tick();
    expect(threads.started).toHaveLength(2);
    threads.started[1]!.finish();
    await expect(second).resolves.toMatchObject({ written: 1 });
  });

  it('stop() cancels the running scan and the queued ones never start; asking while locked is refused', async () => {
    const { threads, scans } = setup();
    const running = scans.run(false);
    const queued = scans.run(false);
    await tick();
    const stopped = scans.stop();
    open = null;
    await expect(running).rejects.toBeInstanceOf(ScanCancelled);
    await expect(queued).rejects.toBeInstanceOf(ScanCancelled);
    await stopped;
    expect(threads.started).toHaveLength(1);
    expect(threads.started[0]!.cancelled).toBe(true);
    await expect(scans.run(false)).rejects.toMatchObject({ code: 'locked' });
  });

  it('a scan asked for before a lock does not start on the cache unlocked after it', async () => {
    const { threads, scans } = setup();
    const running = scans.run(false);
    const queued = scans.run(false);
    await tick();
    void scans.stop();
    open = { dir: '/caches/a', key } as Cache; // locked and unlocked again: a new connection
    await expect(running).rejects.toBeInstanceOf(ScanCancelled);
    await expect(queued).rejects.toBeInstanceOf(ScanCancelled);
    const after = scans.run(false);
    await tick();
    expect(threads.started).toHaveLength(2);
    threads.started[1]!.finish();
    await expect(after).resolves.toBeDefined();
  });
});
