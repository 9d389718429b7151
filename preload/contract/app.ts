import { z } from 'zod';
import { method } from './define';
import { empty } from './common';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser-host', 'in-process']),
  platform: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appMethods = {
  'app.info': method(empty, appInfoSchema),
};
