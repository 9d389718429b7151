import { z } from 'zod';
import { method } from './define';
import { ok } from './common';

export const severitySchema = z.enum(['low', 'medium', 'high']);

export const findingSchema = z.object({
  id: z.string(),
  rule: z.string(),
  severity: severitySchema,
  operator_id: z.string(),
  operator: z.string(),
  first_event_time: z.number().int(),
  last_event_time: z.number().int(),
  explanation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  record_count: z.number().int(),
  suppressed: z.boolean(),
  suppression_id: z.string().nullable(),
});
export type FindingView = z.infer<typeof findingSchema>;

export const suppressionMatchSchema = z
  .object({
    operator_id: z.string().min(1).max(256).optional(),
    ip: z.string().min(1).max(64).optional(),
    event_type: z.string().min(1).max(200).optional(),
    token_name: z.string().min(1).max(256).optional(),
  })
  .strict();

export const suppressionViewSchema = z.object({
  id: z.string(),
  rule: z.string(),
  match: suppressionMatchSchema,
  reason: z.string(),
  author: z.string(),
  created_at: z.number().int(),
  expires_at: z.number().int().optional(),
});
export type SuppressionView = z.infer<typeof suppressionViewSchema>;

export const scanSummarySchema = z.object({
  mode: z.enum(['full', 'snapshot', 'replay']),
  written: z.number().int(),
  newHigh: z.number().int(),
  seconds: z.number(),
});

export const findingMethods = {
  'findings.summary': method(
    z.object({}),
    z.array(z.object({ rule: z.string(), severity: z.string(), count: z.number().int(), suppressed: z.number().int() })),
  ),
  'findings.list': method(
    z.object({
      rule: z.string().max(64).optional(),
      severity: severitySchema.optional(),
      suppressed: z.boolean().optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ total: z.number().int(), findings: z.array(findingSchema) }),
  ),
  'findings.forRecord': method(z.object({ id: z.string().max(200) }), z.array(findingSchema)),
  'findings.rescan': method(z.object({ full: z.boolean().default(true) }), scanSummarySchema),
  'suppressions.list': method(z.object({}), z.array(suppressionViewSchema)),
  'suppressions.add': method(
    z.object({ rule: z.string().max(64), match: suppressionMatchSchema, reason: z.string().trim().min(1).max(2000), expires_at: z.number().int().optional() }),
    suppressionViewSchema,
  ),
  'suppressions.lift': method(z.object({ id: z.string().max(64), reason: z.string().trim().min(1).max(2000) }), ok),
  'anomalies.config': method(z.object({}), z.object({ config: z.record(z.string(), z.unknown()), defaults: z.record(z.string(), z.unknown()) })),
  'anomalies.setConfig': method(z.object({ config: z.record(z.string(), z.unknown()) }), z.object({ config: z.record(z.string(), z.unknown()) })),
};

export const findingEvents = {
  'findings.new': z.object({
    written: z.number().int(),
    high: z.array(z.object({ id: z.string(), rule: z.string(), explanation: z.string() })),
  }),
};
