import { csvCell } from './csv-cells';
import { MAX_EVENT_TIME, PLAIN_KEYS } from './plain-keys';
import { isoFromUnix } from './record-columns';

/**
 * A record as the cache stores it, read from the UTF-8 of its text without JSON.parse.
 *
 * The cache stores canonicalJson of the validated entry (cache/record-row.ts). For the shape nearly
 * every record has (the published fields with their validated types, nothing extra) that text is a
 * fixed sequence of keys in code-unit order, so one pass over its bytes finds every field. The
 * export then hashes those bytes as the record's leaf, copies them to records.json, and writes the
 * records.csv line straight from them — the same bytes as csvLine(entryToRow(entry)), without the
 * entry, a string per cell or a second UTF-8 encoding; on a 1M export, building and collecting
 * those strings was most of the export thread's time. The XLSX writer asks for the cells as strings.
 * A text that leaves the key sequence (an extra key, a value of another type) is not read, and the
 * caller parses it the general way.
 *
 * Cell rules (csv-cells.ts) on these bytes: a JSON string without escapes holds no quote, CR, LF,
 * control character or lone surrogate, so its cell is quoted only for a comma; a body is its own
 * canonical JSON text (the slice), quoted when it holds a quote or comma, with quotes doubled. Either
 * gets the formula apostrophe when it starts with = + - @ or an apostrophe (TAB and CR cannot start
 * them raw). A string with escapes is decoded with JSON.parse and goes through csvCell.
 */

/** Worst case of the CSV line for `bytes` of stored text: every byte doubled, plus quotes and the ISO time. */
export function storedCsvLineBound(bytes: number): number {
  return 2 * bytes + 256;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const APOSTROPHE = 0x27;

/** Stored-text fields, in the order they appear in canonical text. */
const enum F {
  errorMessage, eventTime, eventType, gatewayGroupId,
  requestBody, method, uri, userAgent,
  responseBody, statusCode,
  id, ipAddress, email, firstName, operatorId, lastName, username,
  resourceId, resourceName, source, tokenName,
  count,
}

const KEY = PLAIN_KEYS;

/** CSV column order (RECORD_COLUMNS) as stored-text fields; event_time and extra are apart. */
const CELLS_AFTER_TIME = [
  F.eventType, F.source, F.tokenName,
  F.operatorId, F.username, F.email, F.firstName, F.lastName,
  F.resourceId, F.resourceName, F.gatewayGroupId, F.ipAddress, F.errorMessage,
  F.method, F.uri, F.userAgent, F.statusCode, F.requestBody, F.responseBody,
];

/** Thrown inside the reader when the record is not one it takes; never escapes it. */
const NOT_PLAIN = Symbol('not plain');

export class StoredRecordReader {
  private readonly start = new Int32Array(F.count);
  private readonly end = new Int32Array(F.count);
  /** 1: the cell needs quotes (it holds a comma or a quote). */
  private readonly quote = new Uint8Array(F.count);
  /** The value of each string with escapes (decoded); null for the others. */
  private readonly decoded: Array<string | null> = new Array<string | null>(F.count).fill(null);
  private src: Buffer = Buffer.alloc(0);
  private pos = 0;
  private limit = 0;
  private eventTime = 0;

  /** Reads the stored text in src[from, to); false when it is not a record of the usual shape. */
  read(src: Buffer, from: number, to: number): boolean {
    this.src = src;
    this.pos = from;
    this.limit = to;
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
      if (this.pos !== to) return false;
      this.eventTime = this.timeValue();
      return true;
    } catch (error) {
      if (error === NOT_PLAIN) return false;
      throw error;
    }
  }

  /**
   * Writes the records.csv line of the record just read into out at `at` (out must have
   * storedCsvLineBound(record bytes) free there); returns the bytes written.
   */
  csvLine(out: Buffer, at: number): number {
    let n = this.cell(F.id, out, at);
    out[n++] = COMMA;
    const iso = isoFromUnix(this.eventTime);
    for (let i = 0; i < iso.length; i++) out[n++] = iso.charCodeAt(i);
    for (const field of CELLS_AFTER_TIME) {
      out[n++] = COMMA;
      n = this.cell(field, out, n);
    }
    // extra: always empty for the usual shape.
    out[n++] = COMMA;
    out[n++] = 0x0d;
    out[n++] = 0x0a;
    return n - at;
  }

  /** The record just read as RECORD_COLUMNS cells (entryToRow of its entry). */
  cells(): string[] {
    const text = (field: F) => this.decoded[field] ?? this.src.toString('utf8', this.start[field], this.end[field]);
    return [
      text(F.id), isoFromUnix(this.eventTime), ...CELLS_AFTER_TIME.map(text), '',
    ];
  }

  private cell(field: F, out: Buffer, at: number): number {
    const value = this.decoded[field];
    if (value !== null) return at + out.write(csvCell(value), at, 'utf8');
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
    if (!this.optionalKey(literal)) throw NOT_PLAIN;
  }

  /** A JSON string: its content bytes, and its value when it has escapes. */
  private string(field: F): void {
    const src = this.src;
    const limit = this.limit;
    let i = this.pos;
    if (i >= limit || src[i] !== QUOTE) throw NOT_PLAIN;
    i++;
    const from = i;
    let comma = 0;
    let escaped = false;
    for (;;) {
      if (i >= limit) throw NOT_PLAIN;
      const c = src[i];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      // A raw control character is not JSON.
      if (c < 0x20) throw NOT_PLAIN;
      if (c === COMMA) comma = 1;
      i++;
    }
    this.start[field] = from;
    this.end[field] = i;
    this.quote[field] = comma;
    this.decoded[field] = escaped ? decodeString(src.toString('utf8', from - 1, i + 1)) : null;
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
    this.decoded[field] = null;
    this.pos = i;
  }

  private timeValue(): number {
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
    this.decoded[field] = null;
    if (!this.optionalKey(KEY.body)) {
      this.start[field] = 0;
      this.end[field] = 0;
      this.quote[field] = 0;
      return;
    }
    // Only the value's extent is found (strings skipped, brackets counted), not its grammar: the
    // stored text is canonicalJson's output, which the cache wrote itself inside an authenticated
    // page, so the slice is the body's canonical text. Parsing it again to be sure would cost as
    // much as the JSON.parse this reader replaces.
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

function decodeString(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    throw NOT_PLAIN;
  }
}
