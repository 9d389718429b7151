import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, type Cache } from '../../main/core/cache/cache';
import { insertEntries } from '../../main/core/cache/insert';
import { parseAuditEntry, type AuditEntry } from '../../main/core/records/entry';

/** Cheap scrypt for tests only: the real parameters take ~100 ms per unlock on purpose. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export function makeTempDir(prefix = 'audit-review-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function createTestCache(entries: AuditEntry[] = [], passphrase = 'test passphrase'): { cache: Cache; dir: string; remove(): void } {
  const temp = makeTempDir();
  const cache = openCache(join(temp.dir, 'cache'), {
    passphrase,
    create: { gatewayUrl: 'http://gateway.test', userId: 'u-auditor', username: 'auditor' },
    scrypt: TEST_SCRYPT,
  });
  if (entries.length > 0) insertEntries(cache, entries, null, { now: 1_764_000_000 });
  return {
    cache,
    dir: join(temp.dir, 'cache'),
    remove: () => {
      cache.close();
      temp.remove();
    },
  };
}

/** Builds a valid entry from a partial one (what tests care about), filling the rest plausibly. */
export function entry(partial: Record<string, unknown> & { id: string }): AuditEntry {
  const operator = (partial.operator as Record<string, unknown> | undefined) ?? { id: 'u-1', username: 'jdoe', email: 'jdoe@example.com' };
  const parsed = parseAuditEntry({
    event_time: 1_764_061_200,
    source: 'dashboard',
    token_name: '',
    event_type: 'UpdateRoute',
    resource_id: 'r-1',
    resource_name: 'route-1',
    gateway_group_id: 'default',
    ip_address: '203.0.113.24',
    error_message: '',
    http_request: { method: 'PUT', uri: '/api/gateway_groups/default/routes/r-1', body: { name: 'route-1' }, user_agent: 'Mozilla/5.0' },
    http_response: { status_code: 200, body: {} },
    ...partial,
    operator,
  });
  if (!parsed.ok) throw new Error(`bad test entry: ${parsed.error}`);
  return parsed.entry;
}
