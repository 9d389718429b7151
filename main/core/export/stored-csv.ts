import { isoFromUnix } from './record-columns';

/**
 * The records.csv line of a stored record, written byte for byte from the UTF-8 of its canonical
 * text: the same bytes as UTF-8 of csvLine(plainStoredRow(text)), without a string per cell, a
 * string per line or a second UTF-8 encoding. On a 1M export those strings (and collecting them)
 * were most of the export thread's time.
 *
 * It takes the rows nearly every record gives: the plain shape (stored-row.ts) with no escape
 * sequence in any string value. For anything else it writes nothing and returns NOT_TAKEN, and the
 * caller takes the string route, which handles every record.
 *
 * Cell rules (csv-cells.ts) on such bytes: a JSON string without escapes holds no quote, CR, LF,
 * control character or lone surrogate, so its cell is quoted only for a comma; a body is canonical
 * JSON text, quoted when it holds a quote or comma, with quotes doubled. Either gets the formula
 * apostrophe when it starts with = + - @ or an apostrophe (TAB and CR cannot start them raw).
 */
export const NOT_TAKEN = -1;

/** Worst case of the line for `bytes` of stored text: every byte doubled, plus quotes and the ISO time. */
export function storedCsvLineBound(bytes: number): number {
  return 2 * bytes + 256;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const APOSTROPHE = 0x27;
/** Year 3000, the schema's upper bound for event_time. */
const MAX_EVENT_TIME = 32503680000;

/** Stored-text fields, in the order they appear in canonical text. */
const enum F {
  errorMessage, eventTime, eventType, gatewayGroupId,
  requestBody, method, uri, userAgent,
  responseBody, statusCode,
  id, ipAddress, email, firstName, operatorId, lastName, username,
  resourceId, resourceName, source, tokenName,
  count,
}

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const KEY = {
  errorMessage: bytesOf('{"error_message":'),
  eventTime: bytesOf(',"event_time":'),
  eventType: bytesOf(',"event_type":'),
  gatewayGroupId: bytesOf(',"gateway_group_id":'),
  httpRequest: bytesOf(',"http_request":{'),
  body: bytesOf('"body":'),
  method: bytesOf('"method":'),
  uri: bytesOf(',"uri":'),
  userAgent: bytesOf(',"user_agent":'),
  httpResponse: bytesOf('},"http_response":{'),
  statusCode: bytesOf('"status_code":'),
  id: bytesOf('},"id":'),
  ipAddress: bytesOf(',"ip_address":'),
  operatorEmail: bytesOf(',"operator":{"email":'),
  firstName: bytesOf(',"first_name":'),
  operatorId: bytesOf(',"id":'),
  lastName: bytesOf(',"last_name":'),
  username: bytesOf(',"username":'),
  resourceId: bytesOf('},"resource_id":'),
  resourceName: bytesOf(',"resource_name":'),
  source: bytesOf(',"source":'),
  tokenName: bytesOf(',"token_name":'),
  end: bytesOf('}'),
};

/** CSV column order (RECORD_COLUMNS) as stored-text fields; event_time and extra are written apart. */
const CELLS_BEFORE_TIME = [F.id];
const CELLS_AFTER_TIME = [
  F.eventType, F.source, F.tokenName,
  F.operatorId, F.username, F.email, F.firstName, F.lastName,
  F.resourceId, F.resourceName, F.gatewayGroupId, F.ipAddress, F.errorMessage,
  F.method, F.uri, F.userAgent, F.statusCode, F.requestBody, F.responseBody,
];

/** Thrown inside the reader when the record is not one it takes; never escapes it. */
const NOT_PLAIN = Symbol('not plain');

export class StoredCsvLineWriter {
  private readonly start = new Int32Array(F.count);
  private readonly end = new Int32Array(F.count);
  /** 1: the cell needs quotes (it holds a comma or a quote). */
  private readonly quote = new Uint8Array(F.count);
  private src: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private limit = 0;

  /**
   * Writes the line for the stored text in src[from, to) into out at `at` (out must have
   * storedCsvLineBound(to - from) bytes free there); returns the bytes written, or NOT_TAKEN.
   */
  write(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
    this.src = src;
    this.pos = from;
    this.limit = to;
    let eventTime: number;
    try {
      this.key(KEY.errorMessage);
      this.string(F.errorMessage);
      this.key(KEY.eventTime);
      this.integer(F.eventTime);
      this.key(KEY.eventType);
      this.string(F.eventType);
      this.key(KEY.gatewayGroupId);
      this.string(F.gatewayGroupId);
      this.key(KEY.httpRequest);
      this.optionalBody(F.requestBody);
      this.key(KEY.method);
      this.string(F.method);
      this.key(KEY.uri);
      this.string(F.uri);
      this.key(KEY.userAgent);
      this.string(F.userAgent);
      this.key(KEY.httpResponse);
      this.optionalBody(F.responseBody);
      this.key(KEY.statusCode);
      this.integer(F.statusCode);
      this.key(KEY.id);
      this.string(F.id);
      this.key(KEY.ipAddress);
      this.string(F.ipAddress);
      this.key(KEY.operatorEmail);
      this.string(F.email);
      this.key(KEY.firstName);
      this.string(F.firstName);
      this.key(KEY.operatorId);
      this.string(F.operatorId);
      this.key(KEY.lastName);
      this.string(F.lastName);
      this.key(KEY.username);
      this.string(F.username);
      this.key(KEY.resourceId);
      this.string(F.resourceId);
      this.key(KEY.resourceName);
      this.string(F.resourceName);
      this.key(KEY.source);
      this.string(F.source);
      this.key(KEY.tokenName);
      this.string(F.tokenName);
      this.key(KEY.end);
      if (this.pos !== to) return NOT_TAKEN;
      eventTime = this.eventTime();
    } catch (error) {
      if (error === NOT_PLAIN) return NOT_TAKEN;
      throw error;
    }

    let n = at;
    for (const field of CELLS_BEFORE_TIME) n = this.cell(field, out, n);
    out[n++] = COMMA;
    const iso = isoFromUnix(eventTime);
    for (let i = 0; i < iso.length; i++) out[n++] = iso.charCodeAt(i);
    for (const field of CELLS_AFTER_TIME) {
      out[n++] = COMMA;
      n = this.cell(field, out, n);
    }
    // extra: always empty for the plain shape.
    out[n++] = COMMA;
    out[n++] = 0x0d;
    out[n++] = 0x0a;
    return n - at;
  }

  private cell(field: F, out: Uint8Array, at: number): number {
    const src = this.src;
    const from = this.start[field];
    const to = this.end[field];
    let n = at;
    const quoted = this.quote[field] === 1;
    if (quoted) out[n++] = QUOTE;
    if (from < to) {
      const first = src[from];
      if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === APOSTROPHE) out[n++] = APOSTROPHE;
    }
    if (quoted) {
      for (let i = from; i < to; i++) {
        const c = src[i];
        out[n++] = c;
        if (c === QUOTE) out[n++] = QUOTE;
      }
      out[n++] = QUOTE;
    } else {
      for (let i = from; i < to; i++) out[n++] = src[i];
    }
    return n;
  }

  private key(literal: Uint8Array): void {
    const src = this.src;
    const at = this.pos;
    if (at + literal.length > this.limit) throw NOT_PLAIN;
    for (let i = 0; i < literal.length; i++) if (src[at + i] !== literal[i]) throw NOT_PLAIN;
    this.pos = at + literal.length;
  }

  /** A JSON string without escapes: its content bytes. */
  private string(field: F): void {
    const src = this.src;
    const limit = this.limit;
    let i = this.pos;
    if (i >= limit || src[i] !== QUOTE) throw NOT_PLAIN;
    i++;
    const from = i;
    let comma = 0;
    for (;;) {
      if (i >= limit) throw NOT_PLAIN;
      const c = src[i];
      if (c === QUOTE) break;
      // An escape means the value differs from its bytes; a raw control character is not JSON.
      if (c === BACKSLASH || c < 0x20) throw NOT_PLAIN;
      if (c === COMMA) comma = 1;
      i++;
    }
    this.start[field] = from;
    this.end[field] = i;
    this.quote[field] = comma;
    this.pos = i + 1;
  }

  /** An integer as canonical JSON writes a safe integer: no leading zero, no "-0", at most 15 digits. */
  private integer(field: F): void {
    const src = this.src;
    const from = this.pos;
    let i = from < this.limit && src[from] === 0x2d ? from + 1 : from;
    const digitsFrom = i;
    while (i < this.limit && src[i] >= 0x30 && src[i] <= 0x39) i++;
    const digits = i - digitsFrom;
    if (digits === 0 || digits > 15) throw NOT_PLAIN;
    if (src[digitsFrom] === 0x30 && (digits > 1 || digitsFrom > from)) throw NOT_PLAIN;
    this.start[field] = from;
    this.end[field] = i;
    this.quote[field] = 0;
    this.pos = i;
  }

  private eventTime(): number {
    const from = this.start[F.eventTime];
    const to = this.end[F.eventTime];
    if (this.src[from] === 0x2d) throw NOT_PLAIN;
    let value = 0;
    for (let i = from; i < to; i++) value = value * 10 + (this.src[i] - 0x30);
    if (value > MAX_EVENT_TIME) throw NOT_PLAIN;
    return value;
  }

  /** '"body":' and a JSON value followed by a comma, or nothing (an empty cell). */
  private optionalBody(field: F): void {
    if (!this.optionalKey(KEY.body)) {
      this.start[field] = 0;
      this.end[field] = 0;
      this.quote[field] = 0;
      return;
    }
    // Only the value's extent is found (see stored-row.ts: the cache wrote it as canonical JSON).
    const src = this.src;
    const limit = this.limit;
    const from = this.pos;
    let depth = 0;
    let quoteOrComma = 0;
    let i = from;
    for (; i < limit; i++) {
      const c = src[i];
      if (c === QUOTE) {
        quoteOrComma = 1;
        for (i++; i < limit; i++) {
          const s = src[i];
          if (s === QUOTE) break;
          if (s === BACKSLASH) i++;
        }
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth < 0) throw NOT_PLAIN;
      } else if (c === COMMA) {
        if (depth === 0) break;
        quoteOrComma = 1;
      }
    }
    if (i >= limit || i === from) throw NOT_PLAIN;
    this.start[field] = from;
    this.end[field] = i;
    this.quote[field] = quoteOrComma;
    this.pos = i + 1;
  }

  private optionalKey(literal: Uint8Array): boolean {
    const src = this.src;
    const at = this.pos;
    if (at + literal.length > this.limit) return false;
    for (let i = 0; i < literal.length; i++) if (src[at + i] !== literal[i]) return false;
    this.pos = at + literal.length;
    return true;
  }
}
