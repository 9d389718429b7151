import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../core/app/dispatcher';
import type { EventBus } from '../core/app/event-bus';
import { securityHeaders } from '../core/security/csp';
import { readStaticFile } from '../core/security/static-files';

/**
 * The browser host: the same contract the Electron window uses, carried over loopback HTTP
 * (calls) and a WebSocket (events). It lets Playwright drive the real UI in Debian Chromium and
 * lets anyone look at the UI without Electron.
 *
 * Guards: it binds to loopback only; every call and socket must present the per-run secret (given
 * to the page in the URL fragment, which browsers never send to servers or put in Referer); the
 * Host header must be our loopback address (defeats DNS rebinding); cross-origin requests are refused.
 */
export interface WebHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  staticDir: string;
  port?: number;
  host?: '127.0.0.1' | '::1' | 'localhost';
  /** Fixed secret (tests); random by default. */
  secret?: string;
}

export interface WebHost {
  /** Open this in a browser: it carries the secret in the fragment. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const secretBytes = Buffer.from(secret);
  const hasSecret = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === secretBytes.length && timingSafeEqual(bytes, secretBytes);
  };
  let origin = '';
  let allowedHosts: string[] = [];

  const server = createServer((req, res) => {
    handleRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.includes(req.headers.host ?? '')) return deny(res, 421, 'wrong host');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/rpc') {
      if (req.method !== 'POST') return deny(res, 405, 'POST only');
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return deny(res, 403, 'cross-origin');
      if (!hasSecret(req.headers['x-audit-review-secret'] as string | undefined)) return deny(res, 401, 'missing or wrong secret');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return deny(res, 415, 'JSON only');
      const body = await readBody(req);
      if (body === null) return deny(res, 413, 'request too large');
      let message: { method?: unknown; input?: unknown };
      try {
        message = JSON.parse(body);
      } catch {
        return deny(res, 400, 'not JSON');
      }
      const result = await options.dispatch(message.method, message.input);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(result));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'GET only');
    const file = await readStaticFile(options.staticDir, url.pathname);
    // Unknown paths fall back to the app shell so a reload keeps working.
    const served = file ?? (await readStaticFile(options.staticDir, '/index.html'));
    if (!served) return deny(res, 404, 'renderer not built: run npm run build');
    res.writeHead(200, {
      'Content-Type': served.type,
      'Cache-Control': 'no-store',
      ...securityHeaders([origin.replace(/^http/, 'ws')]),
    });
    res.end(req.method === 'HEAD' ? undefined : served.body);
  };

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const offered = protocols.find((p) => p.startsWith('secret.'))?.slice('secret.'.length);
    const okHost = allowedHosts.includes(req.headers.host ?? '');
    const okOrigin = req.headers.origin === undefined || req.headers.origin === origin;
    if (!okHost || !okOrigin || !hasSecret(offered) || new URL(req.url ?? '/', origin).pathname !== '/events') {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });
  const unsubscribe = options.bus.subscribe((name, payload) => {
    const frame = JSON.stringify({ event: name, payload });
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
  });
  sockets.on('connection', (ws: WebSocket) => {
    // Events flow one way; anything the page sends on the socket is ignored.
    ws.on('message', () => {});
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = host === '::1' ? '[::1]' : host;
  origin = `http://${hostForUrl}:${port}`;
  allowedHosts = [`${hostForUrl}:${port}`];
  if (host === '127.0.0.1' || host === 'localhost') allowedHosts.push(`localhost:${port}`, `127.0.0.1:${port}`);

  return {
    url: `${origin}/#k=${secret}`,
    origin,
    port,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function deny(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(reason);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolveBody(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
