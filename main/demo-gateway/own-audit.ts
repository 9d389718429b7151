import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditEntry } from '../core/records/entry';
import { maskSecrets } from '../core/records/secrets';
import type { DemoUser, TokenRecord } from './accounts';
import { createMonotonicUlid } from './generator/ulid';
import { clientIp } from './http-util';

export interface OwnEntryInput {
  req: IncomingMessage;
  /** Unix seconds (fractional allowed). */
  now: number;
  eventType: string;
  status: number;
  error?: string;
  user?: DemoUser;
  token?: TokenRecord;
  /** For failed logins: the username that was tried (kept in the masked body). */
  body?: unknown;
  resourceId?: string;
  resourceName?: string;
}

const nextId = createMonotonicUlid(() => randomBytes(1)[0] as number);

/**
 * The gateway's own audit entry for a call it served — the real product logs logins, token
 * changes and exports too. Secrets in the request body are masked before the entry exists.
 */
export function ownAuditEntry(input: OwnEntryInput): AuditEntry {
  const { req, user, token } = input;
  const failed = input.status >= 400;
  const body = input.body === undefined ? undefined : maskSecrets(input.body).value;
  const uri = req.url ?? '';
  return {
    id: nextId(input.now * 1000),
    event_time: Math.floor(input.now),
    operator: user
      ? { id: user.id, username: user.username, email: user.email, first_name: user.first_name, last_name: user.last_name }
      : { id: '', username: '', email: '', first_name: '', last_name: '' },
    source: token ? 'api' : 'dashboard',
    token_name: token?.name ?? '',
    event_type: input.eventType,
    resource_id: input.resourceId ?? '',
    resource_name: input.resourceName ?? '',
    gateway_group_id: '',
    ip_address: clientIp(req),
    error_message: failed ? (input.error ?? 'request failed') : '',
    http_request: {
      method: req.method ?? '',
      uri: maskSecrets(uri).value,
      ...(body === undefined ? {} : { body }),
      user_agent: String(req.headers['user-agent'] ?? ''),
    },
    http_response: { status_code: input.status, body: failed ? { error_msg: input.error ?? '' } : {} },
  };
}
