import { describe, expect, it } from 'vitest';
import { createAutoLock } from '../../../main/core/app/auto-lock';

describe('auto-lock', () => {
  const setup = (idle = 15) => {
    let now = 1_000_000;
    let unlocked = true;
    const locks: string[] = [];
    const lock = createAutoLock(
      {
        now: () => now,
        isUnlocked: () => unlocked,
        lock: (reason) => {
          locks.push(reason);
          unlocked = false;
        },
        setInterval: () => ({ cancel: () => {} }),
      },
      idle,
    );
    return { lock, locks, advance: (s: number) => (now += s), unlock: () => (unlocked = true) };
  };

  it('locks after the idle period and not before', () => {
    const t = setup();
    t.advance(14 * 60 + 59);
    t.lock.check();
    expect(t.locks).toEqual([]);
    t.advance(1);
    t.lock.check();
    expect(t.locks).toEqual(['locked after 15 minutes without activity']);
  });

  it('activity postpones the lock; 0 minutes turns it off', () => {
    const t = setup();
    t.advance(10 * 60);
    t.lock.activity();
    t.advance(10 * 60);
    t.lock.check();
    expect(t.locks).toEqual([]);
    t.lock.configure(0);
    t.advance(10 * 3600);
    t.lock.check();
    expect(t.locks).toEqual([]);
  });
});
