import { hash } from 'node:crypto';
import { restoreCell } from '../export/csv-cells';
import { rowToEntry, unixFromIso } from '../export/record-columns';
import { MAX_EVENT_TIME, PLAIN_KEYS } from '../export/plain-keys';
import { canonicalJson } from '../records/canonical';
import { isCanonicalJson } from './canonical-check';
import type { CsvRowFields } from './csv-row-bytes';

/**
 * The leaf hash of one records.csv row: SHA-256 of 0x00 and the UTF-8 of exactly the text the
 * thorough scan computes, canonicalEntryText(rowToEntry(cells.map(restoreCell))), which is by
 * definition canonicalJson of that entry (canonicalEntryText only assembles it faster; using
 * canonicalJson here keeps zod, which canonical-entry.ts loads, out of the hashing threads).
 *
 * Nearly every row is a record with the published fields only (empty `extra`), no neutralized
 * cell and bodies that are already canonical JSON. For those the canonical bytes are written
 * straight from the row's bytes in canonical key order: cells are JSON-escaped byte by byte as
 * JSON.stringify escapes them (the input is valid UTF-8, so only ASCII ever needs escaping), and
 * bodies are copied once checked canonical. Every other row takes the thorough functions
 * themselves, so both routes hash the same bytes.
 */

const APOSTROPHE = 0x27;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Worst-case growth of a cell when escaped (a control character becomes \u00xx). */
const ESCAPE_GROWTH = 6;
/** Longer plain cells are copied natively; shorter ones byte by byte (cheaper than the call). */
const LONG_CELL = 24;

/** Column positions in RECORD_COLUMNS order (see export/record-columns.ts). */
const enum Col {
  id, eventTime, eventType, source, tokenName,
  operatorId, operatorUsername, operatorEmail, operatorFirstName, operatorLastName,
  resourceId, resourceName, gatewayGroupId, ipAddress, errorMessage,
  httpMethod, httpUri, httpUserAgent, httpStatusCode, httpRequestBody, httpResponseBody,
  extra,
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const K = PLAIN_KEYS;
const HEX = ascii('0123456789abcdef');

export class CsvLeafHasher {
  /** Why the last `digest` returned null: the thorough scan rejects the row too. */
  error = '';
  private out = new Uint8Array(1 << 16);
  private len = 0;
  /** "YYYY-MM-DDTHH:" of the previous row and unixFromIso of its minute 00, second 00. */
  private readonly hourPrefix = new Uint8Array(14);
  private hasHour = false;
  private hourStart = 0;

  /** SHA-256 of the row's leaf as a latin1 string (one character per byte), or null. */
  digest(b: Uint8Array, f: CsvRowFields): string | null {
    if (this.writeFast(b, f)) return hash('sha256', this.out.subarray(0, this.len), 'binary');
    let text: string;
    try {
      const parsed = rowToEntry(f.texts(b).map(restoreCell));
      if (!parsed.ok) {
        this.error = parsed.error;
        return null;
      }
      text = canonicalJson(parsed.entry);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return null;
    }
    return hash('sha256', `\u0000${text}`, 'binary');
  }

  /** Writes the leaf bytes for the common shape; false when the row needs the thorough route. */
  private writeFast(b: Uint8Array, f: CsvRowFields): boolean {
    const { start, end, quoted } = f;
    if (end[Col.extra] !== start[Col.extra]) return false;
    for (let i = 0; i < Col.extra; i++) if (end[i] > start[i] && b[start[i]] === APOSTROPHE) return false;
    if (quoted[Col.eventTime] || quoted[Col.httpStatusCode]) return false;
    const time = this.eventTime(b, start[Col.eventTime], end[Col.eventTime]);
    if (time === null || time < 0 || time > MAX_EVENT_TIME) return false;
    if (!isPlainInteger(b, start[Col.httpStatusCode], end[Col.httpStatusCode])) return false;

    this.len = 0;
    this.ensure(256 + ESCAPE_GROWTH * rowBytes(f));
    this.out[this.len++] = 0x00;
    this.put(K.errorMessage);
    this.cell(b, f, Col.errorMessage);
    this.put(K.eventTime);
    this.number(time);
    this.put(K.eventType);
    this.cell(b, f, Col.eventType);
    this.put(K.gatewayGroupId);
    this.cell(b, f, Col.gatewayGroupId);
    this.put(K.httpRequest);
    if (!this.body(b, f, Col.httpRequestBody)) return false;
    this.put(K.method);
    this.cell(b, f, Col.httpMethod);
    this.put(K.uri);
    this.cell(b, f, Col.httpUri);
    this.put(K.userAgent);
    this.cell(b, f, Col.httpUserAgent);
    this.put(K.httpResponse);
    if (!this.body(b, f, Col.httpResponseBody)) return false;
    this.put(K.statusCode);
    this.raw(b, start[Col.httpStatusCode], end[Col.httpStatusCode]);
    this.put(K.id);
    this.cell(b, f, Col.id);
    this.put(K.ipAddress);
    this.cell(b, f, Col.ipAddress);
    this.put(K.operatorEmail);
    this.cell(b, f, Col.operatorEmail);
    this.put(K.firstName);
    this.cell(b, f, Col.operatorFirstName);
    this.put(K.operatorId);
    this.cell(b, f, Col.operatorId);
    this.put(K.lastName);
    this.cell(b, f, Col.operatorLastName);
    this.put(K.username);
    this.cell(b, f, Col.operatorUsername);
    this.put(K.resourceId);
    this.cell(b, f, Col.resourceId);
    this.put(K.resourceName);
    this.cell(b, f, Col.resourceName);
    this.put(K.source);
    this.cell(b, f, Col.source);
    this.put(K.tokenName);
    this.cell(b, f, Col.tokenName);
    this.out[this.len++] = 0x7d;
    return true;
  }

  private ensure(bytes: number): void {
    if (bytes <= this.out.length) return;
    let size = this.out.length;
    while (size < bytes) size *= 2;
    this.out = new Uint8Array(size);
  }

  private put(k: Uint8Array): void {
    const out = this.out;
    let n = this.len;
    for (let i = 0; i < k.length; i++) out[n++] = k[i];
    this.len = n;
  }

  private raw(b: Uint8Array, from: number, to: number): void {
    const out = this.out;
    let n = this.len;
    for (let i = from; i < to; i++) out[n++] = b[i];
    this.len = n;
  }

  /** A non-negative integer in decimal (event times: below 10^11). */
  private number(value: number): void {
    const out = this.out;
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let n = this.len + digits;
    this.len = n;
    let v = value;
    do {
      out[--n] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /** The cell as a JSON string literal, escaped as JSON.stringify escapes its text. */
  private cell(b: Uint8Array, f: CsvRowFields, col: Col): void {
    const from = f.start[col];
    const to = f.end[col];
    if ((f.plain >> col) & 1) {
      // Nothing to escape: the bytes as they are, between quotes.
      const out = this.out;
      out[this.len++] = QUOTE;
      if (to - from > LONG_CELL) out.set(b.subarray(from, to), this.len);
      else for (let i = from, n = this.len; i < to; i++) out[n++] = b[i];
      this.len += to - from;
      out[this.len++] = QUOTE;
      return;
    }
    this.escapedCell(b, from, to, f.quoted[col] === 1);
  }

  private escapedCell(b: Uint8Array, from: number, to: number, isQuoted: boolean): void {
    const out = this.out;
    let n = this.len;
    out[n++] = QUOTE;
    for (let i = from; i < to; i++) {
      const c = b[i];
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        out[n++] = c;
      } else if (c === QUOTE) {
        // Only a quoted cell holds quotes, as "" pairs: one quote of the value each.
        out[n++] = BACKSLASH;
        out[n++] = QUOTE;
        if (isQuoted) i++;
      } else if (c === BACKSLASH) {
        out[n++] = BACKSLASH;
        out[n++] = BACKSLASH;
      } else {
        out[n++] = BACKSLASH;
        const short = c === 0x08 ? 0x62 : c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : c === 0x0c ? 0x66 : c === 0x0d ? 0x72 : 0;
        if (short !== 0) {
          out[n++] = short;
        } else {
          out[n++] = 0x75;
          out[n++] = 0x30;
          out[n++] = 0x30;
          out[n++] = HEX[c >> 4];
          out[n++] = HEX[c & 15];
        }
      }
    }
    out[n++] = QUOTE;
    this.len = n;
  }

  /** '"body":' and the cell's JSON followed by ',' when the cell is not empty; false when not canonical. */
  private body(b: Uint8Array, f: CsvRowFields, col: Col): boolean {
    const from = f.start[col];
    const to = f.end[col];
    if (from === to) return true;
    this.put(K.body);
    const out = this.out;
    const isQuoted = f.quoted[col] === 1;
    const bodyStart = this.len;
    let n = bodyStart;
    for (let i = from; i < to; i++) {
      const c = b[i];
      out[n++] = c;
      if (c === QUOTE && isQuoted) i++;
    }
    this.len = n;
    if (!isCanonicalJson(out, bodyStart, n)) return false;
    out[this.len++] = 0x2c;
    return true;
  }

  /**
   * unixFromIso of the cell, computed from the hour's start when the hour is the previous row's:
   * minutes and seconds below 60 are always a valid time, so the sum is what Date.parse gives.
   * Hour 24 is not cached: Date.parse accepts 24:00:00 but no other time in that hour.
   */
  private eventTime(b: Uint8Array, from: number, to: number): number | null {
    if (this.hasHour && to - from === 20 && b[from + 16] === 0x3a && b[from + 19] === 0x5a && this.sameHour(b, from)) {
      const minutes = twoDigits(b, from + 14);
      const seconds = twoDigits(b, from + 17);
      if (minutes >= 0 && minutes < 60 && seconds >= 0 && seconds < 60) return this.hourStart + minutes * 60 + seconds;
    }
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', from, to);
    const value = unixFromIso(text);
    if (value !== null && twoDigits(b, from + 11) < 24) {
      const start = unixFromIso(`${text.slice(0, 14)}00:00Z`);
      if (start !== null) {
        this.hourPrefix.set(b.subarray(from, from + 14));
        this.hourStart = start;
        this.hasHour = true;
      }
    }
    return value;
  }

  private sameHour(b: Uint8Array, from: number): boolean {
    for (let i = 0; i < 14; i++) if (b[from + i] !== this.hourPrefix[i]) return false;
    return true;
  }
}

function rowBytes(f: CsvRowFields): number {
  return f.end[Col.extra] - f.start[Col.id];
}

function twoDigits(b: Uint8Array, at: number): number {
  const x = b[at] - 0x30;
  const y = b[at + 1] - 0x30;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * An http_status_code cell that Number() turns back into the same text: what the thorough scan
 * accepts (/^-?\d{1,15}$/) without a leading zero or "-0", which it would rewrite.
 */
function isPlainInteger(b: Uint8Array, from: number, to: number): boolean {
  const digitsFrom = b[from] === 0x2d ? from + 1 : from;
  const digits = to - digitsFrom;
  if (digits < 1 || digits > 15) return false;
  for (let i = digitsFrom; i < to; i++) if (b[i] < 0x30 || b[i] > 0x39) return false;
  return b[digitsFrom] !== 0x30 || (digits === 1 && digitsFrom === from);
}
