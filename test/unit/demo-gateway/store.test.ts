import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../main/core/records/entry';
import { AuditStore } from '../../../main/demo-gateway/store';

function entry(id: string, t: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id, event_time: t, operator: { id: `op-${t % 3}`, username: '', email: '', first_name: '', last_name: '' }, source: 'dashboard', token_name: '',
    event_type: t % 2 === 0 ? 'UpdateRoute' : 'DeleteRoute', resource_id: `r-${t % 5}`, resource_name: '', gateway_group_id: '', ip_address: '',
    error_message: '', http_request: { method: 'PUT', uri: '/', user_agent: '' }, http_response: { status_code: 200 }, ...extra,
  };
}

const entries = Array.from({ length: 100 }, (_, i) => entry(`id-${String(i).padStart(3, '0')}`, 1000 + Math.floor(i / 2)));

describe('AuditStore', () => {
  const store = new AuditStore([...entries].reverse());

  it('sorts by time then id and windows inclusively', () => {
    expect(store.all().map((e) => e.id)).toEqual(entries.map((e) => e.id));
    const page = store.query({ start_at: 1010, end_at: 1012, direction: 'asc', page_size: 100 });
    expect(page.total).toBe(6);
    expect(page.list.map((e) => e.event_time)).toEqual([1010, 1010, 1011, 1011, 1012, 1012]);
    expect(store.query({ start_at: 2000 }).total).toBe(0);
    expect(store.query({ end_at: 999 }).total).toBe(0);
    expect(store.query({ start_at: 1020, end_at: 1010 }).total).toBe(0);
  });

  it('pages desc by default and asc on request', () => {
    expect(store.query({ page_size: 3 }).list.map((e) => e.id)).toEqual(['id-099', 'id-098', 'id-097']);
    expect(store.query({ page: 2, page_size: 3, direction: 'asc' }).list.map((e) => e.id)).toEqual(['id-003', 'id-004', 'id-005']);
    expect(store.query({ page: 50, page_size: 3 }).list).toEqual([]);
  });

  it('filters by event_type, operator_id and resource_id with exact totals', () => {
    const matches = entries.filter((e) => e.event_type === 'DeleteRoute' && e.operator.id === 'op-1');
    const page = store.query({ event_type: 'DeleteRoute', operator_id: 'op-1', direction: 'asc', page_size: 4, page: 2 });
    expect(page.total).toBe(matches.length);
    expect(page.list.map((e) => e.id)).toEqual(matches.slice(4, 8).map((e) => e.id));
    expect(store.count({ resource_id: 'r-0', start_at: 1000, end_at: 1020 })).toBe(entries.filter((e) => e.resource_id === 'r-0' && e.event_time <= 1020).length);
  });

  it('appends in order, also for entries older than the newest, and drops cached selections', () => {
    const s = new AuditStore(entries.slice(0, 10), true);
    expect(s.count({ event_type: 'UpdateRoute' })).toBe(6);
    s.append(entry('zzz', 5000));
    s.append(entry('aaa', 1002));
    expect(s.all().map((e) => e.id).slice(3, 7)).toEqual(['id-003', 'aaa', 'id-004', 'id-005']);
    expect(s.lastEventTime).toBe(5000);
    expect(s.count({ event_type: 'UpdateRoute' })).toBe(8);
  });

  it('scans a fixed selection in chunks', () => {
    const chunks = [...store.scan({ start_at: 1000, end_at: 1049 }, 'asc', 30)];
    expect(chunks.map((c) => c.length)).toEqual([30, 30, 30, 10]);
    expect(chunks.flat().map((e) => e.id)).toEqual(entries.map((e) => e.id));
    const s = new AuditStore(entries.slice(0, 5), true);
    const scan = s.scan({}, 'desc');
    s.append(entry('later', 9999));
    expect([...scan].flat().map((e) => e.id)).toEqual(['id-004', 'id-003', 'id-002', 'id-001', 'id-000']);
  });
});
