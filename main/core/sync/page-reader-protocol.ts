import type { RecordRow } from '../cache/record-row';
import type { SessionReply, SessionRequest } from '../gateway/session-relay';
import type { AuditLogQuery, GatewayErrorKind, SharedConnection } from '../gateway/types';

/** What the page reader thread is started with (structured-clone safe: no functions). */
export interface PageReaderInput {
  /** From GatewayClient.shareConnection(): a password sign-in arrives with its session. */
  gateway: SharedConnection;
}

export type PageReaderRequest =
  | { type: 'list'; id: number; query: AuditLogQuery }
  /** The sync no longer wants request `id`: stop its HTTP call (the reply, if any, is dropped). */
  | { type: 'cancel'; id: number }
  /** The sync is over: sign out a session this thread signed into itself (a bare password), then end. */
  | { type: 'close' }
  /** The answer to the thread's request for a new session (its borrowed one expired). */
  | SessionReply;

export type PageReaderReply =
  | { type: 'page'; id: number; total: number; rows: RecordRow[] }
  /** `kind` is set for a GatewayError (rebuilt as one on the sync's side), absent for anything else. */
  | { type: 'error'; id: number; message: string; kind?: GatewayErrorKind; status?: number }
  /** The borrowed session expired: the thread asks for the owner's new one. */
  | SessionRequest;
