import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../main/core/cache/cache';
import { parseFilter } from '../../../main/core/query/filter-language';
import { createQueryService, type QueryService } from '../../../main/core/query/query-service';
import type { FilterModel } from '../../../preload/contract';
import { createTestCache, entry } from '../../helpers/temp-cache';

const T0 = 1_764_061_200; // 2025-11-25T09:00:00Z

const entries = [
  entry({ id: 'a1', event_time: T0, event_type: 'DeleteRoute', ip_address: '203.0.113.24', resource_id: 'r-1042', resource_name: 'payments-v2' }),
  entry({ id: 'a2', event_time: T0 + 60, event_type: 'DeleteService', ip_address: '203.0.113.99', http_response: { status_code: 403 }, error_message: 'permission denied' }),
  entry({
    id: 'a3',
    event_time: T0 + 120,
    event_type: 'Login',
    operator: { id: 'u-2', username: 'asmith', email: 'asmith@example.com' },
    ip_address: '198.51.100.7',
    source: 'api',
    token_name: 'ci-nightly',
    http_request: { method: 'POST', uri: '/api/login', body: { username: 'asmith', note: 'quarterly "payments" check' } },
  }),
  entry({ id: 'a4', event_time: T0 + 86_400, event_type: 'AddRoute', ip_address: '2001:db8::1', http_response: { status_code: 500 } }),
  entry({ id: 'a5', event_time: T0 + 2 * 86_400, event_type: 'UpdateSSL', resource_name: 'payments v2 cert', operator: { id: 'u-2', username: 'asmith', email: 'asmith@example.com' } }),
];

describe('the query service', () => {
  let test: ReturnType<typeof createTestCache>;
  let query: QueryService;
  const ids = (filter: FilterModel, direction: 'asc' | 'desc' = 'asc') =>
    query.page(filter, { column: 'event_time', direction }, 0, 100).map((r) => r.id);
  const text = (t: string) => {
    const parsed = parseFilter(t);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.filter;
  };

  beforeAll(() => {
    test = createTestCache(entries);
    query = createQueryService(openReader(test.dir, test.cache.key), { now: () => T0 + 2 * 86_400 + 10 });
  });
  afterAll(() => test.remove());

  it('pages in both directions and at any offset', () => {
    expect(ids({})).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(ids({}, 'desc')).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect(query.page({}, { column: 'event_time', direction: 'asc' }, 3, 10).map((r) => r.id)).toEqual(['a4', 'a5']);
  });

  it('filters by operator (username, id or email), event prefix and status class', () => {
    expect(ids(text('operator:asmith'))).toEqual(['a3', 'a5']);
    expect(ids(text('operator:u-2'))).toEqual(['a3', 'a5']);
    expect(ids(text('-operator:asmith@example.com'))).toEqual(['a1', 'a2', 'a4']);
    expect(ids(text('event:Delete*'))).toEqual(['a1', 'a2']);
    expect(ids(text('status:4xx,5xx'))).toEqual(['a2', 'a4']);
    expect(ids(text('has:error'))).toEqual(['a2', 'a4']);
    expect(ids(text('category:ssl'))).toEqual(['a5']);
  });

  it('matches IPv4 and IPv6 CIDR blocks and exact addresses', () => {
    expect(ids(text('ip:203.0.113.0/24'))).toEqual(['a1', 'a2', 'a5']);
    expect(ids(text('ip:203.0.113.99'))).toEqual(['a2']);
    expect(ids(text('ip:2001:db8::/32'))).toEqual(['a4']);
    expect(ids(text('-ip:203.0.113.0/24'))).toEqual(['a3', 'a4']);
  });

  it('searches full text across fields, treating FTS syntax as plain text', () => {
    expect(ids(text('"payments"'))).toEqual(['a1', 'a3', 'a5']);
    expect(ids(text('"permission denied"'))).toEqual(['a2']);
    expect(ids(text('quarterly'))).toEqual(['a3']);
    expect(ids(text('198.51.100.7'))).toEqual(['a3']);
    // FTS operators typed by a user must not change the query's meaning or raise an error.
    expect(ids({ text: ['payments OR login'] })).toEqual([]);
    expect(ids({ text: ['NEAR(a b)'] })).toEqual([]);
    expect(ids({ text: ['"unbalanced'] })).toEqual([]);
    expect(ids({ text: ['operator_username:asmith'] })).toEqual([]);
  });

  it('applies relative and absolute time ranges', () => {
    expect(ids(text('last:24h'))).toEqual(['a5']);
    expect(ids({ from: T0 + 60, to: T0 + 86_400 })).toEqual(['a2', 'a3', 'a4']);
  });

  it('keeps a window either side of a moment with around: (ends inclusive), on top of other bounds', () => {
    // T0 + 60 = 2025-11-25T09:01; one minute either side reaches a1 (T0) and a3 (T0 + 120) exactly.
    expect(ids(text('around:2025-11-25T09:01±1'))).toEqual(['a1', 'a2', 'a3']);
    expect(ids(text('around:2025-11-25T09:01:01+-1'))).toEqual(['a2', 'a3']);
    expect(ids(text('around:2025-11-25T09:01±0'))).toEqual(['a2']);
    expect(ids(text('around:2025-11-25T09:01±1 after:2025-11-25T09:01'))).toEqual(['a2', 'a3']);
    expect(ids(text('around:2025-11-25T09:01±1 resource:r-1042'))).toEqual(['a1']);
  });

  it('counts, and gives facets for the current filter', () => {
    expect(query.count({})).toBe(5);
    expect(query.count(text('operator:asmith'))).toBe(2);
    const facets = query.facets({}, 5);
    const operators = facets.find((f) => f.field === 'operator')!.values;
    expect(operators).toEqual([
      { value: 'jdoe', label: 'jdoe', count: 3 },
      { value: 'asmith', label: 'asmith', count: 2 },
    ]);
    const status = facets.find((f) => f.field === 'status_class')!.values.map((v) => [v.value, v.count]);
    expect(status).toEqual(expect.arrayContaining([['2xx', 3], ['4xx', 1], ['5xx', 1]]));
  });

  it('builds a histogram and an operator-by-hour heatmap', () => {
    const histogram = query.histogram({}, 60);
    expect(histogram.buckets.reduce((a, b) => a + b.count, 0)).toBe(5);
    // Two days in 60 buckets round up to hour-long buckets: records in the same hour share a bucket.
    expect(histogram.bucketSeconds).toBe(3600);
    expect(histogram.buckets.map((b) => b.count)).toEqual([3, 1, 1]);
    for (const bucket of histogram.buckets) expect(bucket.start % 3600).toBe(0);
    const heatmap = query.heatmap({}, 'UTC', 10);
    const jdoe = heatmap.operators.find((o) => o.operator === 'jdoe')!;
    expect(jdoe.hours[9]).toBe(3);
    const tokyo = query.heatmap({}, 'Asia/Tokyo', 10).operators.find((o) => o.operator === 'jdoe')!;
    expect(tokyo.hours[18]).toBe(3);
  });

  it('returns the stored record with its hash, or null', () => {
    const detail = query.record('a3')!;
    expect(detail.row.operator_username).toBe('asmith');
    expect(detail.row.event_name).toBe('Log In');
    expect((detail.entry.http_request as { body: { note: string } }).body.note).toContain('payments');
    expect(detail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(query.record('nope')).toBeNull();
  });

  it('keeps hostile values as data', () => {
    expect(ids({ operators: ["x' OR '1'='1"] })).toEqual([]);
    expect(ids({ resources: ['r-1042); DROP TABLE records; --'] })).toEqual([]);
    expect(query.count({})).toBe(5);
  });
});
