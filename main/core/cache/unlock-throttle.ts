import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CacheError } from './errors';
import { unlockWithPassphrase } from './keys';

/**
 * A growing pause after wrong passphrases: 0 s for the first try, then 1, 2, 4, 8 … capped at 60 s.
 * The count lives in a small file next to keys.json so restarting the app does not reset it. It
 * holds only a count and a time — nothing about the key. It is a brake on guessing at the keyboard;
 * scrypt is what protects a copied keys.json.
 */
export const THROTTLE_FILE = 'unlock-attempts.json';
export const MAX_UNLOCK_DELAY_SECONDS = 60;

interface ThrottleState {
  failures: number;
  /** Unix seconds of the last wrong passphrase. */
  lastFailureAt: number;
}

/** The pause that must follow `failures` wrong passphrases in a row. */
export function unlockDelaySeconds(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_UNLOCK_DELAY_SECONDS, 2 ** (failures - 1));
}

/** Seconds still to wait before the next try is allowed (0 = go ahead). */
export function unlockWaitSeconds(dir: string, now: number): number {
  const state = readState(dir);
  if (!state) return 0;
  return Math.max(0, state.lastFailureAt + unlockDelaySeconds(state.failures) - now);
}

/** Refused because the previous wrong passphrase was too recent; `retryAfterSeconds` says how long. */
export class UnlockThrottledError extends CacheError {
  constructor(readonly retryAfterSeconds: number) {
    super('wrong_passphrase', `too many wrong passphrases; wait ${retryAfterSeconds} s before trying again`);
    this.name = 'UnlockThrottledError';
  }
}

export interface ThrottledUnlockOptions {
  /** Unix seconds. */
  now: () => number;
  /** Waits that long; when absent, a try during the pause is refused with UnlockThrottledError. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * unlockWithPassphrase behind the throttle. During a pause it either waits (when given `sleep`)
 * or refuses. A wrong passphrase counts one more failure and says how long the next pause is; a
 * right one clears the count. Messages never say anything about the key.
 */
export async function throttledUnlock(dir: string, passphrase: string, options: ThrottledUnlockOptions): Promise<Buffer> {
  const wait = unlockWaitSeconds(dir, options.now());
  if (wait > 0) {
    if (!options.sleep) throw new UnlockThrottledError(wait);
    await options.sleep(wait * 1000);
  }
  try {
    const key = unlockWithPassphrase(dir, passphrase);
    clearState(dir);
    return key;
  } catch (error) {
    if (!(error instanceof CacheError) || error.kind !== 'wrong_passphrase') throw error;
    const failures = (readState(dir)?.failures ?? 0) + 1;
    writeState(dir, { failures, lastFailureAt: options.now() });
    throw new CacheError('wrong_passphrase', `wrong passphrase for this cache; the next try is possible in ${unlockDelaySeconds(failures)} s`);
  }
}

function statePath(dir: string): string {
  return join(dir, THROTTLE_FILE);
}

function readState(dir: string): ThrottleState | null {
  const path = statePath(dir);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ThrottleState>;
    if (Number.isInteger(parsed.failures) && typeof parsed.lastFailureAt === 'number') return { failures: parsed.failures!, lastFailureAt: parsed.lastFailureAt };
  } catch {
    // unreadable: fall through
  }
  // Breaking the file must not lift the pause: count it as the longest one, from its last write.
  return { failures: 7, lastFailureAt: Math.floor(statSync(path).mtimeMs / 1000) };
}

function writeState(dir: string, state: ThrottleState): void {
  const path = statePath(dir);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

function clearState(dir: string): void {
  rmSync(statePath(dir), { force: true });
}
