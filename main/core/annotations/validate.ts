import { AnnotationError } from './errors';
import { REVIEW_STATUSES, type ReviewStatus, type Target } from './types';

export const MAX_COMMENT_LENGTH = 10_000;
export const MAX_TAG_LENGTH = 64;
const MAX_AUTHOR_LENGTH = 256;
const MAX_TARGET_ID_LENGTH = 200;

// Comments are plain text, so line breaks and tabs belong; other control characters (NUL, escape
// sequences) only ever arrive by accident or to confuse a terminal or spreadsheet reading an export.
const COMMENT_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const TAG_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]/;

/** A comment is stored exactly as given (never trimmed, never interpreted as markup). */
export function validComment(text: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw new AnnotationError('invalid_input', 'A comment cannot be empty.');
  if (text.length > MAX_COMMENT_LENGTH) {
    throw new AnnotationError('invalid_input', `A comment can be at most ${MAX_COMMENT_LENGTH.toLocaleString('en-US')} characters; this one has ${text.length.toLocaleString('en-US')}. Shorten it or split it in two.`);
  }
  if (COMMENT_FORBIDDEN.test(text)) throw new AnnotationError('invalid_input', 'A comment cannot contain control characters other than line breaks and tabs.');
  return text;
}

/** Tags are trimmed; a comma is refused because the filter language uses it between values (tag:a,b). */
export function validTag(tag: string): string {
  const trimmed = typeof tag === 'string' ? tag.trim() : '';
  if (trimmed === '') throw new AnnotationError('invalid_input', 'A tag cannot be empty.');
  if (trimmed.length > MAX_TAG_LENGTH) throw new AnnotationError('invalid_input', `A tag can be at most ${MAX_TAG_LENGTH} characters.`);
  if (TAG_FORBIDDEN.test(trimmed)) throw new AnnotationError('invalid_input', 'A tag cannot contain control characters.');
  if (trimmed.includes(',')) throw new AnnotationError('invalid_input', 'A tag cannot contain a comma (the filter tag:a,b uses commas between tags).');
  return trimmed;
}

export function validStatus(status: string): ReviewStatus {
  // Accept the filter language's dashed spelling too (needs-follow-up), store the canonical one.
  const normalized = typeof status === 'string' ? status.trim().toLowerCase().replace(/-/g, ' ') : '';
  const known = REVIEW_STATUSES.find((s) => s === normalized);
  if (!known) throw new AnnotationError('invalid_input', `Unknown review status "${String(status)}"; use one of: ${REVIEW_STATUSES.join(', ')}.`);
  return known;
}

export function validAuthor(author: string): string {
  const trimmed = typeof author === 'string' ? author.trim() : '';
  if (trimmed === '' || trimmed.length > MAX_AUTHOR_LENGTH || TAG_FORBIDDEN.test(trimmed)) {
    throw new AnnotationError('invalid_input', 'Annotations need the name of the signed-in user; sign in again.');
  }
  return trimmed;
}

export function validTarget(target: Target): Target {
  if (!target || (target.kind !== 'record' && target.kind !== 'finding')) {
    throw new AnnotationError('invalid_input', 'Annotations go on a record or a finding.');
  }
  if (typeof target.id !== 'string' || target.id === '' || target.id.length > MAX_TARGET_ID_LENGTH) {
    throw new AnnotationError('invalid_input', `A ${target.kind} id must be 1–${MAX_TARGET_ID_LENGTH} characters.`);
  }
  return target;
}
