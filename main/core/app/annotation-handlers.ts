import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { annotationMethods, type AnnotationProgress } from '../../../preload/contract/annotations';
import {
  AnnotationError,
  addComment,
  addTag,
  bulkAnnotate,
  currentFor,
  deleteComment,
  editComment,
  historyFor,
  listBatches,
  listTags,
  removeTag,
  setStatus,
  undoBatch,
  type Actor,
  type Target,
} from '../annotations';
import { archiveCampaign, coverage, createCampaign, listCampaigns, updateCampaign } from '../campaigns';
import { AppError } from './errors';

export interface AnnotationHandlerDeps {
  /** The cache's write connection, or null while locked. */
  db: () => Database.Database | null;
  /** The signed-in user's name: the author of every change. */
  author: () => string;
  /** Unix seconds. */
  now: () => number;
  /** Where bulk progress goes (the app emits it as the 'annotations.progress' event). */
  onProgress?: (progress: AnnotationProgress) => void;
}

type AnnotationMethods = typeof annotationMethods;

/**
 * Handlers for this file's own slice of the contract. Typed from `annotationMethods` directly (the
 * same shape as dispatcher.ts `Handlers`), so this file checks on its own; spreading the result
 * into the app's `Handlers` object checks it against the whole contract again.
 */
export type AnnotationHandlers = {
  [M in keyof AnnotationMethods]: (input: z.output<AnnotationMethods[M]['input']>) => Promise<z.output<AnnotationMethods[M]['output']>> | z.output<AnnotationMethods[M]['output']>;
};

/** The contract's annotations.* and campaigns.* methods over the open cache. */
export function createAnnotationHandlers(deps: AnnotationHandlerDeps) {
  const open = () => {
    const handle = deps.db();
    if (!handle) throw new AppError('locked', 'Unlock the cache to see and add annotations.');
    return handle;
  };
  const actor = (): Actor => ({ author: deps.author(), now: deps.now });
  const view = (db: Database.Database, target: Target) => ({ current: currentFor(db, target), history: historyFor(db, target) });
  const targetOf = (version: { target_kind: Target['kind']; target_id: string }): Target => ({ kind: version.target_kind, id: version.target_id });
  // Bulk actions in flight, by batch id, so 'annotations.cancelBulk' can stop one between chunks.
  const running = new Map<string, AbortController>();

  return {
    'annotations.forTarget': ({ target }) => guard(() => view(open(), target)),
    'annotations.comment': ({ target, text }) =>
      guard(() => {
        const db = open();
        addComment(db, target, text, actor());
        return view(db, target);
      }),
    'annotations.editComment': ({ annotationId, text }) =>
      guard(() => {
        const db = open();
        return view(db, targetOf(editComment(db, annotationId, text, actor())));
      }),
    'annotations.deleteComment': ({ annotationId }) =>
      guard(() => {
        const db = open();
        return view(db, targetOf(deleteComment(db, annotationId, actor())));
      }),
    'annotations.tag': ({ target, tag }) =>
      guard(() => {
        const db = open();
        addTag(db, target, tag, actor());
        return view(db, target);
      }),
    'annotations.untag': ({ target, tag }) =>
      guard(() => {
        const db = open();
        removeTag(db, target, tag, actor());
        return view(db, target);
      }),
    'annotations.setStatus': ({ target, status, reason }) =>
      guard(() => {
        const db = open();
        setStatus(db, target, status, actor(), reason);
        return view(db, target);
      }),
    'annotations.tags': ({ prefix, limit }) => guard(() => listTags(open(), prefix, limit)),
    'annotations.bulk': ({ target, action }) =>
      guardAsync(async () => {
        const controller = new AbortController();
        let batchId: string | null = null;
        try {
          return await bulkAnnotate(open(), {
            targets: target,
            action,
            author: deps.author(),
            now: deps.now,
            signal: controller.signal,
            onProgress: (progress) => {
              if (batchId === null) {
                batchId = progress.batchId;
                running.set(batchId, controller);
              }
              deps.onProgress?.({ ...progress, phase: 'bulk' });
            },
          });
        } finally {
          if (batchId !== null) running.delete(batchId);
        }
      }),
    'annotations.cancelBulk': ({ batchId }) => {
      // Cancelling one that already finished is fine: there is nothing left to stop.
      running.get(batchId)?.abort();
      return { ok: true as const };
    },
    'annotations.undo': ({ batchId }) =>
      guardAsync(() => undoBatch(open(), batchId, actor(), { onProgress: (progress) => deps.onProgress?.({ ...progress, phase: 'undo' }) })),
    'annotations.batches': ({ limit }) => guard(() => listBatches(open(), limit)),
    'campaigns.list': ({ includeArchived }) => guard(() => listCampaigns(open(), { includeArchived })),
    'campaigns.create': ({ name, filter, periodFrom, periodTo, reviewers }) =>
      guard(() => createCampaign(open(), { name, filter, periodFrom, periodTo, reviewers }, actor())),
    'campaigns.update': ({ id, name, reviewers }) =>
      guard(() => updateCampaign(open(), id, { ...(name === undefined ? {} : { name }), ...(reviewers === undefined ? {} : { reviewers }) }, deps.now)),
    'campaigns.coverage': ({ id }) => guard(() => coverage(open(), id, deps.now())),
    'campaigns.archive': ({ id }) => guard(() => archiveCampaign(open(), id, deps.now)),
  } satisfies AnnotationHandlers;
}

/** Core annotation errors are written for users; they cross the contract as AppErrors with their code. */
function toAppError(error: unknown): unknown {
  return error instanceof AnnotationError ? new AppError(error.code, error.message) : error;
}

function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toAppError(error);
  }
}

async function guardAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppError(error);
  }
}
