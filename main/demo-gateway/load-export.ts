import { readFileSync } from 'node:fs';
import { parseAuditEntry, type AuditEntry } from '../core/records/entry';

/**
 * Reads an API7 audit-log export for `--data`: a JSON array, `{"list": [...]}` (also under
 * `value`), or NDJSON (one entry per line). Every entry is validated; the error names the first
 * bad entry so the file can be fixed.
 */
export function loadExportFile(path: string): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return parseExport(text, path);
}

export function parseExport(text: string, label = 'the export'): AuditEntry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  let raw: unknown[];
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !looksLikeNdjson(trimmed))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${label} is not valid JSON (${(error as Error).message}); expected an array, {"list": [...]} or NDJSON`, { cause: error });
    }
    raw = listOf(parsed, label);
  } else {
    raw = [];
    trimmed.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        raw.push(JSON.parse(line));
      } catch {
        throw new Error(`${label}, line ${i + 1}: not a JSON object; expected one audit entry per line`);
      }
    });
  }
  return raw.map((item, i) => {
    const result = parseAuditEntry(item);
    if (!result.ok) throw new Error(`${label}, entry ${i + 1}: ${result.error}`);
    return result.entry;
  });
}

function looksLikeNdjson(text: string): boolean {
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (firstLine.length === text.length) return false;
  try {
    const value = JSON.parse(firstLine);
    return value !== null && typeof value === 'object' && 'id' in value;
  } catch {
    return false;
  }
}

function listOf(parsed: unknown, label: string): unknown[] {
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object') {
    const record = parsed as Record<string, unknown>;
    if (Array.isArray(record.list)) return record.list;
    const value = record.value as Record<string, unknown> | undefined;
    if (value && Array.isArray(value.list)) return value.list;
  }
  throw new Error(`${label} holds no entries: expected a JSON array, {"list": [...]} or NDJSON`);
}
