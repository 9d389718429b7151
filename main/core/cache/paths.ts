import { join } from 'node:path';
import { sha256Hex } from '../records/canonical';

/** File names inside a cache folder. */
export const DB_FILE = 'cache.db';
export const KEYS_FILE = 'keys.json';

/**
 * Gateway URLs are compared after normalising what does not change the server: scheme and host
 * case, a trailing slash, the default port (URL parsing handles case and port).
 */
export function normalizeGatewayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\/+$/, '');
    return `${parsed.protocol}//${parsed.host}${path}`;
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
}

/**
 * One cache per (gateway URL, user id) under the app's data folder. The folder name is a hash so it
 * neither leaks the user id nor breaks on characters a file system refuses.
 */
export function cacheDirFor(dataDir: string, gatewayUrl: string, userId: string): string {
  const id = sha256Hex(`${normalizeGatewayUrl(gatewayUrl)}\n${userId}`).slice(0, 24);
  return join(dataDir, 'caches', id);
}
