import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** App-wide settings that are not secret and not about one cache (settings.json in the data folder). */
const settingsSchema = z.object({
  watch: z.object({ enabled: z.boolean(), intervalMinutes: z.number().min(1).max(1440) }).default({ enabled: true, intervalMinutes: 5 }),
  /** Lock the cache after this many idle minutes; 0 = never. */
  autoLockMinutes: z.number().int().min(0).max(1440).default(15),
});
export type AppSettings = z.infer<typeof settingsSchema>;

export function readAppSettings(dataDir: string): AppSettings {
  try {
    return settingsSchema.parse(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')));
  } catch {
    return settingsSchema.parse({});
  }
}

export function writeAppSettings(dataDir: string, next: Partial<AppSettings>): AppSettings {
  const merged = settingsSchema.parse({ ...readAppSettings(dataDir), ...next });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tmp = join(dataDir, 'settings.json.tmp');
  writeFileSync(tmp, JSON.stringify(merged, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dataDir, 'settings.json'));
  return merged;
}
