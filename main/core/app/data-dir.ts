import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the browser host and the CLI keep caches when not told otherwise. Electron uses its own
 * userData folder; these follow each platform's convention for the same thing.
 */
export function defaultDataDir(): string {
  if (process.env.AUDIT_REVIEW_DATA_DIR) return process.env.AUDIT_REVIEW_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Audit Review', 'data');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Audit Review', 'data');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'audit-review');
}
