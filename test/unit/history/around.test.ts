import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesAround, recordMoment } from '../../../main/core/history/around';
import { formatAroundText } from '../../../main/core/history/text';
import { createTestCache, entry } from '../../helpers/temp-cache';
import { T0, routeLife } from './fixtures';

let test: ReturnType<typeof createTestCache>;
beforeAll(() => {
  test = createTestCache([
    ...routeLife(),
    // Exactly on the edges of a ±5 minute window, and one second outside each edge.
    entry({ id: 'edge-before', event_time: T0 - 300 - 1, event_type: 'UpdateConsumer', resource_id: 'c-1', resource_name: 'acme' }),
    entry({ id: 'edge-after', event_time: T0 + 300 + 1, event_type: 'DeleteConsumer', resource_id: 'c-1', resource_name: 'acme' }),
    entry({ id: 'settings', event_time: T0 + 120, event_type: 'UpdateSystemSettings', resource_id: '', resource_name: '', http_request: { method: 'PUT', uri: '/api/system_settings', body: {} } }),
    entry({ id: 'logout', event_time: T0 + 100, event_type: 'Logout', resource_id: '', resource_name: '' }),
  ]);
});
afterAll(() => test.remove());

describe('changesAround', () => {
  it('returns exactly the configuration changes in the window, both ends inclusive', () => {
    const around = changesAround(test.cache.db, { time: T0, minutes: 5 });
    expect(around).toMatchObject({ time: T0, minutes: 5, from: T0 - 300, to: T0 + 300 });
    // e2 sits at T0-300 and e7 at T0+300 (the edges); logins, logouts and exports are not changes.
    expect(around.changes.map((c) => c.id)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'x-other', 'settings', 'e7']);
    expect(around.total).toBe(8);
    expect(around.failed).toBe(1);
    expect(around.truncated).toBe(false);
    expect(around.changes.find((c) => c.id === 'e3')).toMatchObject({ outcome: 'failed', status_code: 400, offset_seconds: -240, verb: 'update' });
    expect(around.changes.find((c) => c.id === 'e7')).toMatchObject({ offset_seconds: 300, verb: 'create', operator: 'ci-bot' });
  });

  it('groups by resource and by operator with counts', () => {
    const around = changesAround(test.cache.db, { time: T0, minutes: 5 });
    expect(around.by_resource.map((g) => [g.resource_id, g.resource_name, g.count, g.failed, g.operators])).toEqual([
      ['r-1042', 'payments-v2', 6, 1, ['jane', 'ci-bot']],
      ['s-7', 'billing', 1, 0, ['ci-bot']],
      ['', '', 1, 0, ['jdoe']],
    ]);
    expect(around.by_resource[0]!.changes.map((c) => c.id)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    expect(around.by_operator.map((g) => [g.operator_id, g.operator, g.count, g.failed, g.resources])).toEqual([
      ['u-jane', 'jane', 5, 1, ['payments']],
      ['u-ci', 'ci-bot', 2, 0, ['billing', 'payments-v2']],
      ['u-1', 'jdoe', 1, 0, []],
    ]);
  });

  it('a zero-minute window holds only the moment itself', () => {
    expect(changesAround(test.cache.db, { time: T0, minutes: 0 }).changes.map((c) => c.id)).toEqual(['e6']);
    expect(changesAround(test.cache.db, { time: T0 + 1, minutes: 0 }).total).toBe(0);
  });

  it('lists only the changes nearest the moment past its limit, counting them all', () => {
    const around = changesAround(test.cache.db, { time: T0, minutes: 5 }, { maxListed: 3 });
    expect(around.total).toBe(8);
    expect(around.truncated).toBe(true);
    expect(around.changes.map((c) => c.id)).toEqual(['e5', 'e6', 'x-other']);
    expect(around.by_resource[0]).toMatchObject({ resource_id: 'r-1042', count: 6 });
    expect(around.by_resource[0]!.changes.map((c) => c.id)).toEqual(['e5', 'e6']);
  });

  it('finds the moment of a record', () => {
    expect(recordMoment(test.cache.db, 'e4')).toBe(T0 - 120);
    expect(recordMoment(test.cache.db, 'missing')).toBeNull();
  });

  it('renders readable text', () => {
    const text = formatAroundText(changesAround(test.cache.db, { time: T0, minutes: 5 })).join('\n');
    expect(text).toContain('Configuration changes from 2026-11-20T13:55:00Z to 2026-11-20T14:05:00Z (5 min either side of 2026-11-20T14:00:00Z): 8, 1 failed');
    expect(text).toContain('payments-v2 (r-1042): 6 changes, 1 failed by jane, ci-bot');
    expect(text).toContain('(-4m00s)  UpdateRoute by jane from 203.0.113.24  FAILED 400  e3');
    expect(text).toContain('ci-bot: 2 changes on 2 resources');
  });
});
