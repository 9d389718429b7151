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
