import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../main/core/app/event-bus';
import { createLiveWatch, type LiveWatchDeps } from '../../../main/core/app/live-watch';

/** A fake clock whose timers fire only when the test advances it. */
function fakeTimers() {
  let now = 1_000_000;
  const timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  return {
    now: () => Math.floor(now / 1000),
    setTimer(callback: () => void, ms: number) {
      const timer = { at: now + ms, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
    pending: () => timers.filter((t) => !t.cancelled && t.at > now - 1).map((t) => (t.at - now) / 60_000),
    async advanceMinutes(minutes: number) {
      now += minutes * 60_000;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.callback();
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

function setup(outcomes: { ok: boolean; unreachable: boolean; message: string | null }[], canSync = () => true) {
  const clock = fakeTimers();
  const bus = createEventBus();
  const notices: string[] = [];
  bus.subscribe((name, payload) => name === 'notice' && notices.push((payload as { message: string }).message));
  let runs = 0;
  const deps: LiveWatchDeps = {
    bus,
    canSync,
    isSyncing: () => false,
    runSync: async () => outcomes[runs++] ?? { ok: true, unreachable: false, message: null },
    now: clock.now,
    setTimer: clock.setTimer,
  };
  const watch = createLiveWatch(deps, { enabled: true, intervalMinutes: 5 });
  return { watch, clock, notices, runs: () => runs };
}

describe('live watch', () => {
  it('syncs every interval while it can', async () => {
    const { watch, clock, runs } = setup([]);
    watch.sessionChanged();
    expect(clock.pending()).toEqual([5]);
    await clock.advanceMinutes(5);
    expect(runs()).toBe(1);
    await clock.advanceMinutes(5);
    expect(runs()).toBe(2);
    expect(watch.status().backoffMinutes).toBeNull();
  });

  it('backs off (doubling, capped) while the gateway is unreachable and says so, then recovers', async () => {
    const down = { ok: false, unreachable: true, message: 'connection refused' };
    const { watch, clock, notices, runs } = setup([down, down, down]);
    watch.sessionChanged();
    await clock.advanceMinutes(5);
    expect(watch.status().backoffMinutes).toBe(10);
    expect(notices.at(-1)).toContain('retrying in 10 min');
    await clock.advanceMinutes(10);
    expect(watch.status().backoffMinutes).toBe(20);
    await clock.advanceMinutes(20);
    expect(watch.status().backoffMinutes).toBe(40);
    await clock.advanceMinutes(40);
    expect(runs()).toBe(4);
    expect(watch.status().backoffMinutes).toBeNull();
    expect(clock.pending()).toEqual([5]);
  });

  it('stops when the session can no longer sync, and when disabled', async () => {
    let can = true;
    const { watch, clock, runs } = setup([], () => can);
    watch.sessionChanged();
    can = false;
    watch.sessionChanged();
    await clock.advanceMinutes(30);
    expect(runs()).toBe(0);
    can = true;
    watch.configure({ enabled: false });
    await clock.advanceMinutes(30);
    expect(runs()).toBe(0);
    expect(watch.configure({ enabled: true, intervalMinutes: 2 }).nextRunAt).not.toBeNull();
    await clock.advanceMinutes(2);
    expect(runs()).toBe(1);
  });
});
