import { canonicalJson, sha256Hex } from '../records/canonical';
import { isFailed, type AuditEntry } from '../records/entry';
import { maskSecrets } from '../records/secrets';

/** Warning stored with a record whose bodies held a secret the gateway had not masked. */
export const WARNING_SECRET_MASKED = 'secret masked on ingest';

/** The column values of one `records` row, before chaining (see migrations/001_initial.ts). */
export interface RecordRow {
  id: string;
  event_time: number;
  operator_id: string;
  operator_username: string;
  operator_email: string;
  operator_name: string;
  source: string;
  token_name: string;
  event_type: string;
  resource_id: string;
  resource_name: string;
  gateway_group_id: string;
  ip_address: string;
  error_message: string;
  http_method: string;
  http_uri: string;
  status_code: number;
  user_agent: string;
  request_body: string | null;
  response_body: string | null;
  failed: 0 | 1;
  canonical: string;
  sha256: string;
  warnings: string | null;
}

/**
 * Turns a validated entry into its stored form. Secrets are masked first, so neither the row, the
 * canonical JSON nor its hash ever depend on a secret value.
 */
export function entryToRow(entry: AuditEntry, extraWarnings: readonly string[] = []): RecordRow {
  const masked = maskSecrets(entry);
  const e = masked.value;
  const warnings = masked.changed ? [WARNING_SECRET_MASKED, ...extraWarnings] : [...extraWarnings];
  const op = e.operator;
  const request = e.http_request as { method?: string; uri?: string; user_agent?: string; body?: unknown };
  const response = e.http_response as { status_code?: number; body?: unknown };
  // The bodies are stored on their own too: write each once and reuse the text inside the record.
  const requestBody = request.body === undefined ? null : canonicalJson(request.body);
  const responseBody = response.body === undefined ? null : canonicalJson(response.body);
  const known = new Map<object, string>();
  if (requestBody !== null && typeof request.body === 'object' && request.body !== null) known.set(request.body, requestBody);
  if (responseBody !== null && typeof response.body === 'object' && response.body !== null) known.set(response.body, responseBody);
  const canonical = canonicalJson(e, known);
  return {
    id: e.id,
    event_time: e.event_time,
    operator_id: op.id ?? '',
    operator_username: op.username ?? '',
    operator_email: op.email ?? '',
    operator_name: `${op.first_name ?? ''} ${op.last_name ?? ''}`.trim(),
    source: e.source,
    token_name: e.token_name,
    event_type: e.event_type,
    resource_id: e.resource_id,
    resource_name: e.resource_name,
    gateway_group_id: e.gateway_group_id,
    ip_address: e.ip_address,
    error_message: e.error_message,
    http_method: request.method ?? '',
    http_uri: request.uri ?? '',
    status_code: response.status_code ?? 0,
    user_agent: request.user_agent ?? '',
    request_body: requestBody,
    response_body: responseBody,
    failed: isFailed(e) ? 1 : 0,
    canonical,
    sha256: sha256Hex(canonical),
    warnings: warnings.length > 0 ? JSON.stringify(warnings) : null,
  };
}
