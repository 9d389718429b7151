import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers as JSON.stringify writes
 * them. The same entry always yields the same bytes, so its hash can be recomputed by anyone
 * (a verifier, a second machine, openssl over a file we export).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    // No prototype: assigning a "__proto__" key (which JSON.parse keeps as data) to a plain object
    // would set its prototype instead, dropping the key from the canonical text and its hash.
    const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(source).sort()) {
      const v = source[key];
      if (v !== undefined) sorted[key] = sortKeys(v);
    }
    return sorted;
  }
  return value;
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
