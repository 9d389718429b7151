import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The passphrase of the prepared cache (test data only). */
export const LARGE_CACHE_PASSPHRASE = 'large cache passphrase';
/** Bump when the prepared folder's layout or contents change, so old copies are rebuilt. */
export const LARGE_LAYOUT_VERSION = 1;
/** How many generated records the large e2e works on (E2E_LARGE_EVENTS overrides, e.g. for a quick local run). */
export const LARGE_EVENTS = Number(process.env.E2E_LARGE_EVENTS ?? 1_000_000);
/** Rebuilt before the app's 30-day offline lease (counted from the build) could run out. */
const MAX_AGE_SECONDS = 20 * 86_400;

const preparedDir = resolve('test/e2e/.data', `large-${LARGE_EVENTS}`);

function isReady(): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(preparedDir, 'ready.json'), 'utf8')) as { version: number; events: number; builtAt: number };
    return marker.version === LARGE_LAYOUT_VERSION && marker.events === LARGE_EVENTS && Date.now() / 1000 - marker.builtAt < MAX_AGE_SECONDS;
  } catch {
    return false;
  }
}

/**
 * The prepared data folder (built on first use, reused after: test/e2e/.data is gitignored).
 * Building a million records takes minutes; it runs in a child process with room for the generator.
 */
export function ensurePreparedFolder(): string {
  if (!isReady()) {
    execFileSync(process.execPath, ['--import', 'tsx', resolve('test/e2e/large/prepare-large-cache.ts'), preparedDir, String(LARGE_EVENTS)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
    });
  }
  if (!existsSync(join(preparedDir, 'ready.json'))) throw new Error(`the large cache in ${preparedDir} was not built`);
  return preparedDir;
}

/** A private copy for one test run, so the prepared folder stays as built. */
export function copyPreparedFolder(to: string): void {
  cpSync(ensurePreparedFolder(), to, { recursive: true });
}
