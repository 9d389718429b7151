import type { AuditEntry } from '../records/entry';
import { isFailed } from '../records/entry';

/**
 * The slim projection of an audit entry that the anomaly rules read. Rules never see bodies or
 * canonical JSON: a million of these fit in memory and stream cheaply out of SQLite.
 */
export interface AnomalyEvent {
  id: string;
  /** Unix seconds UTC. */
  event_time: number;
  /** '' when the request was not authenticated (e.g. a failed login for an unknown user). */
  operator_id: string;
  /** operator.username; for a failed Login without an operator, the username the request tried. */
  username: string;
  event_type: string;
  resource_id: string;
  ip: string;
  token_name: string;
  status_code: number;
  /** status_code >= 400 or a non-empty error_message (records/entry.ts isFailed). */
  failed: boolean;
  /** http_request.uri */
  uri: string;
}

export function toAnomalyEvent(entry: AuditEntry): AnomalyEvent {
  const failed = isFailed(entry);
  return {
    id: entry.id,
    event_time: entry.event_time,
    operator_id: entry.operator.id,
    username: usernameOf(entry, failed),
    event_type: entry.event_type,
    resource_id: entry.resource_id,
    ip: entry.ip_address,
    token_name: entry.token_name,
    status_code: entry.http_response.status_code ?? 0,
    failed,
    uri: entry.http_request.uri,
  };
}

/**
 * A failed login by someone who is not a known user carries no operator; the only trace of who was
 * targeted is the username in the (masked) request body.
 */
function usernameOf(entry: AuditEntry, failed: boolean): string {
  if (entry.operator.username !== '' || !failed || entry.event_type !== 'Login') return entry.operator.username;
  const body = entry.http_request.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const attempted = (body as Record<string, unknown>).username;
    if (typeof attempted === 'string' || typeof attempted === 'number') return String(attempted);
  }
  return '';
}
