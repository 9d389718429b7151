import type Database from 'better-sqlite3-multiple-ciphers';
import type { Actor } from './actor';
import { countAffected, createBatch, finishBatch, getBatch } from './batches';
import { BULK_CHUNK, runningBatches } from './bulk';
import { AnnotationError } from './errors';
import { statementsFor } from './statements';
import type { AnnotationVersion } from './types';
import { validAuthor } from './validate';
import { appendVersion, versionById } from './versions';

export interface UndoProgress {
  batchId: string;
  done: number;
  total: number;
}

export interface UndoResult {
  /** The undo's own batch id. */
  batchId: string;
  undone: string;
  /** Versions put back to what they were before the batch. */
  restored: number;
  /** Versions left alone because someone changed that annotation after the batch. */
  skipped: number;
}

/**
 * Reverses a bulk action in one step by appending compensating versions: each annotation the
 * batch changed gets its previous value back (or a tombstone, if it did not exist before). Nothing
 * is deleted, so the history shows the action and its undo. An annotation changed again after the
 * batch is left alone — the undo must not throw away later work. A batch is undone at most once;
 * an undo interrupted by a crash continues where it stopped when asked again.
 */
export async function undoBatch(
  db: Database.Database,
  batchId: string,
  actor: Actor,
  options: { onProgress?: (progress: UndoProgress) => void; chunkSize?: number } = {},
): Promise<UndoResult> {
  const author = validAuthor(actor.author);
  const batch = getBatch(db, batchId);
  if (!batch) throw new AnnotationError('not_found', 'No such bulk action; it may belong to another cache.');
  if (batch.action === 'undo') throw new AnnotationError('conflict', 'An undo cannot itself be undone; apply the action again instead.');
  if (runningBatches.has(batchId)) throw new AnnotationError('conflict', 'This bulk action is still running; cancel it or wait for it to finish, then undo.');
  const earlier = batch.undone_by ? getBatch(db, batch.undone_by) : undefined;
  if (earlier?.finished_at != null) throw new AnnotationError('conflict', `This bulk action was already undone by ${earlier.author}.`);

  const s = statementsFor(db);
  const at = actor.now();
  const total = db.prepare('SELECT count(*) FROM annotation_batch_versions WHERE batch_id = ?').pluck().get(batchId) as number;
  const undoId =
    earlier?.id ??
    createBatch(db, { action: 'undo', value: '', reason: null, targetKind: batch.target_kind, scope: { undoes: batchId }, author, at, total, undoes: batchId });
  const nextChunk = db.prepare('SELECT version_id FROM annotation_batch_versions WHERE batch_id = ? AND version_id > ? ORDER BY version_id LIMIT ?').pluck();
  const chunkSize = Math.max(1, options.chunkSize ?? BULK_CHUNK);
  let restored = 0;
  let skipped = 0;
  let done = 0;
  let after = 0;

  const runChunk = db.transaction((versionIds: number[]) => {
    let written = 0;
    for (const versionId of versionIds) {
      const version = versionById(db, versionId)!;
      const compensation = compensationFor(db, version);
      if (!compensation) {
        skipped++;
        continue;
      }
      const next = appendVersion(s, { ...compensation, author, at });
      s.insertBatchVersion.run(undoId, next.version_id);
      written++;
    }
    countAffected(db, undoId, written);
    restored += written;
  }).immediate;

  for (;;) {
    const versionIds = nextChunk.all(batchId, after, chunkSize) as number[];
    if (versionIds.length === 0) break;
    runChunk(versionIds);
    after = versionIds[versionIds.length - 1]!;
    done += versionIds.length;
    options.onProgress?.({ batchId: undoId, done, total });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  finishBatch(db, undoId, actor.now(), false);
  return { batchId: undoId, undone: batchId, restored, skipped };
}

/** What to append so `version`'s annotation is back to its value before `version`; null to leave it. */
function compensationFor(db: Database.Database, version: AnnotationVersion) {
  const s = statementsFor(db);
  if (s.latestVersion.get(version.annotation_id) !== version.version_id) return null;
  const previous = version.prev_version === null ? undefined : versionById(db, version.prev_version);
  const base = { annotationId: version.annotation_id, target: { kind: version.target_kind, id: version.target_id }, kind: version.kind };
  if (!previous || previous.deleted) {
    // It did not exist (or was deleted) before the batch: a tombstone takes it away again.
    return version.deleted ? null : { ...base, value: version.value, deleted: true };
  }
  return { ...base, value: previous.value, deleted: false };
}
