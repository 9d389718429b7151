import type Database from 'better-sqlite3-multiple-ciphers';
import { applyAddTag, applyComment, applyRemoveTag, applySetStatus } from './apply';
import { countAffected, createBatch, finishBatch } from './batches';
import { requireSomething, resolveTargets, type BulkTargets } from './bulk-targets';
import { statementsFor } from './statements';
import type { AnnotationVersion, Target } from './types';
import { validAuthor, validComment, validStatus, validTag } from './validate';

export type BulkAction = { type: 'addTag'; tag: string } | { type: 'removeTag'; tag: string } | { type: 'setStatus'; status: string; reason?: string };

export interface BulkProgress {
  batchId: string;
  done: number;
  total: number;
}

export interface BulkRequest {
  targets: BulkTargets;
  action: BulkAction;
  author: string;
  /** Unix seconds; also the "now" of a relative filter (last:7d). */
  now: () => number;
  onProgress?: (progress: BulkProgress) => void;
  /** Stops between chunks; what was committed stays and can be undone. */
  signal?: AbortSignal;
  chunkSize?: number;
}

export interface BulkResult {
  batchId: string;
  /** Targets selected (existing ones). */
  total: number;
  /** Targets that changed; the others already were in the wanted state. */
  affected: number;
  /** Named ids not found in the cache. */
  missing: number;
  cancelled: boolean;
}

export const BULK_CHUNK = 5000;

/** Batches running in this process; an undo must wait for its batch to end. */
export const runningBatches = new Set<string>();

/**
 * Applies one action to many targets: a transaction per chunk (so the writer is never held for
 * long and a crash loses at most the chunk in flight), progress after each, and a yield to the
 * event loop between chunks so the app stays responsive and a cancel can arrive. Every version
 * written is recorded under the batch, which is what `undoBatch` reverses.
 */
export async function bulkAnnotate(db: Database.Database, request: BulkRequest): Promise<BulkResult> {
  const author = validAuthor(request.author);
  const { value, reason, apply } = prepareAction(request.action);
  const at = request.now();
  const resolved = resolveTargets(db, request.targets, at);
  requireSomething(resolved);
  const s = statementsFor(db);
  const batchId = createBatch(db, {
    action: request.action.type,
    value,
    reason,
    targetKind: resolved.kind,
    scope: resolved.scope,
    author,
    at,
    total: resolved.ids.length,
  });
  const chunkSize = Math.max(1, request.chunkSize ?? BULK_CHUNK);
  const total = resolved.ids.length;
  let done = 0;
  let affected = 0;
  let cancelled = false;
  runningBatches.add(batchId);
  try {
    const runChunk = db.transaction((ids: string[]) => {
      let changed = 0;
      for (const id of ids) {
        const written = apply(s, { kind: resolved.kind, id }, author, at);
        if (written.length === 0) continue;
        changed++;
        for (const version of written) s.insertBatchVersion.run(batchId, version.version_id);
      }
      countAffected(db, batchId, changed);
      return changed;
    }).immediate;
    request.onProgress?.({ batchId, done, total });
    while (done < total) {
      if (request.signal?.aborted) {
        cancelled = true;
        break;
      }
      const ids = resolved.ids.slice(done, done + chunkSize);
      affected += runChunk(ids);
      done += ids.length;
      request.onProgress?.({ batchId, done, total });
      if (done < total) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    finishBatch(db, batchId, request.now(), cancelled);
  } finally {
    runningBatches.delete(batchId);
  }
  return { batchId, total, affected, missing: resolved.missing, cancelled };
}

type ApplyToTarget = (s: ReturnType<typeof statementsFor>, target: Target, author: string, at: number) => AnnotationVersion[];

/** Validates the action once (before anything is written) and returns what to do per target. */
function prepareAction(action: BulkAction): { value: string; reason: string | null; apply: ApplyToTarget } {
  const only = (version: AnnotationVersion | null) => (version ? [version] : []);
  switch (action.type) {
    case 'addTag': {
      const tag = validTag(action.tag);
      return { value: tag, reason: null, apply: (s, target, author, at) => only(applyAddTag(s, target, tag, author, at)) };
    }
    case 'removeTag': {
      const tag = validTag(action.tag);
      return { value: tag, reason: null, apply: (s, target, author, at) => only(applyRemoveTag(s, target, tag, author, at)) };
    }
    case 'setStatus': {
      const status = validStatus(action.status);
      const reason = action.reason === undefined || action.reason.trim() === '' ? null : validComment(action.reason);
      // The reason goes only where the status changed: re-running the same bulk action must not
      // pile up copies of it on targets that were already done.
      const apply: ApplyToTarget = (s, target, author, at) => {
        const version = applySetStatus(s, target, status, author, at);
        if (!version) return [];
        return reason === null ? [version] : [version, applyComment(s, target, reason, author, at)];
      };
      return { value: status, reason, apply };
    }
  }
}
