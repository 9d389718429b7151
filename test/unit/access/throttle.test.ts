import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { THROTTLE_FILE, UnlockThrottledError, throttledUnlock, unlockDelaySeconds, unlockWaitSeconds } from '../../../main/core/cache/unlock-throttle';
import { createTestCache, tempDir, TEST_PASSPHRASE } from '../cache/fixtures';

describe('unlock throttle', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  const setup = () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    createTestCache(t.dir).close();
    return t.dir;
  };

  it('grows 0, 1, 2, 4, 8 … and caps at 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map(unlockDelaySeconds)).toEqual([0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('waits longer after each wrong passphrase, says how long, and resets on success', async () => {
    const dir = setup();
    let now = 1_000;
    const slept: number[] = [];
    const options = { now: () => now, sleep: async (ms: number) => void slept.push(ms) };
    const failures: string[] = [];
    for (let i = 0; i < 4; i++) {
      await throttledUnlock(dir, 'wrong', options).catch((e: Error) => failures.push(e.message));
    }
    expect(failures[0]).toBe('wrong passphrase for this cache; the next try is possible in 1 s');
    expect(failures[3]).toMatch(/next try is possible in 8 s/);
    expect(slept).toEqual([1_000, 2_000, 4_000]); // the first try had no pause
    // Nothing about the key in the file or the messages.
    const stored = readFileSync(join(dir, THROTTLE_FILE), 'utf8');
    expect(Object.keys(JSON.parse(stored)).sort()).toEqual(['failures', 'lastFailureAt']);

    // Without sleep, a try during the pause is refused with the wait left.
    now += 3;
    const refused = await throttledUnlock(dir, TEST_PASSPHRASE, { now: () => now }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnlockThrottledError);
    expect((refused as UnlockThrottledError).retryAfterSeconds).toBe(5);
    expect((refused as Error).message).toBe('too many wrong passphrases; wait 5 s before trying again');

    now += 5;
    const key = await throttledUnlock(dir, TEST_PASSPHRASE, { now: () => now });
    expect(key).toHaveLength(32);
    expect(existsSync(join(dir, THROTTLE_FILE))).toBe(false);
    expect(unlockWaitSeconds(dir, now)).toBe(0);
  });

  it('a damaged counter file still pauses (from its last write) instead of lifting the pause', () => {
    const dir = setup();
    writeFileSync(join(dir, THROTTLE_FILE), 'garbage');
    expect(unlockWaitSeconds(dir, Math.floor(Date.now() / 1000))).toBeGreaterThan(50);
  });
});
