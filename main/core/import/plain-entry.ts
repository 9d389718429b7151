import { MAX_NESTING_DEPTH, parseAuditEntry, type AuditEntry } from '../records/entry';

type Json = Record<string, unknown>;

const TOP_TEXT = ['source', 'token_name', 'resource_id', 'resource_name', 'gateway_group_id', 'ip_address', 'error_message'] as const;
const OPERATOR_TEXT = ['id', 'username', 'email', 'first_name', 'last_name'] as const;
const REQUEST_TEXT = ['method', 'uri', 'user_agent'] as const;
/** The schema's upper bound for event_time (year 3000). */
const MAX_EVENT_TIME = 32_503_680_000;

/**
 * Validates one raw entry. Import checks every record of a file before storing any and then reads
 * it again to store it, so validation runs twice per record; the schema (zod) costs more than the
 * JSON parse. Records in exactly the shape gateways export — every field present with its
 * published type — are checked here directly and used as they are: for those the schema would
 * only copy them. Anything else (a missing field, a number where text belongs, null, a
 * `__proto__` key, deep nesting) goes to `parseAuditEntry`, which stays the authority on what is
 * valid and on the wording of every error.
 */
export function validateEntry(raw: unknown): { ok: true; entry: AuditEntry } | { ok: false; error: string } {
  return isPlainEntry(raw) ? { ok: true, entry: raw as unknown as AuditEntry } : parseAuditEntry(raw);
}

/** True only where the schema would accept `raw` and return an equal value. */
export function isPlainEntry(raw: unknown): boolean {
  if (!isRecord(raw)) return false;
  const { id, event_time: time, event_type: type, operator, http_request: request, http_response: response } = raw;
  if (typeof id !== 'string' || id.length < 1 || id.length > 200) return false;
  if (typeof time !== 'number' || !Number.isInteger(time) || time < 0 || time > MAX_EVENT_TIME) return false;
  if (typeof type !== 'string' || type.length > 200) return false;
  if (!allText(raw, TOP_TEXT)) return false;
  if (!isRecord(operator) || !allText(operator, OPERATOR_TEXT)) return false;
  if (!isRecord(request) || !allText(request, REQUEST_TEXT)) return false;
  if (!isRecord(response)) return false;
  const status = response.status_code;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) return false;
  return !nestedDeeperThan(raw, MAX_NESTING_DEPTH, 0);
}

/** A plain object as JSON.parse makes it, without an own `__proto__` key (the schema drops those). */
function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, '__proto__');
}

function allText(object: Json, keys: readonly string[]): boolean {
  for (const key of keys) if (typeof object[key] !== 'string') return false;
  return true;
}

/**
 * The same test as the schema's nesting guard (an object or array `limit` levels below the root),
 * by recursion that stops at `limit`, so it never goes deeper than the guard allows.
 */
function nestedDeeperThan(value: unknown, limit: number, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= limit) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestedDeeperThan(item, limit, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (nestedDeeperThan((value as Json)[key], limit, depth + 1)) return true;
  return false;
}
