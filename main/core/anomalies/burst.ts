import type { AnomalyEvent } from './event';
import { addToGroup, openGroup, type Group } from './group';
import { newWindow, windowFirstAbs, windowForEachAfter, windowOldest, windowSize, type EventWindow } from './window';

/**
 * "≥ N of something within W" rules share this shape: a sliding window per key, and one finding
 * per run of qualifying windows that overlap. Each qualifying window's records join the open
 * group; once the window has moved past every record of the group, the group cannot grow and is
 * closed.
 */
export interface BurstKey<D> {
  window: EventWindow;
  group: Group<D> | undefined;
}

export function newBurstKey<D>(): BurstKey<D> {
  return { window: newWindow(), group: undefined };
}

/** Closes the key's group if the (already expired) window no longer holds any of its records. */
export function closeIfStale<D>(k: BurstKey<D>, close: (g: Group<D>) => void): void {
  if (k.group !== undefined && k.group.lastAbs < windowFirstAbs(k.window)) {
    close(k.group);
    k.group = undefined;
  }
}

/** Adds the window's records not yet in the key's group, opening the group first if needed. */
export function takeWindow<D>(
  k: BurstKey<D>,
  key: string,
  data: () => D,
  onAdd?: (g: Group<D>, event: AnomalyEvent) => void,
): Group<D> {
  if (k.group === undefined) k.group = openGroup(key, windowOldest(k.window)!, data());
  const group = k.group;
  windowForEachAfter(k.window, group.lastAbs, (event, epoch, flags, abs) => {
    addToGroup(group, event, epoch, flags);
    onAdd?.(group, event);
    group.lastAbs = abs;
  });
  return group;
}

/** True when the key holds nothing worth keeping. */
export function isIdle<D>(k: BurstKey<D>): boolean {
  return k.group === undefined && windowSize(k.window) === 0;
}
