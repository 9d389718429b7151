import { makeEntry } from '../../unit/cache/fixtures';

export const KILL_NOW = 1_760_000_000 + 10 * 86_400;
export const TEST_KEY_SCRYPT = { N: 1024, r: 8, p: 1 };
export const KILL_ENTRY_COUNT = 2_500;

/** Same entries in every process: spread over 10 days, some sharing a second. */
export function deterministicEntries() {
  return Array.from({ length: KILL_ENTRY_COUNT }, (_, i) => makeEntry(i, { event_time: KILL_NOW - 10 * 86_400 + Math.floor((i * 7919) % (10 * 86_400 - 10)) }));
}
