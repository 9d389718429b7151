import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEventTypes } from '../../../main/core/catalog/catalog';
import type { DemoGateway } from '../../../main/demo-gateway/server';
import { call, loginCookie, smallGateway } from './helpers';

let gw: DemoGateway;
let clock = 1768478400;
const key = (token: string) => ({ 'X-API-KEY': token });

beforeAll(async () => {
  gw = await smallGateway({ now: () => clock });
});
afterAll(() => gw.close());

const lastEntry = () => gw.store.all()[gw.store.size - 1]!;

describe('demo gateway: sign-in, sessions and /api/me', () => {
  it('logs in with a password, sets a session cookie and records a Login with the password masked', async () => {
    const reply = await call(gw.url, 'POST', '/api/login', { body: { username: 'auditor', password: 'auditor' } });
    expect(reply.status).toBe(200);
    expect(reply.json.value.username).toBe('auditor');
    expect(reply.headers.get('set-cookie')).toMatch(/^api7-session=[^;]+; Path=\/; HttpOnly/);
    const entry = lastEntry();
    expect(entry.event_type).toBe('Login');
    expect(entry.operator.username).toBe('auditor');
    expect(entry.http_request.body).toEqual({ username: 'auditor', password: '******' });
    expect(entry.ip_address).toBe('127.0.0.1');
  });

  it('refuses a wrong password with 401 {error_msg} and records the failed attempt', async () => {
    const reply = await call(gw.url, 'POST', '/api/login', { body: { username: 'auditor', password: 'nope' } });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ error_msg: 'invalid username or password' });
    const entry = lastEntry();
    expect(entry.event_type).toBe('Login');
    expect(entry.http_response.status_code).toBe(401);
    expect(entry.operator.id).toBe('');
    expect(JSON.stringify(entry)).not.toContain('nope');
  });

  it('answers 400 to a login without a password', async () => {
    expect((await call(gw.url, 'POST', '/api/login', { body: { username: 'auditor' } })).status).toBe(400);
    expect((await call(gw.url, 'POST', '/api/login', { headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
  });

  it('serves /api/me for a session, with roles that carry their policies', async () => {
    const cookie = await loginCookie(gw.url, 'auditor');
    const me = await call(gw.url, 'GET', '/api/me', { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(me.json.value).toMatchObject({ id: 'u-auditor', username: 'auditor' });
    const actions = me.json.value.roles.flatMap((r: any) => r.policies.flatMap((p: any) => p.statement.flatMap((s: any) => s.actions)));
    expect(actions).toEqual(expect.arrayContaining(['iam:GetAudit', 'iam:ExportAudits']));
  });

  it('ends the session on logout (401 afterwards) and records a Logout', async () => {
    const cookie = await loginCookie(gw.url, 'viewer');
    const out = await call(gw.url, 'POST', '/api/logout', { headers: { Cookie: cookie } });
    expect(out.status).toBe(200);
    expect(lastEntry().event_type).toBe('Logout');
    const me = await call(gw.url, 'GET', '/api/me', { headers: { Cookie: cookie } });
    expect(me.status).toBe(401);
    expect(me.json.error_msg).toMatch(/session/);
  });

  it('expires sessions after their lifetime', async () => {
    const cookie = await loginCookie(gw.url, 'auditor');
    clock += 13 * 3600;
    try {
      const me = await call(gw.url, 'GET', '/api/me', { headers: { Cookie: cookie } });
      expect(me.status).toBe(401);
      expect(me.json.error_msg).toMatch(/expired/);
    } finally {
      clock -= 13 * 3600;
    }
  });

  it('accepts HTTP Basic and refuses wrong Basic credentials', async () => {
    const basic = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await call(gw.url, 'GET', '/api/me', { headers: basic('admin', 'admin') })).json.value.username).toBe('admin');
    expect((await call(gw.url, 'GET', '/api/me', { headers: basic('admin', 'x') })).status).toBe(401);
  });

  it('answers 401 {error_msg} without credentials', async () => {
    const reply = await call(gw.url, 'GET', '/api/me');
    expect(reply.status).toBe(401);
    expect(reply.json.error_msg).toMatch(/X-API-KEY/);
  });
});

describe('demo gateway: access tokens', () => {
  it('creates a token shown once, accepts it as header and as cookie, lists it without its value', async () => {
    const cookie = await loginCookie(gw.url, 'auditor');
    const created = await call(gw.url, 'POST', '/api/tokens', { headers: { Cookie: cookie }, body: { name: 'ci', expires_at: 0 } });
    expect(created.status).toBe(200);
    const token: string = created.json.value.token;
    expect(token).toMatch(/^a7ee-[A-Za-z0-9]{82}$/);
    expect(lastEntry()).toMatchObject({ event_type: 'CreateToken', resource_name: 'ci' });
    expect(JSON.stringify(lastEntry())).not.toContain(token);
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(token) })).json.value.username).toBe('auditor');
    expect((await call(gw.url, 'GET', '/api/me', { headers: { Cookie: `X-API-KEY=${token}` } })).json.value.username).toBe('auditor');
    const list = await call(gw.url, 'GET', '/api/tokens', { headers: key(token) });
    expect(list.json.list.map((t: any) => t.name)).toContain('ci');
    expect(list.text).not.toContain(token);
    const viaSettings = await call(gw.url, 'GET', '/api/settings/tokens', { headers: key(token) });
    expect(viaSettings.json.total).toBe(list.json.total);
  });

  it('a bad token is 401 and never falls back to a session cookie', async () => {
    const cookie = await loginCookie(gw.url, 'auditor');
    const reply = await call(gw.url, 'GET', '/api/me', { headers: { ...key('a7ee-wrong'), Cookie: cookie } });
    expect(reply.status).toBe(401);
    expect(reply.json.error_msg).toMatch(/not valid/);
  });

  it('regenerating invalidates the old value at once', async () => {
    const old = gw.createToken('auditor', { name: 'regen' });
    const id = (await call(gw.url, 'GET', '/api/tokens', { headers: key(old) })).json.list.find((t: any) => t.name === 'regen').id;
    const regen = await call(gw.url, 'PUT', `/api/tokens/${id}/regenerate`, { headers: key(old) });
    expect(regen.status).toBe(200);
    expect(lastEntry().event_type).toBe('RegenerateToken');
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(old) })).status).toBe(401);
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(regen.json.value.token) })).status).toBe(200);
  });

  it('deleting a token revokes it; deleting again is 404', async () => {
    const admin = gw.createToken('admin');
    const doomed = gw.createToken('admin', { name: 'doomed' });
    const id = (await call(gw.url, 'GET', '/api/tokens', { headers: key(admin) })).json.list.find((t: any) => t.name === 'doomed').id;
    expect((await call(gw.url, 'DELETE', `/api/tokens/${id}`, { headers: key(admin) })).status).toBe(200);
    expect(lastEntry().event_type).toBe('DeleteToken');
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(doomed) })).status).toBe(401);
    const again = await call(gw.url, 'DELETE', `/api/settings/tokens/${id}`, { headers: key(admin) });
    expect(again.status).toBe(404);
    expect(again.json.error_msg).toMatch(/no access token/);
  });

  it('expired tokens are refused; creating one in the past is 400', async () => {
    const token = gw.createToken('auditor', { expiresAt: clock + 60 });
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(token) })).status).toBe(200);
    clock += 120;
    try {
      const reply = await call(gw.url, 'GET', '/api/me', { headers: key(token) });
      expect(reply.status).toBe(401);
      expect(reply.json.error_msg).toMatch(/expired/);
    } finally {
      clock -= 120;
    }
    const bad = await call(gw.url, 'POST', '/api/tokens', { headers: key(gw.createToken('auditor')), body: { name: 'x', expires_at: clock - 1 } });
    expect(bad.status).toBe(400);
    expect((await call(gw.url, 'POST', '/api/tokens', { headers: key(gw.createToken('auditor')), body: {} })).status).toBe(400);
  });
});

describe('demo gateway: audit logs', () => {
  it('pages asc and desc with the published filters and a stable total', async () => {
    const token = gw.createToken('auditor');
    const all = gw.store.all();
    const start = all[100]!.event_time;
    const end = all[1500]!.event_time;
    const expected = all.filter((e) => e.event_time >= start && e.event_time <= end);
    const page1 = await call(gw.url, 'GET', `/api/audit_logs?start_at=${start}&end_at=${end}&direction=asc&order_by=event_time&page=1&page_size=500`, { headers: key(token) });
    expect(page1.status).toBe(200);
    expect(page1.json.total).toBe(expected.length);
    expect(page1.json.list.map((e: any) => e.id)).toEqual(expected.slice(0, 500).map((e) => e.id));
    const page2 = await call(gw.url, 'GET', `/api/audit_logs?start_at=${start}&end_at=${end}&direction=asc&page=2&page_size=500`, { headers: key(token) });
    expect(page2.json.list[0].id).toBe(expected[500]!.id);
    const desc = await call(gw.url, 'GET', `/api/audit_logs?start_at=${start}&end_at=${end}&page_size=3`, { headers: key(token) });
    expect(desc.json.list.map((e: any) => e.id)).toEqual(expected.slice(-3).reverse().map((e) => e.id));
    const type = all[200]!.event_type;
    const filtered = await call(gw.url, 'GET', `/api/audit_logs?event_type=${type}&page_size=10000`, { headers: key(token) });
    expect(filtered.json.total).toBe(gw.store.all().filter((e) => e.event_type === type).length);
    expect(filtered.json.list.every((e: any) => e.event_type === type)).toBe(true);
    const operator = all[300]!.operator.id;
    const byOperator = await call(gw.url, 'GET', `/api/audit_logs?operator_id=${operator}&resource_id=${all[300]!.resource_id}`, { headers: key(token) });
    expect(byOperator.json.list.every((e: any) => e.operator.id === operator && e.resource_id === all[300]!.resource_id)).toBe(true);
    expect(byOperator.json.total).toBeGreaterThan(0);
  });

  it('rejects bad parameters with 400', async () => {
    const token = gw.createToken('auditor');
    for (const query of ['page=0', 'page_size=10001', 'direction=up', 'start_at=yesterday', 'order_by=id']) {
      const reply = await call(gw.url, 'GET', `/api/audit_logs?${query}`, { headers: key(token) });
      expect(reply.status, query).toBe(400);
      expect(typeof reply.json.error_msg).toBe('string');
    }
  });

  it('refuses the list to an account without iam:GetAudit (403) and records the denial', async () => {
    const reply = await call(gw.url, 'GET', '/api/audit_logs', { headers: key(gw.createToken('viewer')) });
    expect(reply.status).toBe(403);
    expect(reply.json.error_msg).toMatch(/iam:GetAudit/);
    expect(lastEntry()).toMatchObject({ event_type: 'GetAuditLogs', http_response: { status_code: 403 } });
    expect(lastEntry().http_request.uri).toMatch(/^\/api\/audit_logs/);
  });

  it('applies a revoked permission and a deleted user at once', async () => {
    gw.accounts.addUser('u-temp', 'temp', 'temp', ['auditor']);
    const token = gw.createToken('temp');
    expect((await call(gw.url, 'GET', '/api/audit_logs?page_size=1', { headers: key(token) })).status).toBe(200);
    gw.revokePermission('temp', 'iam:GetAudit');
    expect((await call(gw.url, 'GET', '/api/audit_logs?page_size=1', { headers: key(token) })).status).toBe(403);
    const me = await call(gw.url, 'GET', '/api/me', { headers: key(token) });
    expect(JSON.stringify(me.json)).toContain('"effect":"deny"');
    gw.deleteUser('temp');
    expect((await call(gw.url, 'GET', '/api/me', { headers: key(token) })).status).toBe(401);
  });

  it('exports JSON and CSV with the same filters, and records the export', async () => {
    const token = gw.createToken('auditor');
    const all = gw.store.all();
    const start = all[10]!.event_time;
    const end = all[40]!.event_time;
    const expected = all.filter((e) => e.event_time >= start && e.event_time <= end);
    const json = await call(gw.url, 'GET', `/api/audit_logs/export?format=json&start_at=${start}&end_at=${end}&direction=asc`, { headers: key(token) });
    expect(json.status).toBe(200);
    expect(json.json.map((e: any) => e.id)).toEqual(expected.map((e) => e.id));
    expect(lastEntry().event_type).toBe('ExportAuditLogs');
    const csv = await call(gw.url, 'GET', `/api/audit_logs/export?format=csv&start_at=${start}&end_at=${end}`, { headers: key(token) });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id,event_time,event_type,/);
    expect(lines.length).toBeGreaterThan(expected.length);
    expect(lines[1]!.startsWith(expected[expected.length - 1]!.id)).toBe(true);
    expect((await call(gw.url, 'GET', '/api/audit_logs/export?format=xml', { headers: key(token) })).status).toBe(400);
  });

  it('streams a large JSON export that parses completely', async () => {
    const reply = await call(gw.url, 'GET', '/api/audit_logs/export', { headers: key(gw.createToken('admin')) });
    expect(reply.json.length).toBe(gw.store.size - 1); // its own ExportAuditLogs entry comes after the snapshot
  });

  it('refuses export without iam:ExportAudits (403)', async () => {
    gw.accounts.addUser('u-reader', 'reader', 'reader', ['auditor']);
    gw.revokePermission('reader', 'iam:ExportAudits');
    const reader = gw.createToken('reader');
    expect((await call(gw.url, 'GET', '/api/audit_logs?page_size=1', { headers: key(reader) })).status).toBe(200);
    const reply = await call(gw.url, 'GET', '/api/audit_logs/export', { headers: key(reader) });
    expect(reply.status).toBe(403);
    expect(reply.json.error_msg).toMatch(/iam:ExportAudits/);
    expect((await call(gw.url, 'GET', '/api/audit_logs/export', { headers: key(gw.createToken('viewer')) })).status).toBe(403);
  });

  it('lists the event type catalog', async () => {
    const reply = await call(gw.url, 'GET', '/api/audit_logs/event_types', { headers: key(gw.createToken('viewer')) });
    expect(reply.json.total).toBe(listEventTypes().length);
    expect(reply.json.list[0]).toEqual({ key: 'Login', name: 'Log In' });
    expect((await call(gw.url, 'GET', '/api/audit_logs/event_types')).status).toBe(401);
  });

  it('answers 404 {error_msg} for unknown endpoints', async () => {
    const reply = await call(gw.url, 'GET', '/api/nope');
    expect(reply.status).toBe(404);
    expect(reply.json.error_msg).toMatch(/no such endpoint/);
    expect((await call(gw.url, 'DELETE', '/api/me')).status).toBe(404);
  });
});
