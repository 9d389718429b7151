import type { RecordRow } from '../../../preload/contract';
import { eventType } from '../catalog/catalog';

/** The columns the review table needs, plus the per-row finding and annotation marks. */
export const ROW_COLUMNS = `
  r.seq, r.id, r.event_time, r.operator_id, r.operator_username, r.operator_email, r.event_type,
  r.resource_id, r.resource_name, r.gateway_group_id, r.ip_address, r.source, r.token_name,
  r.http_method, r.http_uri, r.status_code, r.error_message, r.failed, r.warnings,
  (SELECT max(CASE f.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)
     FROM finding_records fr JOIN findings f ON f.id = fr.finding_id
    WHERE fr.record_seq = r.seq AND f.suppressed = 0) AS severity_rank,
  EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id) AS annotated,
  (SELECT a.value FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'status'
    ORDER BY a.updated_at DESC LIMIT 1) AS review_status`;

export interface RawRow {
  seq: number;
  id: string;
  event_time: number;
  operator_id: string;
  operator_username: string;
  operator_email: string;
  event_type: string;
  resource_id: string;
  resource_name: string;
  gateway_group_id: string;
  ip_address: string;
  source: string;
  token_name: string;
  http_method: string;
  http_uri: string;
  status_code: number;
  error_message: string;
  failed: number;
  warnings: string | null;
  severity_rank: number | null;
  annotated: number;
  review_status: string | null;
}

const SEVERITY = [null, 'low', 'medium', 'high'] as const;

export function toRecordRow(raw: RawRow): RecordRow {
  const type = eventType(raw.event_type);
  return {
    seq: raw.seq,
    id: raw.id,
    event_time: raw.event_time,
    operator_id: raw.operator_id,
    operator_username: raw.operator_username,
    operator_email: raw.operator_email,
    event_type: raw.event_type,
    event_name: type.name,
    category: type.category,
    resource_id: raw.resource_id,
    resource_name: raw.resource_name,
    gateway_group_id: raw.gateway_group_id,
    ip_address: raw.ip_address,
    source: raw.source,
    token_name: raw.token_name,
    http_method: raw.http_method,
    http_uri: raw.http_uri,
    status_code: raw.status_code,
    error_message: raw.error_message,
    failed: raw.failed === 1,
    severity: SEVERITY[raw.severity_rank ?? 0] ?? null,
    annotated: raw.annotated === 1,
    review_status: raw.review_status,
    warnings: raw.warnings ? (JSON.parse(raw.warnings) as string[]) : [],
  };
}
