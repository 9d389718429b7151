/**
 * Errors from annotating and campaigns, written for the person using the app. `code` tells the UI
 * what to offer: `invalid_input` (fix the text), `not_found` (refresh), `conflict` (already done),
 * `forbidden` (someone else's comment).
 */
export type AnnotationErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'forbidden';

export class AnnotationError extends Error {
  constructor(
    readonly code: AnnotationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AnnotationError';
  }
}
