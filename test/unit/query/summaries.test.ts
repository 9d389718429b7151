import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../../main/core/cache/cache';
import { insertEntries } from '../../../main/core/cache/insert';
import { purgeOlderThan } from '../../../main/core/cache/purge';
import { rebuildSummaries } from '../../../main/core/cache/summaries';
import { createQueryService, type QueryService } from '../../../main/core/query/query-service';
import { summaryScope } from '../../../main/core/query/summary-scope';
import { generateHistory } from '../../../main/demo-gateway/generator/index';
import type { FilterModel } from '../../../preload/contract';
import { createTestCache } from '../../helpers/temp-cache';

const NOW = 1_764_072_000; // 2025-11-25T12:00:00Z
const { entries } = generateHistory({ seed: 7, days: 40, operators: 12, events: 4000, now: NOW });
const operator = entries[10]!.operator;
const anotherOperator = entries.find((e) => e.operator.username !== operator.username)!.operator;

/** Filters the summaries answer (time, operators, event types, categories) and one they must not. */
const filters: Array<[string, FilterModel]> = [
  ['everything', {}],
  ['last 24 h', { relative: '24h' }],
  ['last 7 d', { relative: '7d' }],
  ['unaligned from/to', { from: NOW - 20 * 86_400 + 1234, to: NOW - 3 * 86_400 - 777 }],
  ['only to', { to: NOW - 10 * 86_400 + 59 }],
  ['within one hour', { from: NOW - 5 * 86_400 + 600, to: NOW - 5 * 86_400 + 1800 }],
  ['around', { around: { time: NOW - 2 * 86_400, minutes: 95 } }],
  ['operator by username', { operators: [operator.username!] }],
  ['operator by email + 7 d', { operators: [operator.email!], relative: '7d' }],
  ['operator by id', { operators: [operator.id!] }],
  ['two operators', { operators: [operator.username!, anotherOperator.username!] }],
  ['not an operator', { not: { operators: [operator.username!] } }],
  ['event type prefix', { eventTypes: ['Update*'] }],
  ['exact event types + range', { eventTypes: ['DeleteRoute', 'Login'], from: NOW - 30 * 86_400 + 17 }],
  ['not an event type', { not: { eventTypes: ['Update*'] } }],
  ['category', { categories: ['Authentication'] }],
  ['unknown category', { categories: ['No such category'] }],
  ['status (records only)', { statusClasses: ['4xx'] }],
];

describe('the activity summaries', () => {
  let test: ReturnType<typeof createTestCache>;
  let fast: QueryService;
  let reference: QueryService;

  beforeAll(() => {
    test = createTestCache();
    // Several batches with repeats, as a sync with overlapping windows would store them.
    for (let i = 0; i < entries.length; i += 700) insertEntries(test.cache, entries.slice(Math.max(0, i - 50), i + 700), null, { now: NOW });
    const reader = openReader(test.dir, test.cache.key);
    fast = createQueryService(reader, { now: () => NOW });
    reference = createQueryService(reader, { now: () => NOW, useSummaries: false });
  });
  afterAll(() => test.remove());

  const expectSame = (filter: FilterModel) => {
    expect(fast.count(filter)).toBe(reference.count(filter));
    expect(fast.facets(filter, 8)).toEqual(reference.facets(filter, 8));
    expect(fast.histogram(filter, 60)).toEqual(reference.histogram(filter, 60));
    expect(fast.heatmap(filter, 'Europe/Berlin', 6)).toEqual(reference.heatmap(filter, 'Europe/Berlin', 6));
  };

  it('are used for time, operator and event-type filters only', () => {
    expect(summaryScope({ relative: '7d', operators: ['x'], eventTypes: ['A*'], not: { eventTypes: ['B'] } }, NOW)).not.toBeNull();
    expect(summaryScope({ statusClasses: ['4xx'] }, NOW)).toBeNull();
    expect(summaryScope({ text: ['payments'] }, NOW)).toBeNull();
    expect(summaryScope({ not: { ips: ['10.0.0.1'] } }, NOW)).toBeNull();
    expect(summaryScope({ ips: [] }, NOW)).not.toBeNull();
  });

  it('give the same counts, facets, timeline and heatmap as counting the records', () => {
    expect(fast.count({})).toBe(entries.length);
    for (const [name, filter] of filters) {
      try {
        expectSame(filter);
      } catch (error) {
        throw new Error(`filter "${name}": ${(error as Error).message}`, { cause: error });
      }
    }
  });

  it('stay exact after a retention purge cuts through a day', () => {
    const cutoff = NOW - 25 * 86_400 + 4321;
    const removed = purgeOlderThan(test.cache, cutoff, 'test retention', NOW).removed;
    expect(removed).toBeGreaterThan(0);
    expect(fast.count({})).toBe(entries.length - removed);
    for (const [name, filter] of filters) {
      try {
        expectSame(filter);
      } catch (error) {
        throw new Error(`after purge, filter "${name}": ${(error as Error).message}`, { cause: error });
      }
    }
  });

  it('are what the fast path really reads (a changed summary row changes its answer)', () => {
    const db = test.cache.db;
    const before = { all: fast.count({}), week: fast.count({ relative: '7d' }) };
    const hour = db.prepare('SELECT hour, op, event_type FROM activity_hours WHERE hour * 3600 > ? ORDER BY hour LIMIT 1').get(NOW - 6 * 86_400) as Record<string, unknown>;
    db.prepare('UPDATE activity_hours SET count = count + 1000 WHERE hour = ? AND op = ? AND event_type = ?').run(hour.hour, hour.op, hour.event_type);
    const total = db.prepare("SELECT op, event_type, value FROM facet_totals WHERE field = 'source' LIMIT 1").get() as Record<string, unknown>;
    db.prepare("UPDATE facet_totals SET count = count + 1000 WHERE field = 'source' AND op = ? AND event_type = ? AND value = ?").run(total.op, total.event_type, total.value);
    try {
      expect(fast.count({ relative: '7d' })).toBe(before.week + 1000);
      expect(fast.count({})).toBe(before.all + 1000);
    } finally {
      db.transaction(() => rebuildSummaries(db))();
    }
    expect(fast.count({})).toBe(before.all);
  });

  it('count facets of filters they cannot answer over the newest matches, and say so when that is not all of them', () => {
    const reader = openReader(test.dir, test.cache.key);
    const small = createQueryService(reader, { now: () => NOW, facetSample: 100 });
    const broad: FilterModel = { statusClasses: ['2xx'] };
    expect(reference.count(broad)).toBeGreaterThan(100);
    const sampled = small.facets(broad, 5);
    expect(sampled.every((facet) => facet.newest === 100)).toBe(true);
    expect(sampled.find((f) => f.field === 'source')!.values.reduce((sum, v) => sum + v.count, 0)).toBe(100);
    // The newest 100 matches, exactly: compare with counting those rows directly.
    const newest = small.page(broad, { column: 'event_time', direction: 'desc' }, 0, 100);
    const byOperator = new Map<string, number>();
    for (const row of newest) byOperator.set(row.operator_username, (byOperator.get(row.operator_username) ?? 0) + 1);
    const top = sampled.find((f) => f.field === 'operator')!.values[0]!;
    expect(top.count).toBe(Math.max(...byOperator.values()));
    // A narrow filter is counted in full and carries no note.
    const narrow: FilterModel = { statusClasses: ['2xx'], operators: [operator.username!], relative: '24h' };
    expect(small.facets(narrow, 5).some((facet) => facet.newest !== undefined)).toBe(reference.count(narrow) >= 100);
    expect(fast.facets(broad, 5)).toEqual(reference.facets(broad, 5));
  });

  it('rebuild to exactly what inserts and purges kept', () => {
    const snapshot = () => test.cache.db.prepare('SELECT * FROM facet_days ORDER BY 1, 2, 3, 4, 5').all();
    const hours = () => test.cache.db.prepare('SELECT * FROM activity_hours ORDER BY 1, 2, 3').all();
    const before = { days: snapshot(), hours: hours() };
    test.cache.db.transaction(() => rebuildSummaries(test.cache.db))();
    expect({ days: snapshot(), hours: hours() }).toEqual(before);
  });
});
