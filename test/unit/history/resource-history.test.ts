import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceHistory, stateAt } from '../../../main/core/history/resource-history';
import { resolveResource } from '../../../main/core/history/resolve-resource';
import { resourceRows } from '../../../main/core/history/replay';
import { formatHistoryText } from '../../../main/core/history/text';
import { createTestCache, entry } from '../../helpers/temp-cache';
import { T0, routeLife } from './fixtures';

let test: ReturnType<typeof createTestCache>;
beforeAll(() => {
  test = createTestCache(routeLife());
});
afterAll(() => test.remove());

describe('resourceHistory', () => {
  it('lists every change of the resource in time order with notes, and nothing else', () => {
    const history = resourceHistory(test.cache.db, 'r-1042');
    expect(history.resource_id).toBe('r-1042');
    expect(history.names).toEqual(['payments', 'payments-v2']);
    expect(history.total).toBe(7);
    expect(history.truncated).toBe(false);
    expect(history.changes.map((c) => [c.id, c.verb, c.outcome, c.note])).toEqual([
      ['e1', 'create', 'applied', 'created'],
      ['e2', 'update', 'applied', 'updated'],
      ['e3', 'update', 'failed', 'failed attempt'],
      ['e4', 'update', 'applied', 'updated'],
      ['e5', 'update', 'applied', 'updated'],
      ['e6', 'delete', 'applied', 'deleted'],
      ['e7', 'create', 'applied', 're-created'],
    ]);
    const created = history.changes[0]!;
    expect(created).toMatchObject({ operator: 'jane', operator_id: 'u-jane', ip_address: '203.0.113.24', event_type: 'AddRoute', http_method: 'POST', status_code: 200 });
  });

  it('diffs each applied change against the previous applied state', () => {
    const [created, put] = resourceHistory(test.cache.db, 'r-1042').changes;
    expect(created!.diff!.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['added name', 'added paths', 'added upstream']);
    expect(put!.diff!.changes).toEqual([
      { kind: 'added', path: 'paths[1]', segments: ['paths', 1], after: '/v2/pay/*' },
      { kind: 'changed', path: 'upstream.nodes[0].host', segments: ['upstream', 'nodes', 0, 'host'], before: '10.0.0.1', after: '10.0.0.2' },
    ]);
    expect(put!.diff!.lengthChanges).toEqual([{ path: 'paths', segments: ['paths'], before: 1, after: 2 }]);
  });

  it('lists a failed attempt with what was sent but does not apply it', () => {
    const changes = resourceHistory(test.cache.db, 'r-1042').changes;
    const failed = changes[2]!;
    expect(failed.request_body).toEqual({ name: 'payments', paths: [] });
    expect(failed.diff).toBeNull();
    expect(failed.error_message).toContain('paths');
    expect(failed.state_after).toEqual(changes[1]!.state_after);
    // The next change is diffed against the state before the failure, not the failed body.
    expect(changes[3]!.diff!.changes.map((c) => c.path)).toEqual(['desc', 'upstream.timeout']);
  });

  it('merges PATCH bodies onto the previous state (null removes a key)', () => {
    const changes = resourceHistory(test.cache.db, 'r-1042').changes;
    expect(changes[3]!.state_after).toEqual({
      name: 'payments',
      desc: 'hotfix',
      paths: ['/pay/*', '/v2/pay/*'],
      upstream: { nodes: [{ host: '10.0.0.2', port: 80 }], timeout: { connect: 5 } },
    });
    expect(changes[3]!.partial).toBe(false);
    expect(changes[4]!.diff!.changes).toEqual([{ kind: 'removed', path: 'desc', segments: ['desc'], before: 'hotfix' }]);
    expect(changes[4]!.state_after).not.toHaveProperty('desc');
  });

  it('shows deletion as the state going away and re-creation as a fresh start', () => {
    const changes = resourceHistory(test.cache.db, 'r-1042').changes;
    const deleted = changes[5]!;
    expect(deleted.state_after).toBeNull();
    expect(deleted.diff!.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['removed name', 'removed paths', 'removed upstream']);
    const recreated = changes[6]!;
    expect(recreated).toMatchObject({ operator: 'ci-bot', resource_name: 'payments-v2', state_after: { name: 'payments-v2', paths: ['/pay/*'] } });
    expect(recreated.diff!.changes.every((c) => c.kind === 'added')).toBe(true);
  });

  it('returns only the latest `limit` changes but replays all of them', () => {
    const history = resourceHistory(test.cache.db, 'r-1042', { limit: 2 });
    expect(history.total).toBe(7);
    expect(history.truncated).toBe(true);
    expect(history.changes.map((c) => c.id)).toEqual(['e6', 'e7']);
    expect(history.changes[0]!.diff!.changes).toHaveLength(3);
  });

  it('is empty for an unknown resource', () => {
    expect(resourceHistory(test.cache.db, 'r-nope')).toEqual({ resource_id: 'r-nope', names: [], total: 0, changes: [], truncated: false });
  });

  it('renders readable text with +/-/~ lines', () => {
    const text = formatHistoryText(resourceHistory(test.cache.db, 'r-1042')).join('\n');
    expect(text).toContain('Resource r-1042 (payments, payments-v2): 7 changes');
    expect(text).toContain('~ upstream.nodes[0].host: "10.0.0.1" → "10.0.0.2"');
    expect(text).toContain('FAILED ATTEMPT');
    expect(text).toContain('not applied');
    expect(text).toContain('RE-CREATED  AddRoute by ci-bot');
  });
});

describe('stateAt', () => {
  it('answers "what did it look like at T?" across the whole life', () => {
    const db = test.cache.db;
    expect(stateAt(db, 'r-1042', T0 - 601)).toMatchObject({ exists: false, state: null, as_of: null });
    expect(stateAt(db, 'r-1042', T0 - 600)).toMatchObject({ exists: true, state: { name: 'payments', paths: ['/pay/*'] }, as_of: { id: 'e1', operator: 'jane' } });
    // The failed update at T0-240 changed nothing.
    expect(stateAt(db, 'r-1042', T0 - 200)).toMatchObject({ exists: true, as_of: { id: 'e2' }, state: { paths: ['/pay/*', '/v2/pay/*'] } });
    expect(stateAt(db, 'r-1042', T0 - 61)).toMatchObject({ as_of: { id: 'e4' }, state: { desc: 'hotfix' } });
    expect(stateAt(db, 'r-1042', T0 + 10)).toMatchObject({ exists: false, state: null, as_of: { id: 'e6', event_type: 'DeleteRoute' } });
    expect(stateAt(db, 'r-1042', T0 + 300)).toMatchObject({ exists: true, state: { name: 'payments-v2' }, as_of: { id: 'e7' } });
  });
});

describe('history that starts mid-life (creation purged or never synced)', () => {
  it('marks a PATCH without earlier state as partial and gives no diff for the first update', () => {
    const partial = createTestCache([
      entry({ id: 'p1', event_time: T0, event_type: 'UpdateRoute', resource_id: 'r-5', http_request: { method: 'PATCH', uri: '/x', body: { desc: 'a' } } }),
      entry({ id: 'p2', event_time: T0 + 1, event_type: 'UpdateRoute', resource_id: 'r-5', http_request: { method: 'PATCH', uri: '/x', body: { desc: 'b' } } }),
      entry({ id: 'p3', event_time: T0 + 2, event_type: 'PublishService', resource_id: 'r-5', http_request: { method: 'POST', uri: '/x' } }),
      entry({ id: 'p3b', event_time: T0 + 2, event_type: 'PublishService', resource_id: 'r-5', http_request: { method: 'POST', uri: '/x', body: { service_ids: ['r-5'] } } }),
      entry({ id: 'p4', event_time: T0 + 3, event_type: 'UpdateRoute', resource_id: 'r-5', http_request: { method: 'PUT', uri: '/x', body: { name: 'five' } } }),
    ]);
    try {
      const [first, second, publish, publishWithBody, put] = resourceHistory(partial.cache.db, 'r-5').changes;
      expect(first).toMatchObject({ partial: true, diff: null, state_after: { desc: 'a' } });
      expect(second).toMatchObject({ partial: true, state_after: { desc: 'b' } });
      expect(second!.diff!.changes).toEqual([{ kind: 'changed', path: 'desc', segments: ['desc'], before: 'a', after: 'b' }]);
      // An update that sent no body leaves the state as it was.
      expect(publish).toMatchObject({ note: 'updated', state_after: { desc: 'b' }, partial: true });
      expect(publish!.diff).toEqual({ changes: [], lengthChanges: [], truncated: false });
      // So does an action POSTed to it: its body is not the resource's configuration.
      expect(publishWithBody).toMatchObject({ note: 'updated', request_body: { service_ids: ['r-5'] }, state_after: { desc: 'b' } });
      expect(publishWithBody!.diff!.changes).toEqual([]);
      // A full PUT makes the state whole again.
      expect(put).toMatchObject({ partial: false, state_after: { name: 'five' } });
      expect(stateAt(partial.cache.db, 'r-5', T0 + 1)).toMatchObject({ partial: true, state: { desc: 'b' } });
    } finally {
      partial.remove();
    }
  });
});

describe('resolveResource', () => {
  it('takes an id, or a name that only one resource carried', () => {
    expect(resolveResource(test.cache.db, 'r-1042')).toEqual({ id: 'r-1042' });
    expect(resolveResource(test.cache.db, 'payments-v2')).toEqual({ id: 'r-1042' });
    expect(resolveResource(test.cache.db, 'billing')).toEqual({ id: 's-7' });
    expect(resolveResource(test.cache.db, 'nothing')).toEqual({ candidates: [] });
  });
});

describe('resourceRows', () => {
  it('reads every row once, in (time, insertion) order, across page boundaries and ties within a second', () => {
    const all = [...resourceRows(test.cache.db, 'r-1042')].map((r) => r.id);
    expect(all).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    for (const pageRows of [1, 2, 3, 7]) expect([...resourceRows(test.cache.db, 'r-1042', undefined, pageRows)].map((r) => r.id)).toEqual(all);
    expect([...resourceRows(test.cache.db, 'r-1042', T0 - 120, 2)].map((r) => r.id)).toEqual(['e1', 'e2', 'e3', 'e4']);

    const ties = createTestCache(['t1', 't2', 't3', 't4', 't5'].map((id) => entry({ id, event_time: T0, resource_id: 'r-tie' })));
    try {
      expect([...resourceRows(ties.cache.db, 'r-tie', undefined, 2)].map((r) => r.id)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    } finally {
      ties.remove();
    }
  });
});
