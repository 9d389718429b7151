/**
 * RFC 4180 text for records.csv, safe to open in a spreadsheet.
 *
 * Formula neutralization: a cell starting with = + - @ TAB or CR would be run as a formula by
 * Excel/LibreOffice, so it gets a leading apostrophe. Cells that already start with an apostrophe
 * get one too, which keeps the mapping reversible: `restoreCell` strips exactly one leading
 * apostrophe from any cell that has it.
 */
const NEEDS_PREFIX = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

export function neutralizeCell(value: string): string {
  return NEEDS_PREFIX.test(value) ? `'${value}` : value;
}

export function restoreCell(value: string): string {
  return value.charCodeAt(0) === 39 ? value.slice(1) : value;
}

function quote(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (with CRLF) from raw cell values: neutralized, then quoted where RFC 4180 needs it. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += quote(neutralizeCell(cells[i]));
  }
  return line + CSV_EOL;
}

/** The header line; column names are plain identifiers, so they pass through unchanged. */
export function csvHeader(columns: readonly string[]): string {
  return columns.join(',') + CSV_EOL;
}
