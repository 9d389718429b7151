/**
 * The scan is synchronous (callers hold a connection and expect findings back), so the scanning
 * thread cannot wait for reader threads on the event loop. It blocks with Atomics.wait on a
 * small shared array instead and takes messages with receiveMessageOnPort. The same array bounds
 * how far each reader may run ahead, so memory stays flat however fast the readers are.
 *
 * Layout (Int32): [0] chunks posted by any reader, [1] abort flag, [2] readers, then per reader r
 * the chunks of r the scanning thread has taken ([3 + r]) and whether r has started ([3 + R + r]).
 */
const POSTED = 0;
const ABORT = 1;
const READERS = 2;
const TAKEN = 3;

export function createReaderSignals(readers: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer((TAKEN + 2 * readers) * Int32Array.BYTES_PER_ELEMENT);
  new Int32Array(buffer)[READERS] = readers;
  return buffer;
}

/** Reader: its code runs (a thread whose module failed to load never gets here). */
export function markStarted(signals: Int32Array, reader: number): void {
  Atomics.store(signals, TAKEN + signals[READERS]! + reader, 1);
}

export function hasStarted(signals: Int32Array, reader: number): boolean {
  return Atomics.load(signals, TAKEN + signals[READERS]! + reader) === 1;
}

/** Reader: after posting a chunk, wakes the scanning thread. */
export function announcePosted(signals: Int32Array): void {
  Atomics.add(signals, POSTED, 1);
  Atomics.notify(signals, POSTED);
}

/** Scanning thread: the counter to pass to waitForPosted, read before looking for a message. */
export function postedCount(signals: Int32Array): number {
  return Atomics.load(signals, POSTED);
}

/** Scanning thread: sleeps until some reader posts after `seen` was read, or `timeoutMs` passed. */
export function waitForPosted(signals: Int32Array, seen: number, timeoutMs: number): void {
  Atomics.wait(signals, POSTED, seen, timeoutMs);
}

/** Scanning thread: reader `reader` may post one more chunk. */
export function releaseCredit(signals: Int32Array, reader: number): void {
  Atomics.add(signals, TAKEN + reader, 1);
  Atomics.notify(signals, TAKEN + reader);
}

/** Scanning thread: tells every reader to stop (and wakes those waiting for credit). */
export function abortReaders(signals: Int32Array, readers: number): void {
  Atomics.store(signals, ABORT, 1);
  for (let r = 0; r < readers; r++) releaseCredit(signals, r);
}

/**
 * Reader: blocks until fewer than `ahead` of its `posted` chunks are still untaken.
 * False when the scan was aborted.
 */
export function waitForCredit(signals: Int32Array, reader: number, posted: number, ahead: number): boolean {
  for (;;) {
    if (Atomics.load(signals, ABORT) === 1) return false;
    const taken = Atomics.load(signals, TAKEN + reader);
    if (posted - taken < ahead) return true;
    Atomics.wait(signals, TAKEN + reader, taken);
  }
}
