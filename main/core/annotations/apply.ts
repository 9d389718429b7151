import { newCommentId, statusAnnotationId, tagAnnotationId } from './ids';
import type { AnnotationStatements } from './statements';
import type { AnnotationVersion, ReviewStatus, Target } from './types';
import { appendVersion, currentState } from './versions';

/**
 * The changes a reviewer can make to one target, shared by the single-target functions and bulk
 * actions. Each returns the version it wrote, or null when the target already was in the wanted
 * state — no version then, so history shows only real changes and an undo cannot remove a tag
 * that was there before. Inputs are already validated; the caller holds a transaction.
 */
export function applyAddTag(s: AnnotationStatements, target: Target, tag: string, author: string, at: number): AnnotationVersion | null {
  const annotationId = tagAnnotationId(target, tag);
  if (currentState(s, annotationId)) return null;
  return appendVersion(s, { annotationId, target, kind: 'tag', value: tag, deleted: false, author, at });
}

export function applyRemoveTag(s: AnnotationStatements, target: Target, tag: string, author: string, at: number): AnnotationVersion | null {
  const annotationId = tagAnnotationId(target, tag);
  if (!currentState(s, annotationId)) return null;
  return appendVersion(s, { annotationId, target, kind: 'tag', value: tag, deleted: true, author, at });
}

export function applySetStatus(s: AnnotationStatements, target: Target, status: ReviewStatus, author: string, at: number): AnnotationVersion | null {
  const annotationId = statusAnnotationId(target);
  const currentValue = currentState(s, annotationId)?.value;
  // No status at all already means "unreviewed".
  if (currentValue === status || (currentValue === undefined && status === 'unreviewed')) return null;
  return appendVersion(s, { annotationId, target, kind: 'status', value: status, deleted: false, author, at });
}

export function applyComment(s: AnnotationStatements, target: Target, text: string, author: string, at: number): AnnotationVersion {
  return appendVersion(s, { annotationId: newCommentId(), target, kind: 'comment', value: text, deleted: false, author, at });
}
