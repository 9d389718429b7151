import { RECORD_COLUMNS } from '../export/record-columns';

/**
 * Finds the fields of one records.csv row in UTF-8 bytes, without decoding them. It takes exactly
 * the rows CsvRowParser takes (a quote only around a whole field, "" inside it, rows ending in
 * CRLF or LF) when they have exactly RECORD_COLUMNS fields; anything else is MALFORMED and left
 * to CsvRowParser to describe. Delimiters are ASCII and never occur inside a multi-byte UTF-8
 * character, so bytes split exactly where the decoded text would.
 */
export const CSV_COLUMNS = RECORD_COLUMNS.length;

/** findRow results besides a row end: the bytes end inside the row; the row is not ours. */
export const INCOMPLETE = -1;
export const MALFORMED = -2;

/** Byte classes: what the scanners stop at. */
const PLAIN = 0;
/** ',' CR LF: end an unquoted field. */
const DELIMITER = 1;
const QUOTE_CLASS = 2;
/** Needs a JSON escape: '\\' and control characters other than CR and LF. */
const ESCAPE = 3;
const BYTE_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) BYTE_CLASS[c] = ESCAPE;
BYTE_CLASS[0x5c] = ESCAPE;
BYTE_CLASS[0x2c] = DELIMITER;
BYTE_CLASS[0x0d] = DELIMITER;
BYTE_CLASS[0x0a] = DELIMITER;
BYTE_CLASS[0x22] = QUOTE_CLASS;

export class CsvRowFields {
  /** Content of field i is bytes[start[i], end[i]); a quoted field's range excludes its quotes. */
  readonly start = new Int32Array(CSV_COLUMNS);
  readonly end = new Int32Array(CSV_COLUMNS);
  /** 1 when field i was quoted (its "" pairs stand for one quote each). */
  readonly quoted = new Uint8Array(CSV_COLUMNS);
  /** Bit i set: field i is unquoted and holds nothing JSON escapes (no '\\', no control character). */
  plain = 0;

  /** Reads the row at p (bytes before `limit`); returns the index after its line end. */
  read(b: Uint8Array, p: number, limit: number): number {
    let i = p;
    let col = 0;
    let plain = 0;
    for (;;) {
      if (col === CSV_COLUMNS) return MALFORMED;
      if (i < limit && b[i] === 0x22) {
        const contentStart = i + 1;
        let j = contentStart;
        for (;;) {
          while (j < limit && b[j] !== 0x22) j++;
          // At the limit, or a quote at the limit's edge (a doubled quote may follow in later bytes).
          if (j + 1 >= limit) return INCOMPLETE;
          if (b[j + 1] !== 0x22) break;
          j += 2;
        }
        this.start[col] = contentStart;
        this.end[col] = j;
        this.quoted[col] = 1;
        i = j + 1;
      } else {
        let j = i;
        let escapes = false;
        while (j < limit) {
          const kind = BYTE_CLASS[b[j]];
          if (kind === PLAIN) {
            j++;
          } else if (kind === ESCAPE) {
            escapes = true;
            j++;
          } else if (kind === DELIMITER) {
            break;
          } else {
            return MALFORMED; // a quote inside an unquoted field
          }
        }
        this.start[col] = i;
        this.end[col] = j;
        this.quoted[col] = 0;
        if (!escapes) plain |= 1 << col;
        i = j;
      }
      col++;
      if (i >= limit) return INCOMPLETE;
      const c = b[i];
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x0d) {
        if (i + 1 >= limit) return INCOMPLETE;
        if (b[i + 1] !== 0x0a) return MALFORMED;
        i += 2;
      } else if (c === 0x0a) {
        i++;
      } else {
        return MALFORMED; // text after a closing quote
      }
      this.plain = plain;
      return col === CSV_COLUMNS ? i : MALFORMED;
    }
  }

  /** Field i as text, as CsvRowParser would give it. */
  text(b: Uint8Array, i: number): string {
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8', this.start[i], this.end[i]);
    return this.quoted[i] ? text.replaceAll('""', '"') : text;
  }

  texts(b: Uint8Array): string[] {
    const out: string[] = [];
    for (let i = 0; i < CSV_COLUMNS; i++) out.push(this.text(b, i));
    return out;
  }
}
