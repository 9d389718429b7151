import { canonicalJson } from '../records/canonical';
import type { AuditEntry } from '../records/entry';
import { hasPlainShape } from './canonical-entry';

/**
 * A record as the cache stores it: `canonical` is canonicalJson of the validated entry (see
 * cache/record-row.ts), which is exactly the text an export hashes and writes to records.json. For
 * the usual shape (the published fields, nothing extra) the exporter can therefore use that text as
 * is instead of rebuilding it, and take the two body cells of records.csv straight out of it.
 */
export interface StoredRecord {
  entry: AuditEntry;
  /** Present when the entry has the plain shape: its canonical text and body cells, ready to use. */
  plain: { canonical: string; requestBody: string; responseBody: string } | null;
}

const REQUEST_KEY = ',"http_request":{';
const RESPONSE_KEY = ',"http_response":{';
const BODY_KEY = '"body":';
const COMMA = 44;

export function parseStoredRecord(canonical: string): StoredRecord {
  const entry = JSON.parse(canonical) as AuditEntry;
  if (!hasPlainShape(entry as unknown as Record<string, unknown>)) return { entry, plain: null };
  // In canonical JSON every quote inside a string is escaped, so these key sequences cannot occur
  // inside a value; the keys before http_request are plain strings and a number, so the first match
  // is the real key. The response key is searched only after the request body for the same reason.
  const requestAt = canonical.indexOf(REQUEST_KEY);
  const request = bodyAt(canonical, requestAt + REQUEST_KEY.length, entry.http_request.body);
  const responseAt = canonical.indexOf(RESPONSE_KEY, request.end);
  const response = bodyAt(canonical, responseAt + RESPONSE_KEY.length, entry.http_response.body);
  return { entry, plain: { canonical, requestBody: request.text, responseBody: response.text } };
}

/**
 * The canonical text of a body that starts at `at` (after `{`), or '' when there is none.
 * JSON.stringify of the parsed body is that text unless key order changed in the round trip
 * (integer-like keys, which V8 lists first): the text check below catches that, and the generic
 * canonicalJson is used instead. A complete JSON value followed by a comma cannot be a prefix of a
 * different value, so a match proves the text is the one stored.
 */
function bodyAt(canonical: string, at: number, body: unknown): { text: string; end: number } {
  if (body === undefined) return { text: '', end: at };
  const start = at + BODY_KEY.length;
  const fast = JSON.stringify(body);
  if (canonical.startsWith(BODY_KEY, at) && canonical.startsWith(fast, start) && canonical.charCodeAt(start + fast.length) === COMMA) {
    return { text: fast, end: start + fast.length };
  }
  const text = canonicalJson(body);
  return { text, end: start + text.length };
}
