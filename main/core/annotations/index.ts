/** Reviewers' comments, tags and statuses on records and findings: append-only, with history. */
export type { Actor } from './actor';
export { addComment, editComment, deleteComment } from './comments';
export { addTag, removeTag, listTags, type TagCount } from './tags';
export { setStatus, type SetStatusResult } from './status';
export { historyFor, currentFor } from './read';
export { bulkAnnotate, type BulkAction, type BulkProgress, type BulkRequest, type BulkResult } from './bulk';
export type { BulkTargets } from './bulk-targets';
export { undoBatch, type UndoProgress, type UndoResult } from './undo';
export { getBatch, listBatches, type AnnotationBatch } from './batches';
export { annotationsForExport, type ExportedAnnotation } from './export';
export { AnnotationError, type AnnotationErrorCode } from './errors';
export { MAX_COMMENT_LENGTH, MAX_TAG_LENGTH } from './validate';
export * from './types';
