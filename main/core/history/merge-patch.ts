import { isPlainObject } from './json';

/**
 * Applies a PATCH body to a resource's state with JSON Merge Patch rules (RFC 7396), which is how
 * API7/APISIX admin PATCH behaves: objects merge key by key, `null` removes a key, and anything
 * else (arrays included) replaces the old value whole. Neither input is modified.
 *
 * Keys are defined as own properties, so a body carrying `"__proto__"` stays data and cannot
 * change an object's prototype.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value);
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
