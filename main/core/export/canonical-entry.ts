import { canonicalJson } from '../records/canonical';
import { auditEntrySchema, type AuditEntry } from '../records/entry';
import { MAX_EVENT_TIME } from './plain-keys';

/**
 * The exact text every export format, leaf hash and proof agrees on for one record:
 * canonicalJson(entry). For the shape nearly every entry has (the published fields, no extra
 * keys) it is assembled from a fixed template, which is several times faster than the generic
 * key-sorting walk; anything else takes the generic path. Both give identical bytes (tested).
 */

const TOP_KEYS = [
  'error_message', 'event_time', 'event_type', 'gateway_group_id', 'http_request', 'http_response',
  'id', 'ip_address', 'operator', 'resource_id', 'resource_name', 'source', 'token_name',
];
const TOP_STRING_KEYS = TOP_KEYS.filter((k) => !['event_time', 'http_request', 'http_response', 'operator'].includes(k));
const OPERATOR_KEYS = ['email', 'first_name', 'id', 'last_name', 'username'];

type Loose = Record<string, unknown>;


const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True when `entry` has exactly the published fields with their validated types (no extras). */
export function hasPlainShape(e: Loose): boolean {
  if (Object.keys(e).length !== TOP_KEYS.length) return false;
  for (const k of TOP_STRING_KEYS) if (typeof e[k] !== 'string') return false;
  const t = e.event_time;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || t > MAX_EVENT_TIME) return false;
  const op = e.operator;
  if (!isObject(op) || Object.keys(op).length !== OPERATOR_KEYS.length) return false;
  for (const k of OPERATOR_KEYS) if (typeof op[k] !== 'string') return false;
  const req = e.http_request;
  if (!isObject(req)) return false;
  const reqKeys = 3 + ('body' in req ? 1 : 0);
  if (Object.keys(req).length !== reqKeys) return false;
  if (typeof req.method !== 'string' || typeof req.uri !== 'string' || typeof req.user_agent !== 'string') return false;
  const res = e.http_response;
  if (!isObject(res)) return false;
  if (Object.keys(res).length !== 1 + ('body' in res ? 1 : 0)) return false;
  return typeof res.status_code === 'number' && Number.isSafeInteger(res.status_code);
}

const str = JSON.stringify;

function bodyPart(holder: Loose, prefix: string): string {
  const body = holder.body;
  return body === undefined ? '' : `${prefix}"body":${canonicalJson(body)}`;
}

function templateCanonical(e: Loose): string {
  const op = e.operator as Record<string, string>;
  const req = e.http_request as Loose;
  const res = e.http_response as Loose;
  // Keys are written in code-unit order, as canonicalJson sorts them.
  const reqBody = bodyPart(req, '');
  const resBody = bodyPart(res, '');
  return (
    `{"error_message":${str(e.error_message)},"event_time":${e.event_time},"event_type":${str(e.event_type)}` +
    `,"gateway_group_id":${str(e.gateway_group_id)}` +
    `,"http_request":{${reqBody}${reqBody ? ',' : ''}"method":${str(req.method)},"uri":${str(req.uri)},"user_agent":${str(req.user_agent)}}` +
    `,"http_response":{${resBody}${resBody ? ',' : ''}"status_code":${res.status_code}}` +
    `,"id":${str(e.id)},"ip_address":${str(e.ip_address)}` +
    `,"operator":{"email":${str(op.email)},"first_name":${str(op.first_name)},"id":${str(op.id)},"last_name":${str(op.last_name)},"username":${str(op.username)}}` +
    `,"resource_id":${str(e.resource_id)},"resource_name":${str(e.resource_name)},"source":${str(e.source)},"token_name":${str(e.token_name)}}`
  );
}

/** canonicalJson(entry), fast for the common shape. */
export function canonicalEntryText(entry: AuditEntry | Loose): string {
  const e = entry as Loose;
  return hasPlainShape(e) ? templateCanonical(e) : canonicalJson(e);
}

/**
 * Makes sure an entry handed to the exporter has every published field with its validated type,
 * so all formats can represent it without loss. Entries from the cache already do (cheap check);
 * others go through the schema once. Throws a message naming the record when it cannot be used.
 */
export function normalizeEntry(entry: AuditEntry | Loose, position: number): AuditEntry {
  const e = entry as Loose;
  if (hasPlainShape(e)) return entry as AuditEntry;
  const parsed = auditEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'entry';
    throw new Error(`record #${position + 1} is not a valid audit entry (${where}: ${issue?.message ?? 'invalid'}); nothing was exported`);
  }
  // JSON round trip drops what JSON cannot carry (undefined, functions) so every format agrees.
  return JSON.parse(canonicalJson(parsed.data)) as AuditEntry;
}
