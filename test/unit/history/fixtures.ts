import { entry } from '../../helpers/temp-cache';

/** 2026-11-20T14:00:00Z: the moment the fixtures' story revolves around. */
export const T0 = Date.UTC(2026, 10, 20, 14, 0, 0) / 1000;

const jane = { id: 'u-jane', username: 'jane', email: 'jane@example.com' };
const ci = { id: 'u-ci', username: 'ci-bot', email: '' };
const uri = '/api/gateway_groups/default/routes/r-1042';

function change(id: string, at: number, eventType: string, method: string, body: unknown, extra: Record<string, unknown> = {}) {
  const request: Record<string, unknown> = { method, uri, user_agent: 'Mozilla/5.0' };
  if (body !== undefined) request.body = body;
  return entry({ id, event_time: at, event_type: eventType, resource_id: 'r-1042', resource_name: 'payments', operator: jane, http_request: request, ...extra });
}

/**
 * The life of route r-1042: created, updated (PUT), a failed update, two PATCHes, deleted, then
 * re-created under a new name; plus unrelated records that must not show up in its history.
 */
export function routeLife() {
  return [
    change('e1', T0 - 600, 'AddRoute', 'POST', { name: 'payments', paths: ['/pay/*'], upstream: { nodes: [{ host: '10.0.0.1', port: 80 }] } }),
    change('e2', T0 - 300, 'UpdateRoute', 'PUT', { name: 'payments', paths: ['/pay/*', '/v2/pay/*'], upstream: { nodes: [{ host: '10.0.0.2', port: 80 }] } }),
    change('e3', T0 - 240, 'UpdateRoute', 'PUT', { name: 'payments', paths: [] }, {
      error_message: 'invalid configuration: "paths" must not be empty',
      http_response: { status_code: 400, body: { error_msg: 'invalid configuration' } },
    }),
    change('e4', T0 - 120, 'UpdateRoute', 'PATCH', { desc: 'hotfix', upstream: { timeout: { connect: 5 } } }),
    change('e5', T0 - 60, 'UpdateRoute', 'PATCH', { desc: null }),
    change('e6', T0, 'DeleteRoute', 'DELETE', undefined),
    change('e7', T0 + 300, 'AddRoute', 'POST', { name: 'payments-v2', paths: ['/pay/*'] }, { resource_name: 'payments-v2', operator: ci, source: 'api', ip_address: '198.51.100.7' }),
    // Not changes of r-1042:
    entry({ id: 'x-login', event_time: T0 - 30, event_type: 'Login', resource_id: '', resource_name: '', operator: jane, http_request: { method: 'POST', uri: '/api/login' } }),
    entry({ id: 'x-export', event_time: T0 + 30, event_type: 'ExportAuditLogs', resource_id: '', resource_name: '', operator: jane, http_request: { method: 'GET', uri: '/api/audit_logs/export' } }),
    entry({ id: 'x-other', event_time: T0 + 60, event_type: 'UpdateService', resource_id: 's-7', resource_name: 'billing', operator: ci, http_request: { method: 'PUT', uri: '/api/gateway_groups/default/services/s-7', body: { name: 'billing' } } }),
  ];
}
