import type Database from 'better-sqlite3-multiple-ciphers';
import type { Actor } from './actor';
import { applyComment } from './apply';
import { AnnotationError } from './errors';
import { statementsFor } from './statements';
import { requireTarget } from './targets';
import type { AnnotationVersion, Target } from './types';
import { validAuthor, validComment } from './validate';
import { appendVersion, currentState, versionById } from './versions';

/** Adds a comment (plain text, stored byte for byte as given). */
export function addComment(db: Database.Database, target: Target, text: string, actor: Actor): AnnotationVersion {
  const value = validComment(text);
  const author = validAuthor(actor.author);
  const s = statementsFor(db);
  return db.transaction(() => {
    return applyComment(s, requireTarget(s, target), value, author, actor.now());
  }).immediate();
}

/** Replaces a comment's text with a new version; the old text stays in the history. */
export function editComment(db: Database.Database, annotationId: string, text: string, actor: Actor): AnnotationVersion {
  const value = validComment(text);
  const author = validAuthor(actor.author);
  const s = statementsFor(db);
  return db.transaction(() => {
    const live = liveComment(db, annotationId, author);
    // Saving the same text again is not a change worth a version.
    if (live.value === value) return versionById(db, live.version_id)!;
    return appendVersion(s, { annotationId, target: { kind: live.target_kind as Target['kind'], id: live.target_id }, kind: 'comment', value, deleted: false, author, at: actor.now() });
  }).immediate();
}

/** Deletes a comment by writing a tombstone; the comment and its edits stay in the history. */
export function deleteComment(db: Database.Database, annotationId: string, actor: Actor): AnnotationVersion {
  const author = validAuthor(actor.author);
  const s = statementsFor(db);
  return db.transaction(() => {
    const live = liveComment(db, annotationId, author);
    return appendVersion(s, {
      annotationId,
      target: { kind: live.target_kind as Target['kind'], id: live.target_id },
      kind: 'comment',
      value: live.value,
      deleted: true,
      author,
      at: actor.now(),
    });
  }).immediate();
}

/**
 * A comment can be changed only while it is live and only by the person who wrote it: other
 * reviewers answer with a comment of their own, so nobody's words are put in someone else's name.
 */
function liveComment(db: Database.Database, annotationId: string, author: string) {
  const s = statementsFor(db);
  const live = currentState(s, annotationId);
  if (!live || live.kind !== 'comment') {
    const everExisted = s.latestVersion.get(annotationId) !== null;
    throw everExisted
      ? new AnnotationError('conflict', 'This comment was deleted; its text is still in the history.')
      : new AnnotationError('not_found', 'No such comment; refresh and try again.');
  }
  const firstAuthor = db.prepare('SELECT author FROM annotations WHERE annotation_id = ? ORDER BY version_id LIMIT 1').pluck().get(annotationId) as string;
  if (firstAuthor !== author) {
    throw new AnnotationError('forbidden', `Only ${firstAuthor}, who wrote this comment, can change or delete it; add your own comment instead.`);
  }
  return live;
}
