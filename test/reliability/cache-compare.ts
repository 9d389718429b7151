import { expect } from 'vitest';
import { readSyncCursor, verifyChain, type Cache } from '../../main/core/cache/index';
import { entryToRow } from '../../main/core/cache/record-row';
import type { AuditEntry } from '../../main/core/records/entry';

type Stored = { id: string; sha256: string };

function storedRows(cache: Pick<Cache, 'db'>): Stored[] {
  return cache.db.prepare('SELECT id, sha256 FROM records ORDER BY seq').all() as Stored[];
}

/**
 * What "the cache equals the gateway for the committed windows" means: every gateway record up to
 * the cursor is stored with the hash the gateway's bytes give; every stored record is a gateway
 * record with that same hash (a half-synced window may hold more than the cursor says, never
 * anything else); no id twice; the hash chain intact. With `exact`, nothing beyond `until` either.
 */
export function expectCacheMatchesGateway(cache: Pick<Cache, 'db'>, gatewayEntries: readonly AuditEntry[], options: { until?: number | null; exact?: boolean } = {}): void {
  const until = options.until === undefined ? readSyncCursor(cache.db).syncedUntil : options.until;
  const rows = storedRows(cache);
  const stored = new Map(rows.map((r) => [r.id, r.sha256]));
  expect(stored.size, 'no duplicate ids').toBe(rows.length);
  const byId = new Map(gatewayEntries.map((e) => [e.id, e]));
  const committed = until === null ? [] : gatewayEntries.filter((e) => e.event_time <= until);
  for (const e of committed) expect(stored.get(e.id), `gateway record ${e.id} missing or altered`).toBe(entryToRow(e).sha256);
  for (const [id, sha] of stored) {
    const source = byId.get(id);
    expect(source, `cache holds ${id}, which the gateway never served`).toBeDefined();
    expect(sha, `cache record ${id} differs from the gateway's`).toBe(entryToRow(source!).sha256);
  }
  if (options.exact) expect(stored.size).toBe(committed.length);
  expect(verifyChain(cache.db).firstBroken).toBeUndefined();
}
