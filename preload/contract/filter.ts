import { z } from 'zod';

/**
 * The one filter model: the UI's chips, the text language (`operator:jdoe event:Delete*`), the CLI's
 * `--filter` and exports all become this object, and the query layer turns it into bound SQL.
 * Lists mean "any of"; different fields combine with AND. `not` holds excluded values per field.
 */
export const relativeRangeSchema = z.enum(['1h', '24h', '7d', '30d', '90d']);

export const statusClassSchema = z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']);

export const filterModelSchema = z
  .object({
    /** Absolute bounds in Unix seconds (inclusive); `relative` wins when both are given. */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    relative: relativeRangeSchema.optional(),
    /** `minutes` either side of `time` (Unix seconds), both ends inclusive: "what happened around 14:05?". */
    around: z.object({ time: z.number().int(), minutes: z.number().int().min(0).max(10_080) }).strict().optional(),
    operators: z.array(z.string().max(256)).max(200).optional(),
    /** Event type keys; a trailing `*` matches a prefix (`Delete*`). */
    eventTypes: z.array(z.string().max(200)).max(200).optional(),
    categories: z.array(z.string().max(64)).max(50).optional(),
    resources: z.array(z.string().max(512)).max(200).optional(),
    /** Addresses or CIDR blocks (IPv4 or IPv6). */
    ips: z.array(z.string().max(64)).max(200).optional(),
    sources: z.array(z.string().max(32)).max(10).optional(),
    tokenNames: z.array(z.string().max(256)).max(100).optional(),
    methods: z.array(z.string().max(16)).max(10).optional(),
    statusClasses: z.array(statusClassSchema).max(5).optional(),
    hasError: z.boolean().optional(),
    hasFinding: z.boolean().optional(),
    severities: z.array(z.enum(['low', 'medium', 'high'])).max(3).optional(),
    findingIds: z.array(z.string().max(128)).max(50).optional(),
    tags: z.array(z.string().max(128)).max(50).optional(),
    reviewStatuses: z.array(z.string().max(64)).max(10).optional(),
    hasComment: z.boolean().optional(),
    annotatedBy: z.array(z.string().max(256)).max(20).optional(),
    /** Full-text terms (FTS5), all must match. */
    text: z.array(z.string().max(512)).max(20).optional(),
    not: z
      .object({
        operators: z.array(z.string().max(256)).max(200).optional(),
        eventTypes: z.array(z.string().max(200)).max(200).optional(),
        ips: z.array(z.string().max(64)).max(200).optional(),
        sources: z.array(z.string().max(32)).max(10).optional(),
      })
      .optional(),
  })
  .strict();
export type FilterModel = z.infer<typeof filterModelSchema>;
