import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, type Cache } from '../../../main/core/cache/index';
import { parseAuditEntry, type AuditEntry } from '../../../main/core/records/entry';

/** Cheap scrypt so tests that create many caches stay fast. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_PASSPHRASE = 'correct horse battery staple';
export const TEST_OWNER = { gatewayUrl: 'http://gateway.test:9000', userId: 'u-auditor', username: 'auditor' };

export function tempDir(prefix = 'ar-cache-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function createTestCache(dir: string): Cache {
  return openCache(dir, { passphrase: TEST_PASSPHRASE, create: TEST_OWNER, scrypt: TEST_SCRYPT });
}

/** A validated entry, deterministic in `i`. */
export function makeEntry(i: number, overrides: Record<string, unknown> = {}): AuditEntry {
  const raw = {
    id: `E${String(i).padStart(8, '0')}`,
    event_time: 1_760_000_000 + i * 60,
    operator: { id: `u-${i % 5}`, username: `operator${i % 5}`, email: `operator${i % 5}@example.com`, first_name: 'Jane', last_name: 'Doe' },
    source: i % 3 === 0 ? 'api' : 'dashboard',
    token_name: i % 3 === 0 ? 'ci-token' : '',
    event_type: i % 7 === 0 ? 'DeleteRoute' : 'UpdateRoute',
    resource_id: `r-${i % 11}`,
    resource_name: `route-${i % 11}`,
    gateway_group_id: 'default',
    ip_address: `203.0.113.${i % 250}`,
    error_message: i % 13 === 0 ? 'permission denied' : '',
    http_request: { method: 'PUT', uri: `/api/gateway_groups/default/routes/r-${i % 11}`, body: { name: `route-${i % 11}`, paths: ['/pay/*'] }, user_agent: 'Mozilla/5.0' },
    http_response: { status_code: i % 13 === 0 ? 403 : 200, body: {} },
    ...overrides,
  };
  const parsed = parseAuditEntry(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.entry;
}

export function makeEntries(from: number, count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, k) => makeEntry(from + k));
}
