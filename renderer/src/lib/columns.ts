import type { RecordRow, Sort } from '../../../preload/contract';

/** The table's columns: which field, its header, default width, and whether it can sort. */
export interface ColumnDef {
  id: string;
  header: string;
  width: number;
  sortKey?: Sort['column'];
  text(row: RecordRow): string;
}

export const COLUMNS: ColumnDef[] = [
  { id: 'event_time', header: 'Time', width: 170, sortKey: 'event_time', text: () => '' /* formatted by the table */ },
  { id: 'operator', header: 'Operator', width: 140, sortKey: 'operator_username', text: (r) => r.operator_username || r.operator_id || '(none)' },
  { id: 'event_type', header: 'Event', width: 190, sortKey: 'event_type', text: (r) => r.event_name },
  { id: 'resource', header: 'Resource', width: 180, sortKey: 'resource_name', text: (r) => r.resource_name || r.resource_id },
  { id: 'ip_address', header: 'IP', width: 130, sortKey: 'ip_address', text: (r) => r.ip_address },
  { id: 'status_code', header: 'Status', width: 70, sortKey: 'status_code', text: (r) => (r.status_code ? String(r.status_code) : '') },
  { id: 'source', header: 'Source', width: 90, sortKey: 'source', text: (r) => r.source },
  { id: 'token_name', header: 'Token', width: 130, sortKey: 'token_name', text: (r) => r.token_name },
  { id: 'http_method', header: 'Method', width: 70, sortKey: 'http_method', text: (r) => r.http_method },
  { id: 'http_uri', header: 'URI', width: 260, text: (r) => r.http_uri },
  { id: 'error_message', header: 'Error', width: 220, text: (r) => r.error_message },
  { id: 'review_status', header: 'Review', width: 110, text: (r) => r.review_status ?? '' },
  { id: 'resource_id', header: 'Resource id', width: 120, sortKey: 'resource_id', text: (r) => r.resource_id },
];

export const DEFAULT_COLUMNS = ['event_time', 'operator', 'event_type', 'resource', 'ip_address', 'status_code', 'source', 'token_name'];

export function columnById(id: string): ColumnDef | undefined {
  return COLUMNS.find((c) => c.id === id);
}
