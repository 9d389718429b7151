import type Database from 'better-sqlite3-multiple-ciphers';
import type { AnnotationVersion, CurrentAnnotations, Target } from './types';
import { toVersion, type StateRow } from './versions';

/** Every version ever written on a target, oldest first, tombstones included. */
export function historyFor(db: Database.Database, target: Target): AnnotationVersion[] {
  const rows = db
    .prepare('SELECT * FROM annotations WHERE target_kind = ? AND target_id = ? ORDER BY version_id')
    .all(target.kind, target.id) as Parameters<typeof toVersion>[0][];
  return rows.map(toVersion);
}

/** The live status, tags and comments of a target, read from annotation_state. */
export function currentFor(db: Database.Database, target: Target): CurrentAnnotations {
  const state = db
    .prepare('SELECT * FROM annotation_state WHERE target_kind = ? AND target_id = ? ORDER BY version_id')
    .all(target.kind, target.id) as StateRow[];
  const status = state.find((row) => row.kind === 'status');
  const commentIds = state.filter((row) => row.kind === 'comment').map((row) => row.annotation_id);
  // A comment shows when it was first written and whether it was edited since: both come from its history.
  const origins = new Map(
    (commentIds.length === 0
      ? []
      : (db
          .prepare(
            `SELECT annotation_id, min(created_at) AS created_at, count(*) AS versions FROM annotations
              WHERE annotation_id IN (SELECT value FROM json_each(?)) GROUP BY annotation_id`,
          )
          .all(JSON.stringify(commentIds)) as { annotation_id: string; created_at: number; versions: number }[])
    ).map((row) => [row.annotation_id, row]),
  );
  return {
    status: status ? { value: status.value, author: status.author, updated_at: status.updated_at, version_id: status.version_id } : null,
    tags: state
      .filter((row) => row.kind === 'tag')
      .sort((a, b) => a.value.localeCompare(b.value))
      .map((row) => ({ annotation_id: row.annotation_id, value: row.value, author: row.author, updated_at: row.updated_at, version_id: row.version_id })),
    comments: state
      .filter((row) => row.kind === 'comment')
      .map((row) => {
        const origin = origins.get(row.annotation_id);
        return {
          annotation_id: row.annotation_id,
          value: row.value,
          author: row.author,
          created_at: origin?.created_at ?? row.updated_at,
          updated_at: row.updated_at,
          version_id: row.version_id,
          edited: (origin?.versions ?? 1) > 1,
        };
      })
      .sort((a, b) => a.created_at - b.created_at || a.version_id - b.version_id),
  };
}
