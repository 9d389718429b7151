import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE, type AuthResult, type DemoAccounts } from './accounts';
import type { Faults } from './faults';
import { parseCookies } from './http-util';
import type { AuditStore } from './store';

/** What every route handler may use. */
export interface GatewayContext {
  store: AuditStore;
  accounts: DemoAccounts;
  faults: Faults;
  /** Unix seconds. */
  now: () => number;
  /** Responses held open by the `timeout` fault; closed when the gateway stops. */
  hanging: Set<ServerResponse>;
}

export type Handler = (ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/**
 * Who is calling, as API7 decides it: an `X-API-KEY` header, else an `X-API-KEY` cookie, else the
 * dashboard session cookie, else HTTP Basic. A credential that is present but bad is an error —
 * we never fall through to a weaker one.
 */
export function authenticate(ctx: GatewayContext, req: IncomingMessage): AuthResult & { via?: 'token' | 'session' | 'basic' } {
  const header = req.headers['x-api-key'];
  const cookies = parseCookies(req.headers.cookie);
  const token = (Array.isArray(header) ? header[0] : header) ?? cookies.get('X-API-KEY');
  if (token !== undefined && token !== '') return { ...ctx.accounts.checkToken(token.trim()), via: 'token' };
  const session = cookies.get(SESSION_COOKIE);
  if (session !== undefined && session !== '') return { ...ctx.accounts.checkSession(session), via: 'session' };
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? ctx.accounts.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    return user ? { ok: true, user, via: 'basic' } : { ok: false, reason: 'invalid username or password', via: 'basic' };
  }
  return { ok: false, reason: 'authentication required: send an X-API-KEY header with an access token, or sign in with POST /api/login' };
}
