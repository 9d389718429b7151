/**
 * RFC 4180 text for records.csv, safe to open in a spreadsheet.
 *
 * Formula neutralization: a cell starting with = + - @ TAB or CR would be run as a formula by
 * Excel/LibreOffice, so it gets a leading apostrophe. Cells that already start with an apostrophe
 * get one too, which keeps the mapping reversible: `restoreCell` strips exactly one leading
 * apostrophe from any cell that has it.
 *
 * Lossless escape: UTF-8 cannot carry a lone UTF-16 surrogate (JSON may hold "\ud800"), so
 * writing one would silently become U+FFFD and the record would no longer match its hash. Such a
 * cell is written as an apostrophe plus a JSON string literal, e.g. '"x\ud800y". Neutralization
 * never produces an apostrophe followed by a double quote, so reading it back is unambiguous.
 */
const NEEDS_PREFIX = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;
/** With the u flag a well-formed surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * One cheap test that rules out all three cases above for nearly every cell: no leading formula
 * character or apostrophe, nothing that needs quoting, no surrogate at all (paired or not).
 */
const MAY_NEED_WORK = /^[=+\-@\t\r']|[",\r\n\uD800-\uDFFF]/;

export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

export function neutralizeCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

/** Any surrogate half: a scan without the u flag is much cheaper, and almost no text has one. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** The cell text written for a value: JSON-escaped when UTF-8 cannot carry it, else neutralized. */
export function encodeCell(value: string): string {
  return ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value) ? `'${JSON.stringify(value)}` : neutralizeCell(value);
}

/** Inverse of encodeCell. Throws on a JSON-escaped cell that is not a JSON string (a forged file). */
export function restoreCell(value: string): string {
  if (value.charCodeAt(0) !== 39) return value;
  if (value.charCodeAt(1) !== 34) return value.slice(1);
  let decoded: unknown;
  try {
    decoded = JSON.parse(value.slice(1));
  } catch {
    decoded = undefined;
  }
  if (typeof decoded !== 'string') throw new Error(`a cell starting with '" must be a JSON string literal: ${value.slice(0, 40)}`);
  return decoded;
}

function quote(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The text written for one cell: encoded, then quoted where RFC 4180 needs it. */
export function csvCell(value: string): string {
  return MAY_NEED_WORK.test(value) ? quote(encodeCell(value)) : value;
}

/** One CSV line (with CRLF) from raw cell values. */
export function csvLine(cells: readonly string[]): string {
  let line = csvCell(cells[0] ?? '');
  for (let i = 1; i < cells.length; i++) line += ',' + csvCell(cells[i]);
  return line + CSV_EOL;
}

/** The header line; column names are plain identifiers, so they pass through unchanged. */
export function csvHeader(columns: readonly string[]): string {
  return columns.join(',') + CSV_EOL;
}
