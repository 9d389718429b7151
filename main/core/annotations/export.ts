import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * One annotation version as it goes into an export package (annotations.json and the XLSX
 * "Annotations" sheet): flat, so each key becomes a spreadsheet column, with the time both as
 * stored (Unix seconds) and as ISO 8601 UTC for people.
 */
export interface ExportedAnnotation {
  version_id: number;
  annotation_id: string;
  target_kind: 'record' | 'finding';
  target_id: string;
  kind: 'comment' | 'tag' | 'status';
  value: string;
  author: string;
  created_at: number;
  created_at_utc: string;
  prev_version: number | null;
  deleted: boolean;
}

const CHUNK = 5000;

/**
 * Every version (history and tombstones included) on the given records — or, without ids, every
 * annotation in the cache, findings' too — ordered by version so each prev_version comes first.
 */
export function annotationsForExport(db: Database.Database, recordIds?: Iterable<string>): ExportedAnnotation[] {
  type Raw = Omit<ExportedAnnotation, 'deleted' | 'created_at_utc'> & { deleted: number };
  const toExported = (row: Raw): ExportedAnnotation => ({
    ...row,
    created_at_utc: new Date(row.created_at * 1000).toISOString().replace('.000Z', 'Z'),
    deleted: row.deleted === 1,
  });
  const columns = 'version_id, annotation_id, target_kind, target_id, kind, value, author, created_at, prev_version, deleted';
  if (recordIds === undefined) {
    return (db.prepare(`SELECT ${columns} FROM annotations ORDER BY version_id`).all() as Raw[]).map(toExported);
  }
  const ids = [...new Set(recordIds)];
  const statement = db.prepare(
    `SELECT ${columns} FROM annotations WHERE target_kind = 'record' AND target_id IN (SELECT value FROM json_each(?))`,
  );
  const rows: Raw[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const row of statement.all(JSON.stringify(ids.slice(i, i + CHUNK))) as Raw[]) rows.push(row);
  }
  return rows.sort((a, b) => a.version_id - b.version_id).map(toExported);
}
