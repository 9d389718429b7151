import type { AuditEntry } from '../core/records/entry';

const COLUMNS = ['id', 'event_time', 'event_type', 'operator_id', 'operator_username', 'operator_email', 'source', 'token_name',
  'resource_id', 'resource_name', 'gateway_group_id', 'ip_address', 'http_method', 'http_uri', 'status_code', 'error_message', 'request_body'];

export const CSV_HEADER = COLUMNS.join(',');

/** One RFC 4180 row (with its line break) for the CSV export. */
export function toCsvRow(e: AuditEntry): string {
  const body = e.http_request.body === undefined ? '' : JSON.stringify(e.http_request.body);
  const cells = [e.id, String(e.event_time), e.event_type, e.operator.id, e.operator.username, e.operator.email, e.source, e.token_name,
    e.resource_id, e.resource_name, e.gateway_group_id, e.ip_address, e.http_request.method, e.http_request.uri,
    String(e.http_response.status_code), e.error_message, body];
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(value: string | undefined): string {
  const text = value ?? '';
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
