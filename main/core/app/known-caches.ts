import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { KnownCache } from '../../../preload/contract';

/**
 * A small plaintext descriptor next to each cache (owner.json) so the sign-in screen can offer
 * "open offline" without a key. It holds who and where — never a secret or a record.
 */
const ownerFileSchema = z.object({
  gatewayUrl: z.string(),
  userId: z.string(),
  username: z.string(),
  lastSyncedAt: z.number().int().nullable(),
  permissions: z.object({ getAudit: z.boolean(), exportAudits: z.boolean() }).nullable().default(null),
  lastContactAt: z.number().int().nullable().default(null),
});
export type OwnerFile = z.infer<typeof ownerFileSchema>;

export function cachesRoot(dataDir: string): string {
  return join(dataDir, 'caches');
}

export function readOwnerFile(cacheDir: string): OwnerFile | null {
  try {
    return ownerFileSchema.parse(JSON.parse(readFileSync(join(cacheDir, 'owner.json'), 'utf8')));
  } catch {
    return null;
  }
}

export function writeOwnerFile(cacheDir: string, owner: OwnerFile): void {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const tmp = join(cacheDir, 'owner.json.tmp');
  writeFileSync(tmp, JSON.stringify(owner, null, 2), { mode: 0o600 });
  renameSync(tmp, join(cacheDir, 'owner.json'));
}

export function listKnownCaches(dataDir: string): KnownCache[] {
  const root = cachesRoot(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(root, entry.name);
      const owner = readOwnerFile(dir);
      if (!owner || !existsSync(join(dir, 'keys.json'))) return [];
      return [{ id: basename(dir), gatewayUrl: owner.gatewayUrl, userId: owner.userId, username: owner.username, lastSyncedAt: owner.lastSyncedAt }];
    });
}
