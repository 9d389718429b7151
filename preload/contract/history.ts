import { z } from 'zod';
import { method } from './define';

/**
 * Resource change history and "changes around a moment": the two questions an auditor asks after
 * an outage ("who changed what, just before?"). Values inside diffs and states are plain JSON
 * (`unknown` here: they come from stored request bodies); the UI renders them as text.
 */

/** A step into a JSON value: an object key or an array index. */
export const pathSegmentSchema = z.union([z.string(), z.number().int().min(0)]);

/**
 * One difference between two JSON values. `path` is for people (`upstream.nodes[0].host`, '' for
 * the whole body); `segments` is the same path as data, for code that must not parse `path`.
 */
export const diffChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), path: z.string(), segments: z.array(pathSegmentSchema), after: z.unknown() }),
  z.object({ kind: z.literal('removed'), path: z.string(), segments: z.array(pathSegmentSchema), before: z.unknown() }),
  z.object({ kind: z.literal('changed'), path: z.string(), segments: z.array(pathSegmentSchema), before: z.unknown(), after: z.unknown() }),
]);
export type DiffChange = z.infer<typeof diffChangeSchema>;

export const jsonDiffSchema = z.object({
  changes: z.array(diffChangeSchema),
  /** Arrays whose length changed (their extra or missing items are also listed as added/removed). */
  lengthChanges: z.array(z.object({ path: z.string(), segments: z.array(pathSegmentSchema), before: z.number().int(), after: z.number().int() })),
  /** True when the diff was cut at its size limit; the remaining changes are not listed. */
  truncated: z.boolean(),
});
export type JsonDiff = z.infer<typeof jsonDiffSchema>;

export const changeVerbSchema = z.enum(['create', 'update', 'delete']);
export const changeNoteSchema = z.enum(['created', 'updated', 'deleted', 're-created', 'failed attempt']);
export type ChangeNote = z.infer<typeof changeNoteSchema>;

export const resourceChangeSchema = z.object({
  id: z.string(),
  event_time: z.number().int(),
  operator_id: z.string(),
  /** Username, else email, else id: what to show. */
  operator: z.string(),
  ip_address: z.string(),
  event_type: z.string(),
  verb: changeVerbSchema,
  http_method: z.string(),
  outcome: z.enum(['applied', 'failed']),
  status_code: z.number().int(),
  error_message: z.string(),
  resource_name: z.string(),
  /** The request body as sent (null when the request had none): what was attempted. */
  request_body: z.unknown(),
  /**
   * The resource after this change: the body of a create or a PUT, the merge for a PATCH, null after a
   * delete. A failed attempt changes nothing, so it repeats the state before it.
   */
  state_after: z.unknown(),
  /** True when state_after came from a PATCH with no known earlier state: only part of the resource. */
  partial: z.boolean(),
  /** Against the previous applied state; null for failed attempts and when no earlier state is known. */
  diff: jsonDiffSchema.nullable(),
  note: changeNoteSchema,
});
export type ResourceChange = z.infer<typeof resourceChangeSchema>;

export const resourceHistorySchema = z.object({
  resource_id: z.string(),
  /** Every non-empty resource_name seen, in order of first appearance. */
  names: z.array(z.string()),
  /** All changes to the resource in the cache (the list below may hold only the latest `limit`). */
  total: z.number().int(),
  /** Oldest first. */
  changes: z.array(resourceChangeSchema),
  /** True when older changes were left out of `changes` to respect `limit`. */
  truncated: z.boolean(),
});
export type ResourceHistory = z.infer<typeof resourceHistorySchema>;

export const resourceStateSchema = z.object({
  resource_id: z.string(),
  time: z.number().int(),
  /** False when the resource did not exist at `time` (never created yet, or deleted). */
  exists: z.boolean(),
  state: z.unknown(),
  partial: z.boolean(),
  /** The last applied change at or before `time`; null when there is none in the cache. */
  as_of: z.object({ id: z.string(), event_time: z.number().int(), event_type: z.string(), operator: z.string() }).nullable(),
});
export type ResourceState = z.infer<typeof resourceStateSchema>;

export const aroundChangeSchema = z.object({
  id: z.string(),
  event_time: z.number().int(),
  /** Seconds from the chosen moment (negative: before it). */
  offset_seconds: z.number().int(),
  operator_id: z.string(),
  operator: z.string(),
  ip_address: z.string(),
  event_type: z.string(),
  verb: changeVerbSchema,
  resource_id: z.string(),
  resource_name: z.string(),
  outcome: z.enum(['applied', 'failed']),
  status_code: z.number().int(),
});
export type AroundChange = z.infer<typeof aroundChangeSchema>;

const groupCounts = { count: z.number().int(), failed: z.number().int(), changes: z.array(aroundChangeSchema) };

export const changesAroundSchema = z.object({
  time: z.number().int(),
  minutes: z.number().int(),
  /** The window, inclusive at both ends, in Unix seconds. */
  from: z.number().int(),
  to: z.number().int(),
  total: z.number().int(),
  failed: z.number().int(),
  /** True when there were more changes than the listing limit; counts still cover all of them. */
  truncated: z.boolean(),
  /** Oldest first. */
  changes: z.array(aroundChangeSchema),
  by_resource: z.array(z.object({ resource_id: z.string(), resource_name: z.string(), operators: z.array(z.string()), ...groupCounts })),
  by_operator: z.array(z.object({ operator_id: z.string(), operator: z.string(), resources: z.array(z.string()), ...groupCounts })),
});
export type ChangesAround = z.infer<typeof changesAroundSchema>;

/** Longest window either side of the moment: a week. */
export const MAX_AROUND_MINUTES = 7 * 24 * 60;

export const historyMethods = {
  'history.resource': method(
    z.object({ resourceId: z.string().min(1).max(512), limit: z.number().int().min(1).max(5000).default(500) }),
    resourceHistorySchema,
  ),
  'history.stateAt': method(z.object({ resourceId: z.string().min(1).max(512), time: z.number().int().min(0) }), resourceStateSchema),
  'history.around': method(
    z
      .object({
        /** The moment, Unix seconds; or give `recordId` to use that record's time. */
        time: z.number().int().min(0).optional(),
        recordId: z.string().min(1).max(200).optional(),
        minutes: z.number().int().min(0).max(MAX_AROUND_MINUTES).default(30),
      })
      .refine((input) => (input.time === undefined) !== (input.recordId === undefined), { message: 'give either time or recordId' }),
    changesAroundSchema,
  ),
};
