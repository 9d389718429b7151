import { canonicalJson } from '../records/canonical';
import type { AuditEntry } from '../records/entry';

/**
 * The flat, one-row-per-record view of an entry shared by records.csv and the XLSX Records sheet.
 * It is lossless: bodies are canonical JSON text, keys a gateway added beyond the published fields
 * go to `extra` (canonical JSON), and `rowToEntry` rebuilds the exact entry, which is how the
 * verifier recomputes the Merkle root from a CSV-only package.
 */
export const RECORD_COLUMNS = [
  'id', 'event_time', 'event_type', 'source', 'token_name',
  'operator_id', 'operator_username', 'operator_email', 'operator_first_name', 'operator_last_name',
  'resource_id', 'resource_name', 'gateway_group_id', 'ip_address', 'error_message',
  'http_method', 'http_uri', 'http_user_agent', 'http_status_code', 'http_request_body', 'http_response_body',
  'extra',
] as const;

const KNOWN_TOP = new Set(['id', 'event_time', 'event_type', 'source', 'token_name', 'operator', 'resource_id', 'resource_name', 'gateway_group_id', 'ip_address', 'error_message', 'http_request', 'http_response']);
const KNOWN_OPERATOR = new Set(['id', 'username', 'email', 'first_name', 'last_name']);
const KNOWN_REQUEST = new Set(['method', 'uri', 'user_agent', 'body']);
const KNOWN_RESPONSE = new Set(['status_code', 'body']);

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** First second of year 10000: from there on toISOString writes a six-digit signed year. */
const YEAR_10000 = 253402300800;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/** Unix seconds → '2025-11-25T09:00:00Z' (ISO 8601 UTC, no milliseconds: API7 times are whole seconds). */
export function isoFromUnix(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds >= YEAR_10000) return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  // Exports run in time order, so consecutive records mostly share a day: format the date part
  // once per day and only the time of day per record.
  const day = Math.floor(seconds / 86_400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const s = seconds - day * 86_400;
  return `${cachedDayPrefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
}

/** '2025-11-25T09:00:00Z' → Unix seconds, or null when the text is not such a time. */
export function unixFromIso(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

function extrasOf(source: Record<string, unknown>, known: Set<string>): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(source)) {
    if (known.has(key) || source[key] === undefined) continue;
    // Prototype-free so a "__proto__" key stays an ordinary key (see canonical.ts).
    (out ??= Object.create(null) as Record<string, unknown>)[key] = source[key];
  }
  return out;
}

function extraCell(entry: AuditEntry): string {
  const e = entry as unknown as Record<string, unknown>;
  const extra = extrasOf(e, KNOWN_TOP) ?? (Object.create(null) as Record<string, unknown>);
  const op = extrasOf(entry.operator as Record<string, unknown>, KNOWN_OPERATOR);
  const req = extrasOf(entry.http_request as Record<string, unknown>, KNOWN_REQUEST);
  const res = extrasOf(entry.http_response as Record<string, unknown>, KNOWN_RESPONSE);
  if (op) extra.operator = op;
  if (req) extra.http_request = req;
  if (res) extra.http_response = res;
  return Object.keys(extra).length === 0 ? '' : canonicalJson(extra);
}

const bodyCell = (body: unknown): string => (body === undefined ? '' : canonicalJson(body));

/** One record as text cells, in RECORD_COLUMNS order. Expects a normalized entry. */
export function entryToRow(entry: AuditEntry): string[] {
  const op = entry.operator;
  const req = entry.http_request;
  return [
    entry.id, isoFromUnix(entry.event_time), entry.event_type, entry.source, entry.token_name,
    op.id, op.username, op.email, op.first_name, op.last_name,
    entry.resource_id, entry.resource_name, entry.gateway_group_id, entry.ip_address, entry.error_message,
    req.method, req.uri, req.user_agent, String(entry.http_response.status_code),
    bodyCell(req.body), bodyCell(entry.http_response.body), extraCell(entry),
  ];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Inverse of entryToRow. Returns a reason instead of throwing, because the verifier feeds it
 * whatever a (possibly hostile) file contains.
 */
export function rowToEntry(cells: string[]): { ok: true; entry: AuditEntry } | { ok: false; error: string } {
  if (cells.length !== RECORD_COLUMNS.length) return { ok: false, error: `expected ${RECORD_COLUMNS.length} columns, found ${cells.length}` };
  const [id, time, eventType, source, tokenName, opId, opUser, opEmail, opFirst, opLast, resId, resName, group, ip, err, method, uri, ua, status, reqBody, resBody, extraText] = cells;
  const eventTime = unixFromIso(time);
  if (eventTime === null) return { ok: false, error: `event_time "${time.slice(0, 40)}" is not an ISO 8601 UTC time` };
  if (!/^-?\d{1,15}$/.test(status)) return { ok: false, error: `http_status_code "${status.slice(0, 20)}" is not an integer` };
  let extra: Record<string, unknown> = {};
  try {
    const parsedExtra: unknown = extraText === '' ? {} : JSON.parse(extraText);
    if (!isPlainObject(parsedExtra)) return { ok: false, error: 'extra is not a JSON object' };
    extra = parsedExtra;
  } catch {
    return { ok: false, error: 'extra is not valid JSON' };
  }
  const nested = (key: string): Record<string, unknown> => {
    const v = extra[key];
    return isPlainObject(v) ? v : {};
  };
  const parseBody = (text: string): { ok: boolean; value?: unknown } => {
    if (text === '') return { ok: true };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  };
  const rq = parseBody(reqBody);
  const rs = parseBody(resBody);
  if (!rq.ok) return { ok: false, error: 'http_request_body is not valid JSON' };
  if (!rs.ok) return { ok: false, error: 'http_response_body is not valid JSON' };
  const { operator: _o, http_request: _q, http_response: _r, ...topExtra } = extra;
  const http_request: Record<string, unknown> = { ...nested('http_request'), method, uri, user_agent: ua };
  if (rq.value !== undefined) http_request.body = rq.value;
  const http_response: Record<string, unknown> = { ...nested('http_response'), status_code: Number(status) };
  if (rs.value !== undefined) http_response.body = rs.value;
  const entry = {
    ...topExtra,
    id, event_time: eventTime, event_type: eventType, source, token_name: tokenName,
    operator: { ...nested('operator'), id: opId, username: opUser, email: opEmail, first_name: opFirst, last_name: opLast },
    resource_id: resId, resource_name: resName, gateway_group_id: group, ip_address: ip, error_message: err,
    http_request, http_response,
  };
  return { ok: true, entry: entry as unknown as AuditEntry };
}
