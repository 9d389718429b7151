import { isoFromUnix } from './record-columns';

/**
 * The records.csv cells of a record as the cache stores it, read straight from its text.
 *
 * The cache stores canonicalJson of the validated entry (cache/record-row.ts). For the shape nearly
 * every record has (the published fields with their validated types, nothing extra) that text is a
 * fixed sequence of keys in code-unit order, so the cells can be cut out of it in one pass instead
 * of JSON.parse building the whole entry (bodies included) and JSON.stringify writing the bodies
 * back: on a 1M export that round trip was the largest cost of the export thread. Strings without
 * escapes are used as they lie; a string with escapes goes through JSON.parse; a body is its own
 * canonical text, so its cell is the exact slice. A text that leaves the key sequence (an extra
 * key, a value of another type) returns null, and the caller takes the general path.
 *
 * For any stored text the cells are entryToRow(JSON.parse(text)) (property-tested).
 */

/** Year 3000, the schema's upper bound for event_time. */
const MAX_EVENT_TIME = 32503680000;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/** Keys as they follow each other in canonical text; the body keys are optional. */
const K = {
  errorMessage: '{"error_message":',
  eventTime: ',"event_time":',
  eventType: ',"event_type":',
  gatewayGroupId: ',"gateway_group_id":',
  httpRequest: ',"http_request":{',
  body: '"body":',
  method: '"method":',
  uri: ',"uri":',
  userAgent: ',"user_agent":',
  httpResponse: '},"http_response":{',
  statusCode: '"status_code":',
  id: '},"id":',
  ipAddress: ',"ip_address":',
  operatorEmail: ',"operator":{"email":',
  firstName: ',"first_name":',
  operatorId: ',"id":',
  lastName: ',"last_name":',
  username: ',"username":',
  resourceId: '},"resource_id":',
  resourceName: ',"resource_name":',
  source: ',"source":',
  tokenName: ',"token_name":',
};

/** Thrown inside the reader when the text leaves the expected sequence; never escapes it. */
const NOT_PLAIN = Symbol('not plain');

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  key(literal: string): void {
    if (!this.text.startsWith(literal, this.pos)) throw NOT_PLAIN;
    this.pos += literal.length;
  }

  optionalKey(literal: string): boolean {
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  /** A JSON string literal's value. */
  string(): string {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(start) !== QUOTE) throw NOT_PLAIN;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      // Raw control characters are not JSON (and NaN is the end of the text).
      if (!(c >= 0x20)) throw NOT_PLAIN;
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return text.slice(start + 1, i);
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      throw NOT_PLAIN;
    }
  }

  /** An integer as canonical JSON writes it (no leading zero, no "-0"), within the safe range. */
  integer(): number {
    const text = this.text;
    const start = this.pos;
    let i = text.charCodeAt(start) === 0x2d ? start + 1 : start;
    const digitsFrom = i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const digits = text.slice(start, i);
    const value = Number(digits);
    if (i === digitsFrom || !Number.isSafeInteger(value) || String(value) !== digits) throw NOT_PLAIN;
    this.pos = i;
    return value;
  }

  /**
   * The text of one JSON value (a body) up to the comma after it. Only its extent is found (strings
   * skipped, brackets counted), not its grammar: the stored text is canonicalJson's output, which
   * the cache wrote itself inside an authenticated page, so the slice is the body's canonical text.
   * Parsing it again to be sure cost as much as the JSON.parse this reader replaces (measured).
   */
  bodyValue(): string {
    const text = this.text;
    const start = this.pos;
    let depth = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        for (i++; i < text.length; i++) {
          const s = text.charCodeAt(i);
          if (s === QUOTE) break;
          if (s === BACKSLASH) i++;
        }
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth < 0) throw NOT_PLAIN;
      } else if (c === COMMA && depth === 0) {
        break;
      }
    }
    if (i >= text.length || i === start) throw NOT_PLAIN;
    this.pos = i + 1;
    return text.slice(start, i);
  }

  end(): void {
    if (this.pos !== this.text.length) throw NOT_PLAIN;
  }
}

/** RECORD_COLUMNS cells of a stored record of the plain shape, or null when it has another shape. */
export function plainStoredRow(text: string): string[] | null {
  const r = new Reader(text);
  try {
    r.key(K.errorMessage);
    const errorMessage = r.string();
    r.key(K.eventTime);
    const eventTime = r.integer();
    if (eventTime < 0 || eventTime > MAX_EVENT_TIME) return null;
    r.key(K.eventType);
    const eventType = r.string();
    r.key(K.gatewayGroupId);
    const gatewayGroupId = r.string();
    r.key(K.httpRequest);
    const requestBody = r.optionalKey(K.body) ? r.bodyValue() : '';
    r.key(K.method);
    const method = r.string();
    r.key(K.uri);
    const uri = r.string();
    r.key(K.userAgent);
    const userAgent = r.string();
    r.key(K.httpResponse);
    const responseBody = r.optionalKey(K.body) ? r.bodyValue() : '';
    r.key(K.statusCode);
    const statusCode = r.integer();
    r.key(K.id);
    const id = r.string();
    r.key(K.ipAddress);
    const ipAddress = r.string();
    r.key(K.operatorEmail);
    const email = r.string();
    r.key(K.firstName);
    const firstName = r.string();
    r.key(K.operatorId);
    const operatorId = r.string();
    r.key(K.lastName);
    const lastName = r.string();
    r.key(K.username);
    const username = r.string();
    r.key(K.resourceId);
    const resourceId = r.string();
    r.key(K.resourceName);
    const resourceName = r.string();
    r.key(K.source);
    const source = r.string();
    r.key(K.tokenName);
    const tokenName = r.string();
    r.key('}');
    r.end();
    // RECORD_COLUMNS order (record-columns.ts).
    return [
      id, isoFromUnix(eventTime), eventType, source, tokenName,
      operatorId, username, email, firstName, lastName,
      resourceId, resourceName, gatewayGroupId, ipAddress, errorMessage,
      method, uri, userAgent, String(statusCode), requestBody, responseBody,
      '',
    ];
  } catch (error) {
    if (error === NOT_PLAIN) return null;
    throw error;
  }
}
