import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher, type Handlers } from '../../../main/core/app/dispatcher';
import { createEventBus } from '../../../main/core/app/event-bus';
import { startWebHost, type WebHost } from '../../../main/web-host/server';
import { makeTempDir } from '../../helpers/temp-cache';

describe('the browser host', () => {
  const temp = makeTempDir();
  const bus = createEventBus();
  let host: WebHost;
  const secret = 'test-secret-0123456789abcdef';

  beforeAll(async () => {
    const staticDir = join(temp.dir, 'renderer');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Audit Review</title>');
    writeFileSync(join(temp.dir, 'secret.txt'), 'outside the renderer');
    const handlers = {
      'app.info': () => ({ name: 'Audit Review', version: '0.0.0', host: 'browser-host' as const, platform: 'linux', dataDir: '/tmp' }),
    } as unknown as Handlers;
    host = await startWebHost({ dispatch: createDispatcher(handlers), bus, staticDir, secret });
  });
  afterAll(async () => {
    await host.close();
    temp.remove();
  });

  const rpc = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.origin}/rpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Audit-Review-Secret': secret, ...headers },
      body: JSON.stringify(body),
    });

  it('listens on loopback only and hands the secret in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#k=${secret}`);
  });

  it('serves the renderer with the CSP and refuses paths outside it', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const response = await fetch(`${host.origin}${path}`);
      expect(await response.text()).not.toContain('outside the renderer');
    }
  });

  it('answers contract calls that carry the secret', async () => {
    const response = await rpc({ method: 'app.info', input: {} });
    expect(await response.json()).toMatchObject({ ok: true, value: { name: 'Audit Review', host: 'browser-host' } });
  });

  it('refuses calls without the secret, from another origin, or for another host name', async () => {
    expect((await rpc({ method: 'app.info', input: {} }, { 'X-Audit-Review-Secret': 'wrong' })).status).toBe(401);
    expect((await rpc({ method: 'app.info', input: {} }, { Origin: 'https://evil.example' })).status).toBe(403);
    // fetch() may not set Host; a raw request can, as a DNS-rebinding page's browser would.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${host.origin}/rpc`, {
        method: 'POST',
        headers: { Host: 'evil.example', 'Content-Type': 'application/json', 'X-Audit-Review-Secret': secret },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('rejects unknown methods and invalid input with a clear error', async () => {
    expect(await (await rpc({ method: 'fs.readFile', input: {} })).json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await (await rpc({ method: 'app.info', input: { extra: 1 } })).json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('delivers events over the socket only with the secret', async () => {
    const refused = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['audit-review', 'secret.wrong']);
    await expect(new Promise((resolve, reject) => { refused.on('open', resolve); refused.on('error', reject); })).rejects.toThrow();

    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}/events`, ['audit-review', `secret.${secret}`]);
    await new Promise((resolve) => socket.on('open', resolve));
    const received = new Promise<unknown>((resolve) => socket.on('message', (data) => resolve(JSON.parse(String(data)))));
    bus.emit('notice', { level: 'info', message: 'hello' });
    expect(await received).toEqual({ event: 'notice', payload: { level: 'info', message: 'hello' } });
    socket.close();
  });
});
