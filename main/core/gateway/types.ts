import type { AuditEntry } from '../records/entry';

/**
 * The gateway client's public shape. `sync`, the CLI and the app depend on this interface only,
 * so tests can hand them a fake gateway.
 */
export type Credentials =
  | { kind: 'token'; token: string }
  | {
      kind: 'password';
      username: string;
      password: string;
      /**
       * The Cookie header of a session already signed in with these credentials (handed over by
       * GatewayClient.shareConnection): used instead of signing in again, and renewed like any
       * session if it expires. Never stored.
       */
      session?: string;
    };

export interface GatewayUser {
  id: string;
  username: string;
  email: string;
  roles: string[];
  /** Effective audit permissions as far as /api/me (or probing) tells. */
  permissions: { getAudit: boolean; exportAudits: boolean };
}

export interface AuditLogQuery {
  event_type?: string;
  operator_id?: string;
  resource_id?: string;
  /** Unix seconds, inclusive. */
  start_at?: number;
  /** Unix seconds, inclusive. */
  end_at?: number;
  direction?: 'asc' | 'desc';
  /** From 1. */
  page?: number;
  page_size?: number;
}

export interface AuditLogPage {
  total: number;
  list: AuditEntry[];
}

export interface GatewayClientOptions {
  baseUrl: string;
  credentials: Credentials;
  /** PEM of an extra CA to trust for HTTPS (added to the system CAs). */
  caPem?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries on 5xx / timeouts / resets / 429. */
  maxRetries?: number;
  /** Injected for tests: sleep used by backoff. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: uniform [0, 1) used for backoff jitter. */
  random?: () => number;
  /** First backoff delay (doubles per retry, with jitter); default 250 ms. */
  retryBaseMs?: number;
  /** Longest wait between attempts, also caps Retry-After; default 30 s. */
  maxRetryDelayMs?: number;
  /** Called before each retry (for progress lines and logs); never given credentials. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /**
   * For a client given a borrowed session (`credentials.session`): where a new session comes from
   * when the gateway refuses it — the client it was borrowed from (its renewSharedSession, across
   * threads), so one expiry is one sign-in, by the session's owner. Without it the borrower signs
   * in itself and owns (and signs out) that new session.
   */
  renewBorrowedSession?: (expired: string) => Promise<string>;
}

/** What another thread needs to call the gateway as a signed-in client (structured-clone safe). */
export type SharedConnection = Pick<GatewayClientOptions, 'baseUrl' | 'credentials' | 'caPem' | 'timeoutMs' | 'maxRetries'>;

export interface GatewayClient {
  readonly baseUrl: string;
  /**
   * The connection for a worker thread to use as this client: the same token, or this sign-in's
   * session — a second sign-in would be a second gateway session and a second Login entry in the
   * very audit log being reviewed.
   */
  shareConnection(): SharedConnection;
  /**
   * For a borrower whose copy of this client's session (`expired`) was refused: signs in again
   * unless that already happened (one sign-in for every borrower and this client's own calls) and
   * returns the Cookie header of the session to use now. Password sign-ins only; refused once
   * this client has signed out (a late borrower must not start a new session).
   */
  renewSharedSession(expired: string): Promise<string>;
  /** Signs in (login for passwords; validates tokens) and returns who we are. */
  signIn(signal?: AbortSignal): Promise<GatewayUser>;
  me(signal?: AbortSignal): Promise<GatewayUser>;
  listAuditLogs(query: AuditLogQuery, signal?: AbortSignal): Promise<AuditLogPage>;
  eventTypes(signal?: AbortSignal): Promise<{ key: string; name: string }[]>;
  signOut(): Promise<void>;
}

/** Errors the client raises; `kind` lets sync and the UI decide what to do next. */
export type GatewayErrorKind =
  | 'unauthorized' // 401: credentials missing, wrong, expired, or the user was deleted
  | 'forbidden' // 403: the account lacks the permission (or it was revoked)
  | 'rate_limited' // 429 after all retries
  | 'server' // 5xx after all retries
  | 'network' // refused, reset, DNS, timeout after all retries
  | 'tls' // certificate not trusted / invalid
  | 'bad_response' // a reply we cannot use (not JSON, wrong shape); names the page
  | 'cancelled';

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}
