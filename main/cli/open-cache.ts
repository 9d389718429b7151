import { CacheError } from '../core/cache/errors';
import { openCache, type Cache, type CacheOwner } from '../core/cache/cache';
import { hasKeyFile } from '../core/cache/keys';
import { CliError } from './errors';
import { readPassphrase } from './passphrase';

/**
 * Opens the cache named by --cache for a CLI command. An existing cache asks for its passphrase
 * once; a new one (only when `create` says who owns it) asks twice so a typo cannot lock the user
 * out. Cache errors become one-line CLI errors that say what to do.
 */
export async function openCacheForCli(dir: string, options: { create?: CacheOwner; origin?: string } = {}): Promise<Cache> {
  const exists = hasKeyFile(dir);
  if (!exists && !options.create) {
    throw new CliError(`no cache in ${dir}; create one with audit-review sync or audit-review import`);
  }
  const passphrase = exists ? await readPassphrase('Cache passphrase: ') : await readPassphrase('New cache passphrase: ', true);
  try {
    return openCache(dir, { passphrase, ...(options.create ? { create: options.create } : {}), ...(options.origin ? { origin: options.origin } : {}) });
  } catch (error) {
    throw cliErrorFromCache(error);
  }
}

export function cliErrorFromCache(error: unknown): unknown {
  if (!(error instanceof CacheError)) return error;
  switch (error.kind) {
    case 'wrong_passphrase':
      return new CliError(`${error.message}; try again (AUDIT_REVIEW_PASSPHRASE may hold an old one)`);
    default:
      return new CliError(error.message);
  }
}
