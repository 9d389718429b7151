import type { Command } from 'commander';
import { hasKeyFile } from '../../core/cache/keys';
import { rekeyCache } from '../../core/cache/rekey';
import { CliError } from '../errors';
import { cliErrorFromCache } from '../open-cache';
import { readPassphrase } from '../passphrase';

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * `audit-review rekey --cache DIR` — re-encrypts the whole database under a new random key (the
 * passphrase stays). For when the old key may have leaked; close the app on this cache first.
 */
export function registerRekey(program: Command): void {
  program
    .command('rekey')
    .description('Re-encrypt the cache database with a new random key (same passphrase); close the app first')
    .requiredOption('--cache <dir>', 'cache folder')
    .action(async (flags: { cache: string }) => {
      if (!hasKeyFile(flags.cache)) throw new CliError(`no cache in ${flags.cache}`);
      const passphrase = await readPassphrase();
      let result;
      try {
        result = rekeyCache(flags.cache, passphrase, { now: unixNow, actor: process.env.USER ?? 'cli' });
      } catch (error) {
        throw cliErrorFromCache(error);
      }
      const dropped = result.droppedWrappers.length > 0 ? `; unlock it once in the app to re-enable ${result.droppedWrappers.join(', ')}` : '';
      process.stdout.write(`cache re-encrypted with a new key: ${result.records} records kept${dropped}\n`);
    });
}
