import type http from 'node:http';
import { derivePermissions } from './permissions';
import { parseAuditPage, parseEventTypes, parseUser, roleNames, ShapeError } from './responses';
import { createAgent, exchange, TransportError, type RawResponse } from './transport';
import {
  GatewayError,
  type AuditLogPage,
  type AuditLogQuery,
  type Credentials,
  type GatewayClient,
  type GatewayClientOptions,
  type GatewayUser,
} from './types';

export const NO_AUDIT_PERMISSION = 'this account may not read audit logs — ask for the iam:GetAudit permission';
const NO_EXPORT_PERMISSION = 'this account may not export audit logs — ask for the iam:ExportAudits permission';

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Names the request in errors ("page 3", "GET /api/me"). */
  what: string;
  /** Message for a 403 on this call. */
  forbidden?: string;
  /** A 401 here means wrong credentials, not an expired session: never re-login for it. */
  isLogin?: boolean;
}

/**
 * The API7 gateway client: sign-in by password (session cookie) or access token, `/api/me`, and
 * paged audit-log reads with timeouts, retries (exponential backoff with jitter on 5xx, timeouts,
 * resets and cut-off bodies; Retry-After on 429), validation and cancellation.
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new GatewayError('network', `"${options.baseUrl}" is not a gateway URL; use e.g. https://api7.example.com or http://127.0.0.1:9180`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new GatewayError('network', `the gateway URL must start with http:// or https:// (got ${base.protocol})`);
  }
  const baseUrl = base.toString().replace(/\/+$/, '');
  const agent: http.Agent = createAgent(base, options.caPem);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 5;
  const baseDelay = options.retryBaseMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const credentials = options.credentials;
  const cookies = new Map<string, string>();
  const useSession = (header: string) => {
    cookies.clear();
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  let signedIn = false;
  let signedOut = false;
  // A session handed over by another thread's client belongs to that client: only it signs out.
  let ownsSession = true;
  if (credentials.kind === 'password' && credentials.session) {
    useSession(credentials.session);
    signedIn = cookies.size > 0;
    ownsSession = false;
  }
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  const urlFor = (path: string, query?: Call['query']): URL => {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    return url;
  };

  const authHeaders = (): Record<string, string> => {
    const headers: Record<string, string> = { 'User-Agent': 'audit-review' };
    if (credentials.kind === 'token') headers['X-API-KEY'] = credentials.token;
    if (cookies.size > 0) headers.Cookie = cookieHeader();
    return headers;
  };

  const keepCookies = (response: RawResponse) => {
    for (const line of response.headers['set-cookie'] ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (value === '' || expired) cookies.delete(name);
      else cookies.set(name, value);
    }
  };

  const wait = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw cancelled();
    if (!signal) return sleep(ms);
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  const backoff = (attempt: number): number => {
    const ceiling = Math.min(maxDelay, baseDelay * 2 ** attempt);
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };

  /** Sends one call with retries; returns the parsed JSON body of a 2xx answer. */
  const call = async (c: Call): Promise<unknown> => {
    let reloggedIn = false;
    for (let attempt = 0; ; attempt++) {
      let response: RawResponse;
      const headers = authHeaders();
      try {
        response = await exchange(agent, {
          method: c.method,
          url: urlFor(c.path, c.query),
          headers,
          ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
          timeoutMs,
          ...(c.signal ? { signal: c.signal } : {}),
        });
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        if (error.failure === 'cancelled') throw cancelled();
        if (error.failure === 'tls') throw tlsError(baseUrl, error);
        if (attempt >= maxRetries) throw new GatewayError('network', networkMessage(c, baseUrl, error, attempt));
        const delay = backoff(attempt);
        options.onRetry?.({ attempt: attempt + 1, delayMs: delay, reason: `${c.what}: ${error.message}` });
        await wait(delay, c.signal);
        continue;
      }
      keepCookies(response);
      const status = response.status;
      if (status >= 200 && status < 300) {
        try {
          return JSON.parse(response.body.toString('utf8'));
        } catch {
          throw new GatewayError('bad_response', `${c.what}: the gateway sent invalid JSON (${response.body.length} bytes starting ${JSON.stringify(response.body.subarray(0, 40).toString('utf8'))})`, status);
        }
      }
      const message = errorMessage(response);
      if (status === 429 || status >= 500) {
        if (attempt >= maxRetries) {
          throw status === 429
            ? new GatewayError('rate_limited', `${c.what}: the gateway is still rate-limiting after ${attempt + 1} attempts (${message}); try again later`, 429)
            : new GatewayError('server', `${c.what}: the gateway failed with ${status} after ${attempt + 1} attempts (${message}); try again later or ask its operator`, status);
        }
        const retryAfter = status === 429 ? retryAfterMs(response.headers['retry-after']) : undefined;
        const delay = retryAfter !== undefined ? Math.min(maxDelay, retryAfter) : backoff(attempt);
        options.onRetry?.({ attempt: attempt + 1, delayMs: delay, reason: `${c.what}: ${status} ${message}` });
        await wait(delay, c.signal);
        continue;
      }
      if (status === 401) {
        // A dashboard session can expire mid-sync: sign in again once, then give up.
        if (credentials.kind === 'password' && signedIn && !reloggedIn && !c.isLogin) {
          reloggedIn = true;
          await renewSession(headers.Cookie);
          attempt--;
          continue;
        }
        throw new GatewayError('unauthorized', unauthorizedMessage(credentials.kind, c, message), 401);
      }
      if (status === 403) throw new GatewayError('forbidden', c.forbidden ?? `${c.what}: the gateway refused (${message}); this account lacks a permission for it`, 403);
      if (status === 404) throw new GatewayError('bad_response', `${c.what}: ${baseUrl} has no such endpoint (404) — check that the URL points at an API7 control plane`, 404);
      throw new GatewayError('bad_response', `${c.what}: the gateway rejected the request with ${status} (${message})`, status);
    }
  };

  const login = async (signal?: AbortSignal): Promise<void> => {
    if (credentials.kind !== 'password') return;
    await call({ method: 'POST', path: '/api/login', body: { username: credentials.username, password: credentials.password }, what: 'sign-in', isLogin: true, ...(signal ? { signal } : {}) });
    if (cookies.size === 0) {
      throw new GatewayError('bad_response', 'sign-in: the gateway accepted the password but set no session cookie');
    }
    signedIn = true;
    ownsSession = true;
  };

  /**
   * Signs in again after a 401 on a request sent with session `sentWith`. Requests in flight
   * together (a sync reads pages ahead) share one new sign-in, and a request whose session was
   * already replaced just retries: one expiry, one Login entry in the gateway's audit log.
   */
  let renewing: Promise<void> | null = null;
  const renewSession = async (sentWith: string | undefined): Promise<void> => {
    if (cookies.size > 0 && cookieHeader() !== sentWith) return;
    renewing ??= (async () => {
      const borrowed = !ownsSession && options.renewBorrowedSession;
      if (borrowed) {
        // The owner signs in again (or already has) and lends us its new session.
        useSession(await borrowed(sentWith ?? cookieHeader()));
        return;
      }
      cookies.clear();
      // Not tied to one caller's signal: the other callers wait on this sign-in too.
      await login();
    })().finally(() => {
      renewing = null;
    });
    await renewing;
  };

  const probe = async (path: string, query: Call['query'], signal?: AbortSignal): Promise<boolean> => {
    try {
      await call({ method: 'GET', path, query, what: `GET ${path}`, ...(signal ? { signal } : {}) });
      return true;
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'forbidden') return false;
      throw error;
    }
  };

  const me = async (signal?: AbortSignal): Promise<GatewayUser> => {
    const body = await call({ method: 'GET', path: '/api/me', what: 'GET /api/me', ...(signal ? { signal } : {}) });
    let user;
    try {
      user = parseUser(body);
    } catch (error) {
      throw new GatewayError('bad_response', `GET /api/me: ${(error as Error).message}`);
    }
    const derived = derivePermissions(user as Record<string, unknown>);
    let permissions = { getAudit: derived.getAudit, exportAudits: derived.exportAudits };
    if (!derived.known) {
      // Roles without policies: ask the gateway itself, with reads that return (almost) nothing.
      permissions = {
        getAudit: await probe('/api/audit_logs', { page: 1, page_size: 1 }, signal),
        exportAudits: await probe('/api/audit_logs/export', { format: 'json', start_at: 0, end_at: 0 }, signal),
      };
    }
    return { id: user.id, username: user.username, email: user.email, roles: roleNames(user.roles), permissions };
  };

  return {
    baseUrl,
    shareConnection() {
      const shared: Credentials =
        credentials.kind === 'token'
          ? credentials
          : { kind: 'password', username: credentials.username, password: credentials.password, ...(cookies.size > 0 ? { session: cookieHeader() } : {}) };
      return { baseUrl, credentials: shared, timeoutMs, maxRetries, ...(options.caPem ? { caPem: options.caPem } : {}) };
    },
    async renewSharedSession(expired) {
      if (credentials.kind !== 'password') throw new GatewayError('unauthorized', 'only a password sign-in has a session to renew', 401);
      if (signedOut) throw new GatewayError('unauthorized', 'signed out: the session is not renewed any more', 401);
      await renewSession(expired);
      return cookieHeader();
    },
    async signIn(signal) {
      signedOut = false;
      if (credentials.kind === 'password') await login(signal);
      const user = await me(signal);
      signedIn = true;
      return user;
    },
    me,
    async listAuditLogs(query: AuditLogQuery, signal?: AbortSignal): Promise<AuditLogPage> {
      const page = query.page ?? 1;
      const what = `page ${page}`;
      const body = await call({
        method: 'GET',
        path: '/api/audit_logs',
        query: {
          event_type: query.event_type,
          operator_id: query.operator_id,
          resource_id: query.resource_id,
          start_at: query.start_at,
          end_at: query.end_at,
          order_by: 'event_time',
          direction: query.direction ?? 'desc',
          page,
          page_size: query.page_size ?? 100,
        },
        what,
        forbidden: NO_AUDIT_PERMISSION,
        ...(signal ? { signal } : {}),
      });
      try {
        return parseAuditPage(body);
      } catch (error) {
        if (error instanceof ShapeError) throw new GatewayError('bad_response', `${what}: ${error.message}`);
        throw error;
      }
    },
    async eventTypes(signal) {
      const body = await call({ method: 'GET', path: '/api/audit_logs/event_types', what: 'GET /api/audit_logs/event_types', ...(signal ? { signal } : {}) });
      try {
        return parseEventTypes(body);
      } catch (error) {
        throw new GatewayError('bad_response', `GET /api/audit_logs/event_types: ${(error as Error).message}`);
      }
    },
    async signOut() {
      try {
        if (credentials.kind === 'password' && cookies.size > 0 && ownsSession) await call({ method: 'POST', path: '/api/logout', what: 'sign-out' });
      } catch {
        // Signing out is best effort: the session expires on its own.
      } finally {
        cookies.clear();
        signedIn = false;
        signedOut = true;
        agent.destroy();
      }
    },
  };
}

export { NO_EXPORT_PERMISSION };

function cancelled(): GatewayError {
  return new GatewayError('cancelled', 'cancelled');
}

function errorMessage(response: RawResponse): string {
  const text = response.body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const message = parsed.error_msg ?? parsed.message ?? parsed.error;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200) || `HTTP ${response.status}`;
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function unauthorizedMessage(kind: 'token' | 'password', c: Call, message: string): string {
  if (c.isLogin) return `sign-in failed: the gateway rejected the username or password (${message})`;
  if (kind === 'token') return `${c.what}: the gateway rejected the access token (${message}); it may be wrong, expired, regenerated or deleted — create a new token and sign in again`;
  return `${c.what}: the gateway no longer accepts this sign-in (${message}); sign in again`;
}

function networkMessage(c: Call, baseUrl: string, error: TransportError, attempt: number): string {
  const tries = `after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
  if (error.failure === 'timeout') return `${c.what}: ${baseUrl} did not answer in time ${tries}; check the network or raise the timeout`;
  if (error.failure === 'truncated') return `${c.what}: the connection to ${baseUrl} kept breaking mid-response ${tries}; try again later`;
  if (error.code === 'ECONNREFUSED') return `${c.what}: nothing is listening at ${baseUrl} (connection refused ${tries}); check the URL and that the gateway runs`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `${c.what}: the host of ${baseUrl} cannot be resolved (${error.code}); check the URL and DNS`;
  return `${c.what}: cannot reach ${baseUrl} ${tries} (${error.code ?? error.message})`;
}

function tlsError(baseUrl: string, error: TransportError): GatewayError {
  const code = error.code ?? '';
  let why = `the TLS connection failed (${code || error.message})`;
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED/.test(code)) why = `its certificate is not signed by a trusted authority (${code})`;
  else if (code === 'CERT_HAS_EXPIRED') why = 'its certificate has expired';
  else if (code === 'CERT_NOT_YET_VALID') why = 'its certificate is not valid yet (check the clock)';
  else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') why = `its certificate does not name this host (${error.message})`;
  else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') why = `it does not speak TLS on this port (${code}); try http:// instead`;
  return new GatewayError('tls', `refusing the connection to ${baseUrl}: ${why}. If the gateway uses a private CA, add that CA's certificate (PEM) as the custom CA file.`);
}
