import type { AnomalyEvent } from './event';

/**
 * A time-ordered sliding window of events with O(1) amortised push and expiry. Entries are numbered
 * by absolute position ("abs": how many entries were ever pushed before it), so a group can record
 * how far into the window it has already taken records and never add one twice.
 */
export interface EventWindow {
  events: AnomalyEvent[];
  epochs: number[];
  flags: number[];
  head: number;
  /** Entries removed from the front so far. */
  dropped: number;
}

export function newWindow(): EventWindow {
  return { events: [], epochs: [], flags: [], head: 0, dropped: 0 };
}

export function windowPush(w: EventWindow, event: AnomalyEvent, epoch: number, flags: number): void {
  w.events.push(event);
  w.epochs.push(epoch);
  w.flags.push(flags);
}

/** Drops entries older than `minTime`; calls `onDrop` for each, oldest first. */
export function windowExpire(w: EventWindow, minTime: number, onDrop?: (event: AnomalyEvent) => void): void {
  while (w.head < w.events.length && w.events[w.head]!.event_time < minTime) {
    onDrop?.(w.events[w.head]!);
    w.head++;
    w.dropped++;
  }
  if (w.head > 256 && w.head * 2 > w.events.length) {
    w.events.splice(0, w.head);
    w.epochs.splice(0, w.head);
    w.flags.splice(0, w.head);
    w.head = 0;
  }
}

export function windowSize(w: EventWindow): number {
  return w.events.length - w.head;
}

export function windowOldest(w: EventWindow): AnomalyEvent | undefined {
  return w.events[w.head];
}

/** Absolute index of the oldest live entry (= of the next entry pushed when the window is empty). */
export function windowFirstAbs(w: EventWindow): number {
  return w.dropped;
}

/** Absolute index of the newest entry, or dropped-1 when empty. */
export function windowLastAbs(w: EventWindow): number {
  return w.dropped + windowSize(w) - 1;
}

/** Visits the live entries whose absolute index is greater than `afterAbs`. */
export function windowForEachAfter(
  w: EventWindow,
  afterAbs: number,
  visit: (event: AnomalyEvent, epoch: number, flags: number, abs: number) => void,
): void {
  const start = Math.max(w.head, w.head + (afterAbs + 1 - w.dropped));
  for (let i = start; i < w.events.length; i++) {
    visit(w.events[i]!, w.epochs[i]!, w.flags[i]!, w.dropped + (i - w.head));
  }
}
