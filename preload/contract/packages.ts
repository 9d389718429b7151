import { z } from 'zod';
import { method } from './define';

/** Browsing a package's records read-only (after verifying it), one page at a time. */
export const packageMethods = {
  'package.records': method(
    z.object({ path: z.string().min(1).max(4096), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    z.object({
      total: z.number().int(),
      source: z.enum(['records.json', 'records.csv']).nullable(),
      records: z.array(z.record(z.string(), z.unknown())),
      problems: z.array(z.string()),
    }),
  ),
};
