import ExcelJS from 'exceljs';
import type { AuditEntry } from '../records/entry';
import { RECORD_COLUMNS, entryToRow } from './record-columns';
import { ExportSummary, countBySeverity, sortedCounts } from './summary';

/** Excel's hard limits. */
export const XLSX_MAX_ROWS = 1_048_576;
export const XLSX_MAX_CELL_CHARS = 32_767;
export const TRUNCATION_MARKER = '…[truncated; full value in records.json]';

// XML 1.0 cannot carry these; exceljs would write them raw and Excel would refuse the file.
 
const XML_INVALID_ANY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const XML_INVALID_ALL = new RegExp(XML_INVALID_ANY.source, 'g');

/** A cell value Excel accepts: no XML-invalid characters, at most 32,767 characters. */
export function xlsxCell(value: string): string {
  const clean = XML_INVALID_ANY.test(value) ? value.replace(XML_INVALID_ALL, '\uFFFD') : value;
  if (clean.length <= XLSX_MAX_CELL_CHARS) return clean;
  return clean.slice(0, XLSX_MAX_CELL_CHARS - TRUNCATION_MARKER.length) + TRUNCATION_MARKER;
}

export interface XlsxContext {
  scope: Array<[string, string]>;
  filterText: string;
  filterModel: unknown;
  findings: unknown[];
  annotations: unknown[];
  campaigns: unknown[];
}

/**
 * records.xlsx through exceljs' streaming writer. Sheets stream into the zip one after another,
 * so Records come first (they cannot wait in memory) and the Summary, whose counts are only known
 * at the end, is written last and made the sheet Excel opens on.
 */
export class XlsxRecordsWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private sheet: ExcelJS.Worksheet | null = null;
  private rowsInSheet = 0;
  private sheetCount = 0;
  readonly summary = new ExportSummary();

  constructor(readonly path: string) {
    // Fast deflate inside the .xlsx: the sheet XML is very repetitive, so level 1 loses little size.
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  }

  /** `cells` is entryToRow(entry) when the caller has it already. */
  add(entry: AuditEntry, cells: string[] = entryToRow(entry)): void {
    this.summary.add(entry);
    if (!this.sheet || this.rowsInSheet >= XLSX_MAX_ROWS) this.startRecordsSheet();
    const row = cells.map(xlsxCell);
    (this.sheet as ExcelJS.Worksheet).addRow(row).commit();
    this.rowsInSheet++;
  }

  private startRecordsSheet(): void {
    if (this.sheet) this.sheet.commit();
    this.sheetCount++;
    this.sheet = this.workbook.addWorksheet(this.sheetCount === 1 ? 'Records' : `Records ${this.sheetCount}`);
    this.sheet.addRow([...RECORD_COLUMNS]).commit();
    this.rowsInSheet = 1;
  }

  async finish(context: XlsxContext): Promise<void> {
    if (!this.sheet) this.startRecordsSheet();
    (this.sheet as ExcelJS.Worksheet).commit();
    writeObjectsSheet(this.workbook.addWorksheet('Findings'), context.findings);
    writeObjectsSheet(this.workbook.addWorksheet('Annotations'), context.annotations);
    const summarySheet = this.workbook.addWorksheet('Summary');
    writeSummary(summarySheet, this.summary, context);
    this.workbook.views = [{ activeTab: this.sheetCount + 2, x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, visibility: 'visible' }];
    await this.workbook.commit();
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Findings/annotations are plain JSON objects of shapes other modules own: one column per key. */
function writeObjectsSheet(sheet: ExcelJS.Worksheet, items: unknown[]): void {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const key of Object.keys(item)) {
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
    }
  }
  const columns = keys.length > 0 ? keys : ['value'];
  sheet.addRow(columns).commit();
  for (const item of items) {
    const isRecord = item !== null && typeof item === 'object' && !Array.isArray(item);
    const cells = isRecord ? columns.map((k) => xlsxCell(text((item as Record<string, unknown>)[k]))) : [xlsxCell(text(item))];
    sheet.addRow(cells).commit();
  }
  sheet.commit();
}

function writeSummary(sheet: ExcelJS.Worksheet, summary: ExportSummary, context: XlsxContext): void {
  const add = (...cells: Array<string | number>) => sheet.addRow(cells.map((c) => (typeof c === 'string' ? xlsxCell(c) : c))).commit();
  add('Audit Review export');
  add('');
  add('Scope');
  for (const [label, value] of context.scope) add(label, value);
  add('Filter', context.filterText || '(none)');
  add('Filter model', text(context.filterModel));
  add('Records', summary.records);
  add('Failed records (status >= 400 or error message)', summary.failed);
  const section = (title: string, rows: Array<[string, number]>) => {
    add('');
    add(title, 'Count');
    for (const [key, count] of rows) add(key, count);
  };
  section('By event type', sortedCounts(summary.byEventType));
  section('By operator', sortedCounts(summary.byOperator));
  section('By catalog flag', sortedCounts(summary.byFlag));
  section('Findings by severity', sortedCounts(countBySeverity(context.findings)));
  add('');
  add('Campaign coverage', `${context.campaigns.length} campaign(s)`);
  for (const campaign of context.campaigns) add('', text(campaign));
  sheet.commit();
}
