import type Database from 'better-sqlite3-multiple-ciphers';
import type { Actor } from './actor';
import { applyComment, applySetStatus } from './apply';
import { statementsFor } from './statements';
import { requireTarget } from './targets';
import type { AnnotationVersion, Target } from './types';
import { validAuthor, validComment, validStatus } from './validate';

export interface SetStatusResult {
  /** The status version written, or null when the target already had this status. */
  status: AnnotationVersion | null;
  /** The reason, stored as a comment next to the status so it shows in the history. */
  reason: AnnotationVersion | null;
}

/** Sets the review status of a target, optionally with a reason (e.g. why it is a false positive). */
export function setStatus(db: Database.Database, target: Target, status: string, actor: Actor, reason?: string): SetStatusResult {
  const value = validStatus(status);
  const author = validAuthor(actor.author);
  const reasonText = reason === undefined || reason.trim() === '' ? null : validComment(reason);
  const s = statementsFor(db);
  return db.transaction(() => {
    requireTarget(s, target);
    const at = actor.now();
    return {
      status: applySetStatus(s, target, value, author, at),
      reason: reasonText === null ? null : applyComment(s, target, reasonText, author, at),
    };
  }).immediate();
}
