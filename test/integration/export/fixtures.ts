import type { AuditEntry } from '../../../main/core/records/entry';
import type { PackageMeta } from '../../../main/core/export/package-writer';

/** Deterministic sample entries covering the awkward cases (formula-like cells, commas, quotes, newlines, extras). */
export function sampleEntries(count: number): AuditEntry[] {
  const tricky = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tTAB', '\rCR', "'quoted", 'comma, here', 'line\nbreak', 'quote "inside"', 'ünïcødé ✓'];
  const out: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    const t = tricky[i % tricky.length];
    const entry: AuditEntry = {
      id: `rec-${String(i).padStart(6, '0')}`,
      event_time: 1764061200 + i * 37,
      operator: { id: `u-${i % 5}`, username: i % 7 === 0 ? t : `user${i % 5}`, email: `user${i % 5}@example.com`, first_name: 'Jane', last_name: 'Doe' },
      source: i % 3 === 0 ? 'api' : 'dashboard',
      token_name: i % 3 === 0 ? 'ci-token' : '',
      event_type: ['UpdateRoute', 'DeleteService', 'CreateUser', 'Login'][i % 4],
      resource_id: `r-${i}`,
      resource_name: i % 2 === 0 ? t : `name-${i}`,
      gateway_group_id: 'default',
      ip_address: i % 4 === 0 ? '2001:db8:85a3:1234::7334' : `203.0.113.${i % 250}`,
      error_message: i % 9 === 0 ? 'boom' : '',
      http_request: { method: 'PUT', uri: `/api/routes/r-${i}`, body: i % 5 === 0 ? undefined : { name: t, n: i, nested: { a: [1, 2, { z: null }] } }, user_agent: 'Mozilla/5.0' },
      http_response: { status_code: i % 9 === 0 ? 500 : 200, body: i % 6 === 0 ? -5 : {} },
    };
    if (i % 5 === 0) delete (entry.http_request as Record<string, unknown>).body;
    if (i % 8 === 0) (entry as Record<string, unknown>).extra_field = { from: 'gateway', v: i };
    if (i % 10 === 0) (entry.operator as Record<string, unknown>).role = 'admin';
    out.push(entry);
  }
  return out;
}

export const sampleMeta: PackageMeta = {
  exporter: { user_id: 'u-auditor', username: 'auditor', gateway_url: 'https://gw.example.com' },
  app_version: '0.1.0',
  filter: { text: 'event_type:UpdateRoute', model: { event_type: ['UpdateRoute'] } },
  time_range: { from: '2025-11-25T00:00:00Z', to: '2025-11-26T00:00:00Z' },
};
