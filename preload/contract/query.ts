import { z } from 'zod';
import { method } from './define';
import { filterModelSchema } from './filter';

/** One row of the review table: the columns, not the whole entry (that is `query.record`). */
export const recordRowSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  event_time: z.number().int(),
  operator_id: z.string(),
  operator_username: z.string(),
  operator_email: z.string(),
  event_type: z.string(),
  event_name: z.string(),
  category: z.string(),
  resource_id: z.string(),
  resource_name: z.string(),
  gateway_group_id: z.string(),
  ip_address: z.string(),
  source: z.string(),
  token_name: z.string(),
  http_method: z.string(),
  http_uri: z.string(),
  status_code: z.number().int(),
  error_message: z.string(),
  failed: z.boolean(),
  /** Highest severity of the findings that include this record, if any. */
  severity: z.enum(['low', 'medium', 'high']).nullable(),
  annotated: z.boolean(),
  review_status: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type RecordRow = z.infer<typeof recordRowSchema>;

export const sortableColumns = [
  'event_time',
  'operator_username',
  'event_type',
  'resource_id',
  'resource_name',
  'ip_address',
  'source',
  'status_code',
  'http_method',
  'token_name',
] as const;
export const sortSchema = z.object({
  column: z.enum(sortableColumns).default('event_time'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type Sort = z.infer<typeof sortSchema>;

export const pageInputSchema = z.object({
  filter: filterModelSchema,
  sort: sortSchema,
  /** Row position in the sorted result (for jumps anywhere, e.g. the scrollbar's end). */
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
});

export const facetSchema = z.object({
  field: z.enum(['operator', 'event_type', 'ip_address', 'resource', 'source', 'status_class', 'category']),
  values: z.array(z.object({ value: z.string(), label: z.string(), count: z.number().int() })),
  /**
   * Set when the counts cover only the newest this-many matching records: a broad filter the
   * summaries cannot answer (full text, an IP block…) is not counted over a million rows.
   */
  newest: z.number().int().optional(),
});

export const histogramSchema = z.object({
  bucketSeconds: z.number().int(),
  buckets: z.array(z.object({ start: z.number().int(), count: z.number().int(), findings: z.number().int() })),
});

export const heatmapSchema = z.object({
  timezone: z.string(),
  operators: z.array(
    z.object({
      operator: z.string(),
      hours: z.array(z.number().int()),
      /** Per hour of day: records of this operator in that hour that belong to a finding. */
      findingHours: z.array(z.number().int()),
      total: z.number().int(),
    }),
  ),
});

export const parsedFilterSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), filter: filterModelSchema, text: z.string() }),
  z.object({ ok: z.literal(false), message: z.string(), position: z.number().int(), length: z.number().int() }),
]);

export const queryMethods = {
  'query.page': method(pageInputSchema, z.object({ rows: z.array(recordRowSchema), offset: z.number().int() })),
  'query.count': method(z.object({ filter: filterModelSchema }), z.object({ count: z.number().int() })),
  'query.record': method(
    z.object({ id: z.string().max(200) }),
    z.object({ row: recordRowSchema, entry: z.record(z.string(), z.unknown()), sha256: z.string(), chain_hash: z.string() }).nullable(),
  ),
  'query.facets': method(
    z.object({ filter: filterModelSchema, limit: z.number().int().min(1).max(50).default(8) }),
    z.array(facetSchema),
  ),
  'query.histogram': method(z.object({ filter: filterModelSchema, buckets: z.number().int().min(10).max(400).default(120) }), histogramSchema),
  'query.heatmap': method(z.object({ filter: filterModelSchema, timezone: z.string().max(64), limit: z.number().int().min(1).max(50).default(15) }), heatmapSchema),
  'query.parseFilter': method(z.object({ text: z.string().max(4096) }), parsedFilterSchema),
  'query.formatFilter': method(z.object({ filter: filterModelSchema }), z.object({ text: z.string() })),
  'query.eventTypes': method(
    z.object({}),
    z.array(z.object({ key: z.string(), name: z.string(), category: z.string(), flags: z.array(z.string()) })),
  ),
};
