import type { AuditEntry } from '../../core/records/entry';
import type { Operator } from './population';
import type { Rng } from './random';
import { ulid } from './ulid';
import type { PoolName, Resource, World } from './world';

/** How one event type maps to an API call and the part of the world it touches. */
interface ActionSpec {
  pool: PoolName | null;
  op: 'create' | 'update' | 'delete' | 'none';
  method: string;
  path: (r: Resource) => string;
}

const gg = (r: Resource) => `/api/gateway_groups/${r.group || 'default'}`;

const SPECS: Record<string, ActionSpec> = {
  Login: { pool: null, op: 'none', method: 'POST', path: () => '/api/login' },
  Logout: { pool: null, op: 'none', method: 'POST', path: () => '/api/logout' },
  ChangePassword: { pool: null, op: 'none', method: 'PUT', path: () => '/api/password' },
  CreateToken: { pool: 'token', op: 'create', method: 'POST', path: () => '/api/tokens' },
  RegenerateToken: { pool: 'token', op: 'update', method: 'PUT', path: (r) => `/api/tokens/${r.id}/regenerate` },
  DeleteToken: { pool: 'token', op: 'delete', method: 'DELETE', path: (r) => `/api/tokens/${r.id}` },
  InviteUser: { pool: 'user', op: 'create', method: 'POST', path: () => '/api/users/invite' },
  DeleteUser: { pool: 'user', op: 'delete', method: 'DELETE', path: (r) => `/api/users/${r.id}` },
  UpdateUserRole: { pool: 'user', op: 'update', method: 'PUT', path: (r) => `/api/users/${r.id}/assigned_roles` },
  CreateRole: { pool: 'role', op: 'create', method: 'POST', path: () => '/api/roles' },
  UpdateRole: { pool: 'role', op: 'update', method: 'PUT', path: (r) => `/api/roles/${r.id}` },
  DeleteRole: { pool: 'role', op: 'delete', method: 'DELETE', path: (r) => `/api/roles/${r.id}` },
  CreatePermissionPolicy: { pool: 'policy', op: 'create', method: 'POST', path: () => '/api/permission_policies' },
  UpdatePermissionPolicy: { pool: 'policy', op: 'update', method: 'PUT', path: (r) => `/api/permission_policies/${r.id}` },
  DeletePermissionPolicy: { pool: 'policy', op: 'delete', method: 'DELETE', path: (r) => `/api/permission_policies/${r.id}` },
  CreateGatewayGroup: { pool: 'gateway_group', op: 'create', method: 'POST', path: () => '/api/gateway_groups' },
  UpdateGatewayGroup: { pool: 'gateway_group', op: 'update', method: 'PUT', path: (r) => `/api/gateway_groups/${r.id}` },
  DeleteGatewayGroup: { pool: 'gateway_group', op: 'delete', method: 'DELETE', path: (r) => `/api/gateway_groups/${r.id}` },
  DeleteGatewayInstance: { pool: 'instance', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/instances/${r.id}` },
  AddService: { pool: 'service', op: 'create', method: 'POST', path: (r) => `${gg(r)}/services` },
  UpdateService: { pool: 'service', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/services/${r.id}` },
  PublishService: { pool: 'service', op: 'none', method: 'POST', path: () => '/api/services/publish' },
  DeleteService: { pool: 'service', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/services/${r.id}` },
  AddRoute: { pool: 'route', op: 'create', method: 'POST', path: (r) => `${gg(r)}/routes` },
  UpdateRoute: { pool: 'route', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/routes/${r.id}` },
  DeleteRoute: { pool: 'route', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/routes/${r.id}` },
  AddConsumer: { pool: 'consumer', op: 'create', method: 'POST', path: (r) => `${gg(r)}/consumers` },
  UpdateConsumer: { pool: 'consumer', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/consumers/${r.id}` },
  DeleteConsumer: { pool: 'consumer', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/consumers/${r.id}` },
  AddConsumerCredential: { pool: 'credential', op: 'create', method: 'POST', path: (r) => `${gg(r)}/consumers/credentials/${r.id}` },
  DeleteConsumerCredential: { pool: 'credential', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/consumers/credentials/${r.id}` },
  UpdateGlobalRule: { pool: 'global_rule', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/global_rules/${r.id}` },
  DeleteGlobalRule: { pool: 'global_rule', op: 'none', method: 'DELETE', path: (r) => `${gg(r)}/global_rules/${r.id}` },
  UpdatePluginMetadata: { pool: 'plugin_metadata', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/plugin_metadata/${r.id}` },
  AddSSL: { pool: 'ssl', op: 'create', method: 'POST', path: (r) => `${gg(r)}/ssls` },
  UpdateSSL: { pool: 'ssl', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/ssls/${r.id}` },
  DeleteSSL: { pool: 'ssl', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/ssls/${r.id}` },
  AddSecretProvider: { pool: 'secret', op: 'create', method: 'POST', path: (r) => `${gg(r)}/secret_providers/vault/${r.id}` },
  UpdateSecretProvider: { pool: 'secret', op: 'update', method: 'PUT', path: (r) => `${gg(r)}/secret_providers/vault/${r.id}` },
  DeleteSecretProvider: { pool: 'secret', op: 'delete', method: 'DELETE', path: (r) => `${gg(r)}/secret_providers/vault/${r.id}` },
  UpdateLicense: { pool: null, op: 'none', method: 'PUT', path: () => '/api/license' },
  UpdateSystemSettings: { pool: null, op: 'none', method: 'PUT', path: () => '/api/system_settings' },
  ExportAuditLogs: { pool: null, op: 'none', method: 'GET', path: () => '/api/audit_logs/export' },
  UpdateAuditSettings: { pool: null, op: 'none', method: 'PUT', path: () => '/api/system_settings/audit' },
  DeleteAuditLogs: { pool: null, op: 'none', method: 'DELETE', path: () => '/api/audit_logs' },
};

/** Error texts by status, as a control plane would word them. */
const ERRORS: Record<number, string[]> = {
  400: ['invalid configuration: "paths" must not be empty', 'invalid upstream: node port out of range', 'request body is not valid JSON'],
  403: ['permission denied: the user lacks the required permission for this action'],
  404: ['resource not found', 'the resource was deleted by another request'],
  409: ['conflict: a resource with this name already exists', 'conflict: the resource was modified concurrently'],
  401: ['invalid username or password'],
};

export const EMPTY_BODY: Readonly<Record<string, never>> = Object.freeze({});

/** Most calls succeed with the same response; one shared frozen object saves a million allocations. */
const OK_RESPONSE = Object.freeze({ status_code: 200, body: EMPTY_BODY });

/** What the history knows about who acted and from where. */
export interface Actor {
  operator: Operator;
  source: 'dashboard' | 'api';
  token_name: string;
  ip: string;
  userAgent: string;
}

/** Unauthenticated actors (failed logins, bad tokens) carry an empty operator. */
export const NOBODY: Operator = Object.freeze({ id: '', username: '', email: '', first_name: '', last_name: '' });

export interface ActionOptions {
  status?: number;
  error?: string;
  /** Act on this resource instead of a random one of the pool. */
  resource?: Resource;
  /** Use this pool instead of the event type's default (e.g. ADC-managed routes). */
  pool?: PoolName;
  /** Overrides the request body. */
  body?: unknown;
  /** Re-send the resource's current state instead of changing it (an ADC sync re-applying config). */
  unchanged?: boolean;
  resourceId?: string;
  resourceName?: string;
}

/** Builds one audit entry for `eventType` done by `actor` at `time` (Unix seconds with a fraction). */
export function act(world: World, rng: Rng, time: number, actor: Actor, eventType: string, options: ActionOptions = {}): AuditEntry {
  const spec = SPECS[eventType] ?? { pool: null, op: 'none', method: 'POST', path: () => `/api/${eventType}` };
  const status = options.status ?? 200;
  const failed = status >= 400;
  const pool = options.pool ?? spec.pool;
  let resource: Resource | undefined = options.resource;
  if (pool && !resource) {
    // Failed calls change nothing; successful ones evolve the world.
    if (spec.op === 'create') resource = failed ? world.pick(pool) : world.create(pool);
    else if (spec.op === 'delete') resource = failed ? world.pick(pool) : world.remove(pool);
    else if (spec.op === 'update') resource = failed || options.unchanged ? world.pick(pool) : world.update(pool);
    else resource = world.pick(pool);
  }
  const uri = spec.path(resource ?? { id: '', name: '', group: 'default', body: EMPTY_BODY });
  let body: unknown = options.body;
  if (body === undefined && resource && spec.method !== 'DELETE' && spec.method !== 'GET') body = resource.body;
  const error = failed ? (options.error ?? rng.pick(ERRORS[status] ?? ERRORS[400] ?? ['request failed'])) : '';
  const ms = Math.floor(time * 1000);
  return {
    id: ulid(ms, rng),
    event_time: Math.floor(time),
    operator: actor.operator,
    source: actor.source,
    token_name: actor.token_name,
    event_type: eventType,
    resource_id: options.resourceId ?? (spec.op === 'create' && failed ? '' : resource?.id ?? ''),
    resource_name: options.resourceName ?? resource?.name ?? '',
    gateway_group_id: resource?.group ?? '',
    ip_address: actor.ip,
    error_message: error,
    http_request: body === undefined ? { method: spec.method, uri, user_agent: actor.userAgent } : { method: spec.method, uri, body, user_agent: actor.userAgent },
    http_response: status === 200 ? (OK_RESPONSE as { status_code: number; body: unknown }) : { status_code: status, body: failed ? { error_msg: error } : EMPTY_BODY },
  };
}

export function knownEventTypes(): string[] {
  return Object.keys(SPECS);
}
