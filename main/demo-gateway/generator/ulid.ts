import type { Rng } from './random';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));
const buffer: number[] = new Array(26);

/**
 * A ULID (26 chars: 48-bit millisecond time + 80 random bits, Crockford base32). Ids sort by time,
 * like the ids API7 hands out, and come from the seeded generator so histories are reproducible.
 */
export function ulid(timeMs: number, rng: Pick<Rng, 'int'>): string {
  let time = Math.max(0, Math.floor(timeMs));
  for (let i = 9; i >= 0; i--) {
    buffer[i] = CODES[time % 32] as number;
    time = Math.floor(time / 32);
  }
  for (let i = 10; i < 26; i++) buffer[i] = CODES[rng.int(32)] as number;
  // One flat string in one allocation (a chain of += would build 26 intermediate strings).
  return String.fromCharCode.apply(null, buffer);
}

/** A ULID from a non-seeded byte source. */
export function ulidFromBytes(timeMs: number, bytes: Uint8Array): string {
  let i = 0;
  return ulid(timeMs, { int: (n: number) => (bytes[i++ % bytes.length] as number) % n });
}

/**
 * Monotonic ULIDs for the gateway's own entries: two calls in the same millisecond (or with a
 * clock that stands still in tests) still sort in the order they happened.
 */
export function createMonotonicUlid(randomByte: () => number): (timeMs: number) => string {
  let lastMs = -1;
  const tail: number[] = new Array(16).fill(0);
  return (timeMs) => {
    const ms = Math.max(Math.floor(timeMs), lastMs);
    if (ms === lastMs) {
      // Same instant: add one to the 80-bit random part.
      for (let i = 15; i >= 0; i--) {
        tail[i] = ((tail[i] as number) + 1) % 32;
        if (tail[i] !== 0) break;
      }
    } else {
      for (let i = 0; i < 16; i++) tail[i] = randomByte() % 32;
      tail[0] = (tail[0] as number) % 16; // headroom so increments cannot overflow the string
      lastMs = ms;
    }
    let k = 0;
    return ulid(ms, { int: () => tail[k++] as number });
  };
}
