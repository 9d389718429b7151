import { z } from 'zod';

/** Every error that crosses the contract has this shape; `code` lets the UI choose what to offer. */
export const apiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type ApiErrorPayload = z.infer<typeof apiErrorSchema>;

export const unixSeconds = z.number().int().min(0);
export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
