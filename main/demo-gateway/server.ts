import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AuditEntry } from '../core/records/entry';
import { AUDIT_EXPORT, AUDIT_READ, DemoAccounts } from './accounts';
import { createToken, deleteToken, listTokens, login, logout, me, regenerateToken } from './account-routes';
import { eventTypes, exportAuditLogs, listAuditLogs } from './audit-routes';
import type { GatewayContext, Handler } from './context';
import { Faults, type FaultController } from './faults';
import { generateHistory, type InjectedIncident } from './generator/index';
import { createLiveSource } from './generator/live';
import { HttpError, sendError } from './http-util';
import { loadExportFile } from './load-export';
import { AuditStore } from './store';

export interface DemoGatewayOptions {
  /** 0 (the default here) = an ephemeral port; the CLI uses 9180. */
  port?: number;
  /** Default 127.0.0.1: the demo gateway is for this machine only. */
  host?: string;
  seed?: number;
  days?: number;
  operators?: number;
  /** Generated history size; default 20 000 here (the CLI defaults to 200 000). */
  events?: number;
  /** Serve this API7 export (JSON array, {list}, NDJSON) instead of generating. */
  data?: string;
  /** Append this many new routine events per second while running. */
  live?: number;
  /** Random faults on the list endpoint, e.g. "500:0.05,429:0.05,timeout:0.01,truncate:0.01,reset:0.01". */
  faults?: string;
  /** Clock in Unix seconds (default: the wall clock). The history ends at its value at start. */
  now?: () => number;
  /** One line per request served (method, path, status, ms); never credentials. */
  log?: (line: string) => void;
}

export interface DemoGateway {
  url: string;
  port: number;
  close(): Promise<void>;
  store: AuditStore;
  accounts: DemoAccounts;
  incidents: InjectedIncident[];
  faults: FaultController;
  /** A fresh access token for a demo user (tests and `--token-file`). */
  createToken(username: string, opts?: { expiresAt?: number; name?: string }): string;
  /** Takes a permission (e.g. "iam:GetAudit") away from one user, effective on their next call. */
  revokePermission(username: string, permission: string): void;
  /** Deletes a user: their sessions and tokens get 401 from now on. */
  deleteUser(username: string): void;
}

export { AUDIT_EXPORT, AUDIT_READ };

/**
 * Starts the API7-compatible demo gateway: generated (or loaded) audit history, demo accounts
 * admin/admin, auditor/auditor, viewer/viewer, the published endpoints, and fault injection.
 */
export async function startDemoGateway(options: DemoGatewayOptions = {}): Promise<DemoGateway> {
  const now = options.now ?? (() => Date.now() / 1000);
  const seed = options.seed ?? 1;
  let entries: AuditEntry[];
  let incidents: InjectedIncident[] = [];
  if (options.data) {
    entries = loadExportFile(options.data);
  } else {
    const history = generateHistory({ seed, days: options.days ?? 60, operators: options.operators ?? 25, events: options.events ?? 20_000, now: Math.floor(now()) });
    entries = history.entries;
    incidents = history.incidents;
  }
  const store = new AuditStore(entries, !options.data);
  const accounts = new DemoAccounts(now);
  const faults = new Faults(options.faults, seed);
  const ctx: GatewayContext = { store, accounts, faults, now, hanging: new Set() };
  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true }, (req, res) => {
    const started = performance.now();
    res.on('finish', () => options.log?.(`${req.method} ${pathOf(req)} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    void handle(ctx, req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  let liveTimer: NodeJS.Timeout | undefined;
  if (options.live && options.live > 0) {
    const next = createLiveSource(seed, options.operators ?? 25);
    const perTick = options.live;
    liveTimer = setInterval(() => {
      const t = now();
      for (let i = 0; i < perTick; i++) store.append(next(t + i / perTick / 1000));
    }, 1000);
  }
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store,
    accounts,
    incidents,
    faults,
    createToken(username, opts = {}) {
      const user = accounts.findUser(username);
      if (!user) throw new Error(`no demo user named ${username}`);
      return accounts.createToken(user, opts.name ?? `${username}-test`, opts.expiresAt ?? 0).value;
    },
    revokePermission: (username, permission) => accounts.revokePermission(username, permission),
    deleteUser: (username) => accounts.deleteUser(username),
    close: () =>
      new Promise<void>((resolve) => {
        if (liveTimer) clearInterval(liveTimer);
        for (const res of ctx.hanging) res.destroy();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

async function handle(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const handler = route(req.method ?? 'GET', url.pathname);
    if (!handler) {
      sendError(res, 404, `no such endpoint: ${req.method} ${url.pathname}`);
      return;
    }
    await handler(ctx, req, res, url);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) sendError(res, error.status, error.message, error.headers);
    else sendError(res, 500, `internal error: ${(error as Error).message}`);
  }
}

/** The published endpoints; `/api/settings/tokens` is an alias seen in some releases. */
function route(method: string, path: string): Handler | undefined {
  const p = path.replace(/\/+$/, '') || '/';
  const tokens = /^\/api\/(?:settings\/)?tokens(?:\/([^/]+)(\/regenerate)?)?$/.exec(p);
  if (tokens) {
    const [, id, regenerate] = tokens;
    if (id === undefined) return method === 'POST' ? createToken : method === 'GET' ? listTokens : undefined;
    if (regenerate) return method === 'PUT' ? regenerateToken(decodeURIComponent(id)) : undefined;
    return method === 'DELETE' ? deleteToken(decodeURIComponent(id)) : undefined;
  }
  const table: Record<string, Handler> = {
    'POST /api/login': login,
    'POST /api/logout': logout,
    'GET /api/me': me,
    'GET /api/audit_logs': listAuditLogs,
    'GET /api/audit_logs/export': exportAuditLogs,
    'GET /api/audit_logs/event_types': eventTypes,
  };
  return table[`${method} ${p}`];
}
