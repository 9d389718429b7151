import { z } from 'zod';

/**
 * One API7 audit-log entry as the gateway publishes it (see shared/api7/README.md).
 *
 * The schema is deliberately tolerant of variants real gateways send (missing optional fields,
 * nulls, numeric ids, extra keys) but strict about what we cannot work without: an id and an
 * event time. Unknown keys are kept (`passthrough`) so nothing a gateway says is silently dropped.
 */
const optionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

export const operatorSchema = z
  .object({
    id: optionalText,
    username: optionalText,
    email: optionalText,
    first_name: optionalText,
    last_name: optionalText,
  })
  .passthrough();

export const httpRequestSchema = z
  .object({
    method: optionalText,
    uri: optionalText,
    body: z.unknown().optional(),
    user_agent: optionalText,
  })
  .passthrough();

export const httpResponseSchema = z
  .object({
    status_code: z.coerce.number().int().min(0).max(999).optional().default(0),
    body: z.unknown().optional(),
  })
  .passthrough();

export const auditEntrySchema = z
  .object({
    id: z.union([z.string().min(1).max(200), z.number().int()]).transform(String),
    event_time: z.coerce.number().int().min(0).max(32503680000),
    operator: z
      .union([operatorSchema, z.null()])
      .optional()
      .transform((o) => o ?? { id: '', username: '', email: '', first_name: '', last_name: '' }),
    source: optionalText,
    token_name: optionalText,
    event_type: z.string().max(200),
    resource_id: optionalText,
    resource_name: optionalText,
    gateway_group_id: optionalText,
    ip_address: optionalText,
    error_message: optionalText,
    http_request: z
      .union([httpRequestSchema, z.null()])
      .optional()
      .transform((r) => r ?? { method: '', uri: '', user_agent: '' }),
    http_response: z
      .union([httpResponseSchema, z.null()])
      .optional()
      .transform((r) => r ?? { status_code: 0 }),
  })
  .passthrough();

/** An entry after validation: every published field present, strings never null. */
export type AuditEntry = z.output<typeof auditEntrySchema>;

/** What a gateway or file may hand us before validation. */
export type RawAuditEntry = z.input<typeof auditEntrySchema>;

/**
 * Deeper values are refused: validation, canonical JSON and JSON.stringify all recurse, and a
 * hostile 5,000-level body would otherwise overflow the stack and abort a whole import or sync.
 */
export const MAX_NESTING_DEPTH = 1_000;

/** Nesting depth of a JSON value, measured without recursion; stops counting past `limit`. */
function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Validate one entry; the error message names the first offending field. */
export function parseAuditEntry(raw: unknown): { ok: true; entry: AuditEntry } | { ok: false; error: string } {
  if (nestingDepthExceeds(raw, MAX_NESTING_DEPTH)) return { ok: false, error: `entry: nested more than ${MAX_NESTING_DEPTH} levels deep; refused` };
  const result = auditEntrySchema.safeParse(raw);
  if (result.success) return { ok: true, entry: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'entry';
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** "failed" as the anomaly rules and the UI define it: HTTP status >= 400 or an error message. */
export function isFailed(entry: Pick<AuditEntry, 'http_response' | 'error_message'>): boolean {
  return (entry.http_response?.status_code ?? 0) >= 400 || (entry.error_message ?? '') !== '';
}
