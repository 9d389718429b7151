import { randomUUID } from 'node:crypto';
import type { Target } from './types';

/**
 * Annotation ids. A status and a tag have ids derived from what they are about, so a target has at
 * most one status annotation and one annotation per tag — re-adding a removed tag continues the
 * same history instead of starting a parallel one, and bulk actions find the annotation by primary
 * key. The JSON part keeps ids unambiguous whatever characters a record id or tag contains.
 * Comments are independent notes, so each gets a random id.
 */
export function statusAnnotationId(target: Target): string {
  return `status:${target.kind}:${JSON.stringify([target.id])}`;
}

export function tagAnnotationId(target: Target, tag: string): string {
  return `tag:${target.kind}:${JSON.stringify([target.id, tag])}`;
}

export function newCommentId(): string {
  return `comment:${randomUUID()}`;
}
