import { z } from 'zod';
import { method } from './define';
import { ok, unixSeconds } from './common';
import { filterModelSchema } from './filter';

/**
 * Annotations (comments, tags, review status on records and findings) and review campaigns.
 * Every change is a new version; mutations answer with the target's current state and history,
 * so the detail panel redraws from one reply. Text is plain text: the UI renders it as text.
 */

/** Stored with spaces; the filter language writes them with dashes (status:needs-follow-up). */
export const reviewStatuses = ['unreviewed', 'reviewed', 'needs follow up', 'false positive', 'escalated'] as const;
export const reviewStatusSchema = z.enum(reviewStatuses);

export const annotationTargetSchema = z.object({
  kind: z.enum(['record', 'finding']),
  id: z.string().min(1).max(200),
});
export type AnnotationTarget = z.infer<typeof annotationTargetSchema>;

const annotationIdSchema = z.string().min(1).max(600);
// Length limits here stop oversized payloads early; the core checks the rest (trim, control characters).
const commentTextSchema = z.string().min(1).max(10_000);
const tagSchema = z.string().min(1).max(200);

export const annotationVersionSchema = z.object({
  version_id: z.number().int(),
  annotation_id: z.string(),
  target_kind: z.enum(['record', 'finding']),
  target_id: z.string(),
  kind: z.enum(['comment', 'tag', 'status']),
  value: z.string(),
  author: z.string(),
  created_at: unixSeconds,
  prev_version: z.number().int().nullable(),
  /** A tombstone: the comment or tag was removed (its earlier versions stay in the history). */
  deleted: z.boolean(),
});
export type AnnotationVersion = z.infer<typeof annotationVersionSchema>;

export const currentAnnotationsSchema = z.object({
  status: z.object({ value: z.string(), author: z.string(), updated_at: unixSeconds, version_id: z.number().int() }).nullable(),
  tags: z.array(z.object({ annotation_id: z.string(), value: z.string(), author: z.string(), updated_at: unixSeconds, version_id: z.number().int() })),
  comments: z.array(
    z.object({
      annotation_id: z.string(),
      value: z.string(),
      author: z.string(),
      created_at: unixSeconds,
      updated_at: unixSeconds,
      version_id: z.number().int(),
      edited: z.boolean(),
    }),
  ),
});
export type CurrentAnnotations = z.infer<typeof currentAnnotationsSchema>;

export const targetAnnotationsSchema = z.object({
  current: currentAnnotationsSchema,
  /** Oldest first, tombstones included. */
  history: z.array(annotationVersionSchema),
});
export type TargetAnnotations = z.infer<typeof targetAnnotationsSchema>;

export const bulkTargetSchema = z.union([
  z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(100_000), kind: z.enum(['record', 'finding']).default('record') }).strict(),
  z.object({ filter: filterModelSchema }).strict(),
]);

export const bulkActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addTag'), tag: tagSchema }),
  z.object({ type: z.literal('removeTag'), tag: tagSchema }),
  z.object({ type: z.literal('setStatus'), status: reviewStatusSchema, reason: commentTextSchema.optional() }),
]);
export type BulkActionInput = z.infer<typeof bulkActionSchema>;

export const bulkResultSchema = z.object({
  batchId: z.string(),
  total: z.number().int(),
  /** Targets that changed; the rest already were in the wanted state. */
  affected: z.number().int(),
  /** Named ids not in the cache. */
  missing: z.number().int(),
  cancelled: z.boolean(),
});

export const undoResultSchema = z.object({
  batchId: z.string(),
  undone: z.string(),
  restored: z.number().int(),
  /** Annotations changed again after the bulk action, left as they are. */
  skipped: z.number().int(),
});

export const annotationBatchSchema = z.object({
  id: z.string(),
  action: z.enum(['addTag', 'removeTag', 'setStatus', 'undo']),
  value: z.string(),
  reason: z.string().nullable(),
  target_kind: z.enum(['record', 'finding']),
  scope: z.unknown(),
  author: z.string(),
  created_at: unixSeconds,
  total: z.number().int(),
  affected: z.number().int(),
  finished_at: unixSeconds.nullable(),
  cancelled: z.boolean(),
  undoes: z.string().nullable(),
  undone_by: z.string().nullable(),
});

/** Event 'annotations.progress': how far a bulk action or an undo has come. */
export const annotationProgressSchema = z.object({
  batchId: z.string(),
  phase: z.enum(['bulk', 'undo']),
  done: z.number().int(),
  total: z.number().int(),
});
export type AnnotationProgress = z.infer<typeof annotationProgressSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope_filter: filterModelSchema,
  scope_text: z.string(),
  period_from: unixSeconds,
  period_to: unixSeconds,
  reviewers: z.array(z.string()),
  created_by: z.string(),
  created_at: unixSeconds,
  updated_at: unixSeconds,
  archived_at: unixSeconds.nullable(),
});
export type CampaignInfo = z.infer<typeof campaignSchema>;

export const campaignCoverageSchema = z.object({
  campaign_id: z.string(),
  records_in_scope: z.number().int(),
  records_with_status: z.number().int(),
  by_status: z.record(z.string(), z.number().int()),
  by_reviewer: z.record(z.string(), z.number().int()),
  findings_in_scope: z.number().int(),
  findings_with_status: z.number().int(),
  findings_by_status: z.record(z.string(), z.number().int()),
  /** Rounded down to one decimal; null when nothing is in scope. */
  percent_records: z.number().nullable(),
  percent_findings: z.number().nullable(),
  computed_at: unixSeconds,
});
export type CampaignCoverageInfo = z.infer<typeof campaignCoverageSchema>;

const reviewersSchema = z.array(z.string().min(1).max(256)).max(50);

export const annotationMethods = {
  'annotations.forTarget': method(z.object({ target: annotationTargetSchema }), targetAnnotationsSchema),
  'annotations.comment': method(z.object({ target: annotationTargetSchema, text: commentTextSchema }), targetAnnotationsSchema),
  'annotations.editComment': method(z.object({ annotationId: annotationIdSchema, text: commentTextSchema }), targetAnnotationsSchema),
  'annotations.deleteComment': method(z.object({ annotationId: annotationIdSchema }), targetAnnotationsSchema),
  'annotations.tag': method(z.object({ target: annotationTargetSchema, tag: tagSchema }), targetAnnotationsSchema),
  'annotations.untag': method(z.object({ target: annotationTargetSchema, tag: tagSchema }), targetAnnotationsSchema),
  'annotations.setStatus': method(
    z.object({ target: annotationTargetSchema, status: reviewStatusSchema, reason: commentTextSchema.optional() }),
    targetAnnotationsSchema,
  ),
  /** Tags in use, most used first, for autocomplete. */
  'annotations.tags': method(
    z.object({ prefix: z.string().max(64).default(''), limit: z.number().int().min(1).max(200).default(20) }),
    z.array(z.object({ tag: z.string(), count: z.number().int() })),
  ),
  /** Applies one action to a selection or to every record a filter matches; progress arrives as 'annotations.progress'. */
  'annotations.bulk': method(z.object({ target: bulkTargetSchema, action: bulkActionSchema }), bulkResultSchema),
  'annotations.cancelBulk': method(z.object({ batchId: z.string().max(100) }), ok),
  'annotations.undo': method(z.object({ batchId: z.string().max(100) }), undoResultSchema),
  'annotations.batches': method(z.object({ limit: z.number().int().min(1).max(500).default(20) }), z.array(annotationBatchSchema)),
  'campaigns.list': method(z.object({ includeArchived: z.boolean().default(false) }), z.array(campaignSchema)),
  'campaigns.create': method(
    z.object({
      name: z.string().min(1).max(120),
      filter: filterModelSchema,
      periodFrom: unixSeconds,
      periodTo: unixSeconds,
      reviewers: reviewersSchema.default([]),
    }),
    campaignSchema,
  ),
  'campaigns.update': method(z.object({ id: z.string().max(100), name: z.string().min(1).max(120).optional(), reviewers: reviewersSchema.optional() }), campaignSchema),
  'campaigns.coverage': method(z.object({ id: z.string().max(100) }), campaignCoverageSchema),
  'campaigns.archive': method(z.object({ id: z.string().max(100) }), campaignSchema),
};
