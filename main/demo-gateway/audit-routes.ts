import type { IncomingMessage, ServerResponse } from 'node:http';
import { listEventTypes } from '../core/catalog/catalog';
import type { AuditEntry } from '../core/records/entry';
import { AUDIT_EXPORT, AUDIT_READ, type DemoUser, type TokenRecord } from './accounts';
import { authenticate, type GatewayContext, type Handler } from './context';
import { toCsvRow, CSV_HEADER } from './csv';
import { HttpError, intParam, sendError, sendJson } from './http-util';
import { ownAuditEntry } from './own-audit';
import type { StoreFilter, StoreQuery } from './store';

/** page_size above API7's usual 1000 is accepted up to this, for bulk readers. */
export const MAX_PAGE_SIZE = 10000;

function readFilter(params: URLSearchParams): StoreFilter & { direction: 'asc' | 'desc' } {
  const direction = params.get('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw new HttpError(400, 'direction must be asc or desc');
  const orderBy = params.get('order_by');
  if (orderBy !== null && orderBy !== '' && orderBy !== 'event_time') throw new HttpError(400, 'order_by must be event_time');
  const filter: StoreFilter & { direction: 'asc' | 'desc' } = { direction };
  for (const key of ['event_type', 'operator_id', 'resource_id'] as const) {
    const value = params.get(key);
    if (value !== null && value !== '') filter[key] = value;
  }
  const start = intParam(params, 'start_at', 0, 32503680000);
  const end = intParam(params, 'end_at', 0, 32503680000);
  if (start !== undefined) filter.start_at = start;
  if (end !== undefined) filter.end_at = end;
  return filter;
}

/** 401 without credentials, 403 (logged, as API7 does) without the permission. */
function requirePermission(ctx: GatewayContext, req: IncomingMessage, action: string, eventType: string): { user: DemoUser; token?: TokenRecord } {
  const auth = authenticate(ctx, req);
  if (!auth.ok) throw new HttpError(401, auth.reason);
  if (!ctx.accounts.can(auth.user, action)) {
    const error = `permission denied: this account lacks ${action}`;
    ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType, status: 403, error, user: auth.user, token: auth.token }));
    throw new HttpError(403, error);
  }
  return auth;
}

export const listAuditLogs: Handler = (ctx, req, res, url) => {
  requirePermission(ctx, req, AUDIT_READ, 'GetAuditLogs');
  const query: StoreQuery = {
    ...readFilter(url.searchParams),
    page: intParam(url.searchParams, 'page', 1, 1_000_000_000) ?? 1,
    page_size: intParam(url.searchParams, 'page_size', 1, MAX_PAGE_SIZE) ?? 20,
  };
  const fault = ctx.faults.decide();
  if (fault && injectBeforeServing(ctx, res, fault.kind, fault.retryAfter)) return;
  const page = ctx.store.query(query);
  const total = fault?.kind === 'total_change' ? page.total + 7 : page.total;
  // One JSON.stringify over the list: the fastest way V8 has to serialize a thousand entries.
  const body = `{"total":${total},"list":${JSON.stringify(page.list)}}`;
  if (fault?.kind === 'truncate') {
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return;
  }
  if (fault?.kind === 'invalid_json') {
    sendJson(res, 200, `${body.slice(0, Math.floor(body.length / 2))}<!-- proxy error -->`);
    return;
  }
  sendJson(res, 200, body);
  ctx.faults.pageServed();
};

/** Faults that replace the answer entirely; true when the response was taken over. */
function injectBeforeServing(ctx: GatewayContext, res: ServerResponse, kind: string, retryAfter: number): boolean {
  switch (kind) {
    case '401':
      sendError(res, 401, 'the access token has expired (injected fault)');
      return true;
    case '403':
      sendError(res, 403, `permission denied: this account lacks ${AUDIT_READ} (injected fault)`);
      return true;
    case '500':
      sendError(res, 500, 'internal server error (injected fault)');
      return true;
    case '429':
      sendError(res, 429, `too many requests; retry after ${retryAfter} s (injected fault)`, { 'Retry-After': String(retryAfter) });
      return true;
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'timeout':
      // Never answer; the client's own timeout must fire. Closed when the gateway stops.
      ctx.hanging.add(res);
      res.on('close', () => ctx.hanging.delete(res));
      return true;
    default:
      return false;
  }
}

export const exportAuditLogs: Handler = async (ctx, req, res, url) => {
  const auth = requirePermission(ctx, req, AUDIT_EXPORT, 'ExportAuditLogs');
  const format = url.searchParams.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new HttpError(400, 'format must be json or csv');
  const filter = readFilter(url.searchParams);
  const chunks = ctx.store.scan(filter, filter.direction);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'ExportAuditLogs', status: 200, user: auth.user, token: auth.token, body: { format, ...filter } }));
  res.writeHead(200, {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="audit_logs.${format}"`,
  });
  let first = true;
  if (format === 'csv') await write(res, `${CSV_HEADER}\n`);
  else await write(res, '[');
  for (const chunk of chunks) {
    if (res.destroyed) return;
    const text = format === 'csv' ? chunk.map((e: AuditEntry) => toCsvRow(e)).join('') : (first ? '' : ',') + JSON.stringify(chunk).slice(1, -1);
    if (chunk.length > 0) first = false;
    await write(res, text);
  }
  res.end(format === 'csv' ? '' : ']');
};

/** Writes and waits for the socket to drain when its buffer is full (streams millions of rows in bounded memory). */
function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export const eventTypes: Handler = (ctx, req, res) => {
  const auth = authenticate(ctx, req);
  if (!auth.ok) throw new HttpError(401, auth.reason);
  const list = listEventTypes().map((t) => ({ key: t.key, name: t.name }));
  sendJson(res, 200, { total: list.length, list });
};
