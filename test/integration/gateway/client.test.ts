import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, NO_AUDIT_PERMISSION } from '../../../main/core/gateway/client';
import { GatewayError, type GatewayClientOptions } from '../../../main/core/gateway/types';
import type { DemoGateway } from '../../../main/demo-gateway/server';
import { smallGateway } from './helpers';

let gw: DemoGateway;
const sleeps: number[] = [];
const fastSleep = async (ms: number) => {
  sleeps.push(ms);
};

beforeAll(async () => {
  gw = await smallGateway();
});
afterAll(() => gw.close());
afterEach(() => {
  gw.faults.clear();
  sleeps.length = 0;
});

function client(options: Partial<GatewayClientOptions> = {}) {
  return createGatewayClient({
    baseUrl: gw.url,
    credentials: { kind: 'password', username: 'auditor', password: 'auditor' },
    sleep: fastSleep,
    random: () => 0.5,
    timeoutMs: 2000,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('gateway client: sign-in and identity', () => {
  it('signs in with a password and derives the auditor permissions from /api/me', async () => {
    const c = client();
    const user = await c.signIn();
    expect(user).toEqual({ id: 'u-auditor', username: 'auditor', email: 'auditor@demo.example.com', roles: ['Auditor'], permissions: { getAudit: true, exportAudits: true } });
    await c.signOut();
  });

  it('signs in with a token; super admin gets everything, viewer nothing', async () => {
    const admin = await client({ credentials: { kind: 'token', token: gw.createToken('admin') } }).signIn();
    expect(admin.permissions).toEqual({ getAudit: true, exportAudits: true });
    const viewer = await client({ credentials: { kind: 'token', token: gw.createToken('viewer') } }).signIn();
    expect(viewer.permissions).toEqual({ getAudit: false, exportAudits: false });
  });

  it('reports a wrong password and a bad token as unauthorized, with what to do', async () => {
    const wrong = await failure(client({ credentials: { kind: 'password', username: 'auditor', password: 'x' } }).signIn());
    expect(wrong.kind).toBe('unauthorized');
    expect(wrong.message).toMatch(/username or password/);
    const bad = await failure(client({ credentials: { kind: 'token', token: 'a7ee-nope' } }).signIn());
    expect(bad.kind).toBe('unauthorized');
    expect(bad.message).toMatch(/create a new token/);
  });

  it('lists the event types', async () => {
    const c = client();
    await c.signIn();
    const types = await c.eventTypes();
    expect(types.find((t) => t.key === 'DeleteRoute')?.name).toBe('Delete Route');
  });

  it('signs out: the session stops working at the gateway', async () => {
    const c = client();
    await c.signIn();
    const sessions = gw.store.size;
    await c.signOut();
    expect(gw.store.all()[gw.store.size - 1]?.event_type).toBe('Logout');
    expect(gw.store.size).toBe(sessions + 1);
  });
});

describe('gateway client: listing', () => {
  it('reads every entry of a window in asc pages, identical to the store', async () => {
    const c = client();
    await c.signIn();
    const all = gw.store.all();
    const start = all[0]!.event_time;
    const end = all[2500]!.event_time;
    const ids: string[] = [];
    const totals: number[] = [];
    for (let page = 1; ; page++) {
      const result = await c.listAuditLogs({ start_at: start, end_at: end, direction: 'asc', page, page_size: 700 });
      totals.push(result.total);
      ids.push(...result.list.map((e) => e.id));
      if (result.list.length < 700) break;
    }
    const expected = all.filter((e) => e.event_time >= start && e.event_time <= end).map((e) => e.id);
    expect(new Set(totals)).toEqual(new Set([expected.length]));
    expect(ids).toEqual(expected);
  });

  it('says which permission is missing when the account may not read audit logs', async () => {
    const c = client({ credentials: { kind: 'password', username: 'viewer', password: 'viewer' } });
    await c.signIn();
    const error = await failure(c.listAuditLogs({}));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(NO_AUDIT_PERMISSION);
    expect(error.message).toBe('this account may not read audit logs — ask for the iam:GetAudit permission');
  });

  it('passes a gateway 400 on as bad_response with the gateway message', async () => {
    const c = client();
    await c.signIn();
    const error = await failure(c.listAuditLogs({ page_size: 20000 }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/page_size/);
  });
});

describe('gateway client: faults, retries and cancellation', () => {
  it('retries 5xx with growing backoff and jitter, then succeeds', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    gw.faults.schedule({ kind: '500', times: 3 });
    const page = await c.listAuditLogs({ page_size: 5 });
    expect(page.list).toHaveLength(5);
    expect(sleeps).toEqual([188, 375, 750]);
    expect(gw.faults.injected['500']).toBeGreaterThanOrEqual(3);
  });

  it('honors Retry-After on 429', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    gw.faults.schedule({ kind: '429', retry_after: 7 });
    await c.listAuditLogs({ page_size: 5 });
    expect(sleeps).toEqual([7000]);
  });

  it('gives up after maxRetries with the right kind', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') }, maxRetries: 2 });
    gw.faults.schedule({ kind: '500', times: Infinity });
    const server = await failure(c.listAuditLogs({ page: 4 }));
    expect(server.kind).toBe('server');
    expect(server.message).toMatch(/^page 4: .*500 after 3 attempts/);
    gw.faults.clear();
    gw.faults.schedule({ kind: '429', times: Infinity });
    expect((await failure(c.listAuditLogs({}))).kind).toBe('rate_limited');
  });

  it('retries resets, cut-off bodies and timeouts', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') }, timeoutMs: 300 });
    for (const kind of ['reset', 'truncate', 'timeout'] as const) {
      sleeps.length = 0;
      gw.faults.schedule({ kind });
      const page = await c.listAuditLogs({ page_size: 50 });
      expect(page.list, kind).toHaveLength(50);
      expect(sleeps, kind).toHaveLength(1);
    }
    gw.faults.schedule({ kind: 'timeout', times: Infinity });
    const error = await failure(c.listAuditLogs({}));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('treats an unparsable page as bad_response naming the page, without retrying', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    gw.faults.schedule({ kind: 'invalid_json', after_pages: 2 });
    await c.listAuditLogs({ page: 1, page_size: 10 });
    await c.listAuditLogs({ page: 2, page_size: 10 });
    const error = await failure(c.listAuditLogs({ page: 3, page_size: 10 }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/^page 3: the gateway sent invalid JSON/);
    expect(sleeps).toEqual([]);
  });

  it('shows a changed total to the caller', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    const before = await c.listAuditLogs({ page_size: 1, end_at: 1768000000 });
    gw.faults.schedule({ kind: 'total_change' });
    const after = await c.listAuditLogs({ page_size: 1, end_at: 1768000000 });
    expect(after.total).toBe(before.total + 7);
  });

  it('a 401 after N pages is unauthorized for a token; a password session signs in again', async () => {
    const tokenClient = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    gw.faults.schedule({ kind: '401', after_pages: 1 });
    await tokenClient.listAuditLogs({ page: 1 });
    expect((await failure(tokenClient.listAuditLogs({ page: 2 }))).kind).toBe('unauthorized');
    const passwordClient = client();
    await passwordClient.signIn();
    gw.faults.schedule({ kind: '401' });
    const logins = gw.store.all().filter((e) => e.event_type === 'Login').length;
    await passwordClient.listAuditLogs({ page: 1 });
    expect(gw.store.all().filter((e) => e.event_type === 'Login').length).toBe(logins + 1);
  });

  it('a 403 mid-sync (permission revoked) is forbidden with the permission message', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') } });
    gw.faults.schedule({ kind: '403', after_pages: 2, times: Infinity });
    await c.listAuditLogs({ page: 1 });
    await c.listAuditLogs({ page: 2 });
    const error = await failure(c.listAuditLogs({ page: 3 }));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(NO_AUDIT_PERMISSION);
  });

  it('cancels a hanging request and a backoff wait promptly', async () => {
    const c = client({ credentials: { kind: 'token', token: gw.createToken('auditor') }, timeoutMs: 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    gw.faults.schedule({ kind: 'timeout' });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    expect((await failure(c.listAuditLogs({}, controller.signal))).kind).toBe('cancelled');
    gw.faults.clear();
    gw.faults.schedule({ kind: '429', retry_after: 30 });
    const second = new AbortController();
    setTimeout(() => second.abort(), 100);
    expect((await failure(c.listAuditLogs({}, second.signal))).kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
    const already = new AbortController();
    already.abort();
    expect((await failure(c.listAuditLogs({}, already.signal))).kind).toBe('cancelled');
  });

  it('survives a random fault mix from a --faults spec', async () => {
    const flaky = await smallGateway({ faults: '500:0.1,429:0.1,reset:0.05,truncate:0.05' });
    try {
      const c = createGatewayClient({ baseUrl: flaky.url, credentials: { kind: 'token', token: flaky.createToken('auditor') }, sleep: fastSleep, maxRetries: 8 });
      let read = 0;
      for (let page = 1; ; page++) {
        const result = await c.listAuditLogs({ page, page_size: 100, direction: 'asc', end_at: 1768478400 });
        read += result.list.length;
        if (result.list.length < 100) break;
      }
      expect(read).toBe(flaky.store.size);
      expect(Object.values(flaky.faults.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    } finally {
      await flaky.close();
    }
  });
});

describe('gateway client: malformed answers from other gateways', () => {
  let server: Server;
  let url: string;
  let answer: unknown;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const entry = { id: '01HZX3Q7B8K2M4N6P8R0S2T4V6', event_time: 1764061200, event_type: 'UpdateRoute' };

  it('names the page and the entry of a malformed page', async () => {
    const c = createGatewayClient({ baseUrl: url, credentials: { kind: 'token', token: 't' }, sleep: fastSleep });
    answer = { total: 2, list: [entry, { ...entry, id: '', event_time: 'soon' }] };
    const error = await failure(c.listAuditLogs({ page: 9 }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/^page 9: entry 2/);
    answer = { items: [] };
    expect((await failure(c.listAuditLogs({ page: 2 }))).message).toMatch(/^page 2: not an audit-log page/);
  });

  it('accepts variants: a value wrapper, numeric ids, missing optional fields, roles without policies', async () => {
    const c = createGatewayClient({ baseUrl: url, credentials: { kind: 'token', token: 't' }, sleep: fastSleep });
    answer = { value: { total: '1', list: [{ ...entry, id: 42, operator: null }] } };
    const page = await c.listAuditLogs({});
    expect(page.total).toBe(1);
    expect(page.list[0]).toMatchObject({ id: '42', operator: { id: '' }, source: '' });
    answer = { value: { id: 7, username: 'root', roles: ['Super Admin'] } };
    expect((await c.me()).permissions).toEqual({ getAudit: true, exportAudits: true });
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createGatewayClient({ baseUrl: 'ftp://x', credentials: { kind: 'token', token: 't' } })).toThrow(/http:\/\/ or https:\/\//);
  });

  it('reports a refused connection as network after retries', async () => {
    const c = createGatewayClient({ baseUrl: 'http://127.0.0.1:1', credentials: { kind: 'token', token: 't' }, sleep: fastSleep, maxRetries: 1 });
    const error = await failure(c.me());
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/connection refused after 2 attempts/);
  });
});
