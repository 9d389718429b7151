import { z } from 'zod';
import { method } from './define';
import { empty, ok, unixSeconds } from './common';

export const syncProgressSchema = z.object({
  running: z.boolean(),
  phase: z.enum(['idle', 'starting', 'fetching', 'verifying', 'done', 'cancelled', 'failed']),
  records: z.number().int(),
  total: z.number().int().nullable(),
  rate: z.number(),
  etaSeconds: z.number().nullable(),
  window: z.object({ start: unixSeconds, end: unixSeconds }).nullable(),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

export const syncMethods = {
  'sync.start': method(empty, ok),
  'sync.cancel': method(empty, ok),
  'sync.status': method(empty, syncProgressSchema),
};

export const watchStatusSchema = z.object({
  enabled: z.boolean(),
  intervalMinutes: z.number().min(1).max(1440),
  nextRunAt: unixSeconds.nullable(),
  backoffMinutes: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type WatchStatus = z.infer<typeof watchStatusSchema>;

export const watchMethods = {
  'watch.status': method(empty, watchStatusSchema),
  'watch.configure': method(z.object({ enabled: z.boolean().optional(), intervalMinutes: z.number().min(1).max(1440).optional() }), watchStatusSchema),
};
