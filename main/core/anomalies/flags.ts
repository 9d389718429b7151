import { hasFlag } from '../catalog/catalog';

/**
 * Catalog flags of an event type as a bitmask, memoised per key: rules test flags on every event
 * and a bit test is far cheaper than scanning the catalog's flag array each time.
 */
export const DESTRUCTIVE = 1;
export const PRIVILEGE = 2;
export const SENSITIVE = 4;
export const AUDIT_CONFIG = 8;

const memo = new Map<string, number>();

export function flagsOf(eventType: string): number {
  let bits = memo.get(eventType);
  if (bits === undefined) {
    bits =
      (hasFlag(eventType, 'destructive') ? DESTRUCTIVE : 0) |
      (hasFlag(eventType, 'privilege') ? PRIVILEGE : 0) |
      (hasFlag(eventType, 'sensitive') ? SENSITIVE : 0) |
      (hasFlag(eventType, 'audit_config') ? AUDIT_CONFIG : 0);
    // Gateways send a bounded set of keys; the cap only guards against garbage input.
    if (memo.size < 10_000) memo.set(eventType, bits);
  }
  return bits;
}
