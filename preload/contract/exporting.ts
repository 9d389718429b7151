import { z } from 'zod';
import { method } from './define';
import { empty, ok, unixSeconds } from './common';
import { filterModelSchema } from './filter';

/**
 * Exports (signed packages of the current filter), package verification and the cache's signing
 * key. An export runs in the background: 'export.start' returns a job id at once, progress arrives
 * as 'export.progress' events, and 'export.status' gives the latest progress to a page that
 * (re)connects later. Paths are plain text the user typed or chose; the core validates them.
 */
export const exportFormatSchema = z.enum(['csv', 'json', 'xlsx']);
export const exportRedactionSchema = z.enum(['ip', 'operator', 'bodies']);

export const exportPhaseSchema = z.enum(['idle', 'preparing', 'records', 'xlsx', 'zip', 'done', 'cancelled', 'failed']);

export const exportProgressSchema = z.object({
  jobId: z.string().nullable(),
  phase: exportPhaseSchema,
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  /** The package being written (only final once phase is 'done'). */
  path: z.string().nullable(),
  /** Why the export stopped (phase 'failed' or 'cancelled'); written for the user. */
  error: z.string().nullable(),
  result: z
    .object({ packageId: z.string(), recordCount: z.number().int().min(0), merkleRoot: z.string(), keyId: z.string(), bytes: z.number().int().min(0) })
    .nullable(),
});
export type ExportProgressPayload = z.infer<typeof exportProgressSchema>;

export const exportStartSchema = z.object({
  filter: filterModelSchema,
  formats: z.array(exportFormatSchema).min(1).max(3),
  redact: z.array(exportRedactionSchema).max(3).default([]),
  /** Absolute path of a new .zip in an existing folder. */
  outPath: z.string().min(1).max(4096),
});

export const verifyCheckSchema = z.object({ name: z.string(), ok: z.boolean(), warning: z.boolean().optional(), detail: z.string() });

export const verifyReportSchema = z.object({
  ok: z.boolean(),
  summary: z.string(),
  checks: z.array(verifyCheckSchema),
  /** The package's manifest when it could be read (a plain JSON object), else null. */
  manifest: z.record(z.string(), z.unknown()).nullable(),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

export const publicKeyInfoSchema = z.object({
  fingerprint: z.string(),
  short: z.string(),
  publicPem: z.string(),
  createdAt: unixSeconds,
  retiredAt: unixSeconds.nullable(),
});

export const keysInfoSchema = z.object({
  fingerprint: z.string(),
  short: z.string(),
  publicPem: z.string(),
  createdAt: unixSeconds,
  retired: z.array(publicKeyInfoSchema),
});
export type KeysInfo = z.infer<typeof keysInfoSchema>;

export const exportMethods = {
  'export.start': method(exportStartSchema, z.object({ jobId: z.string() })),
  'export.cancel': method(z.object({ jobId: z.string().max(100).optional() }), ok),
  'export.status': method(empty, exportProgressSchema),
  /** A package .zip or a record proof .json, by absolute path. */
  'verify.package': method(z.object({ path: z.string().min(1).max(4096), requireTrusted: z.boolean().optional() }), verifyReportSchema),
  'keys.info': method(empty, keysInfoSchema),
};

export const exportEvents = {
  'export.progress': exportProgressSchema,
};
