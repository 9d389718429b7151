import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers as JSON.stringify writes
 * them. The same entry always yields the same bytes, so its hash can be recomputed by anyone
 * (a verifier, a second machine, openssl over a file we export).
 */
export function canonicalJson(value: unknown, known?: ReadonlyMap<object, string>): string {
  // Written directly rather than as JSON.stringify(copy with sorted keys): the same bytes without
  // building a second object tree, which made this the costliest step of storing a record.
  // `known` supplies texts already computed for sub-objects (a record's bodies are written twice).
  return writeValue(value, known) as string;
}

function writeValue(value: unknown, known: ReadonlyMap<object, string> | undefined): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
      // JSON.stringify's own escaping (lone surrogates as \udXXX) and number format (NaN → null).
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonical JSON cannot hold a BigInt');
    case 'object': {
      if (value === null) return 'null';
      const cached = known?.get(value);
      if (cached !== undefined) return cached;
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) text += ',';
          text += writeValue(value[i], known) ?? 'null';
        }
        return text + ']';
      }
      const source = value as Record<string, unknown>;
      // An own "__proto__" key (JSON.parse keeps it as data) is read as the data it is, so it stays
      // in the text and its hash.
      const keys = canonicalKeyOrder(Object.keys(source));
      let text = '{';
      let first = true;
      for (const key of keys) {
        const inner = writeValue(source[key], known);
        if (inner === undefined) continue;
        text += (first ? '' : ',') + JSON.stringify(key) + ':' + inner;
        first = false;
      }
      return text + '}';
    }
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify).
      return undefined;
  }
}

/**
 * Keys in code-unit order, except that array-index keys ("0", "17"…) come first in numeric order.
 * That is the order the original definition — JSON.stringify of an object built with sorted keys —
 * produced (JavaScript lists integer-like property names first), and every stored hash and signed
 * package depends on it, so the direct writer keeps it.
 */
function canonicalKeyOrder(keys: string[]): string[] {
  keys.sort();
  let indexKeys: string[] | null = null;
  for (const key of keys) if (isArrayIndex(key)) (indexKeys ??= []).push(key);
  if (!indexKeys) return keys;
  indexKeys.sort((a, b) => Number(a) - Number(b));
  return [...indexKeys, ...keys.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false;
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of one link of the cache's chain: sha256(prev_hash ‖ sha256(canonical record)). */
export function chainHash(prevHash: string, recordSha256: string): string {
  return sha256Hex(prevHash + recordSha256);
}

/** The chain starts from this value so an empty cache has a well-defined head. */
export const CHAIN_GENESIS = '0'.repeat(64);
