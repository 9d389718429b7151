/**
 * Locks the cache after a period without user activity (default 15 minutes): connections close and
 * the key leaves memory; the UI shows the unlock screen and keeps the user's place (filters and
 * selection live in the renderer). Activity is reported by the renderer (input events, throttled)
 * and by contract calls the user causes.
 */
export interface AutoLockDeps {
  now(): number;
  isUnlocked(): boolean;
  lock(reason: string): void;
  setInterval(callback: () => void, ms: number): { cancel(): void };
}

export function createAutoLock(deps: AutoLockDeps, idleMinutes = 15) {
  let lastActivity = deps.now();
  let minutes = idleMinutes;
  const check = () => {
    if (minutes > 0 && deps.isUnlocked() && deps.now() - lastActivity >= minutes * 60) {
      deps.lock(`locked after ${minutes} minutes without activity`);
    }
  };
  const timer = deps.setInterval(check, 30_000);
  return {
    activity() {
      lastActivity = deps.now();
    },
    configure(next: number) {
      minutes = Math.max(0, next);
      return minutes;
    },
    idleMinutes: () => minutes,
    check,
    stop: () => timer.cancel(),
  };
}
