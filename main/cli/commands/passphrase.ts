import type { Command } from 'commander';
import { changeCachePassphrase } from '../../core/access/change-passphrase';
import { hasKeyFile } from '../../core/cache/keys';
import { CliError } from '../errors';
import { cliErrorFromCache } from '../open-cache';
import { askHidden, readPassphrase } from '../passphrase';

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * `audit-review passphrase --cache DIR` — changes the cache passphrase. Only keys.json changes (the
 * database key is wrapped again), so it is instant. Old passphrase from AUDIT_REVIEW_PASSPHRASE or
 * asked; new from AUDIT_REVIEW_NEW_PASSPHRASE or asked twice.
 */
export function registerPassphrase(program: Command): void {
  program
    .command('passphrase')
    .description('Change the cache passphrase (re-wraps the key; the data is not re-encrypted)')
    .requiredOption('--cache <dir>', 'cache folder')
    .action(async (flags: { cache: string }) => {
      if (!hasKeyFile(flags.cache)) throw new CliError(`no cache in ${flags.cache}`);
      const oldPassphrase = await readPassphrase('Current passphrase: ');
      const newPassphrase = await readNewPassphrase();
      if (newPassphrase === oldPassphrase) throw new CliError('the new passphrase is the same as the current one; nothing was changed', 2);
      try {
        changeCachePassphrase(flags.cache, oldPassphrase, newPassphrase, { now: unixNow, actor: process.env.USER ?? 'cli' });
      } catch (error) {
        throw cliErrorFromCache(error);
      }
      process.stdout.write('passphrase changed; use the new one from now on\n');
    });
}

async function readNewPassphrase(): Promise<string> {
  const fromEnv = process.env.AUDIT_REVIEW_NEW_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new CliError('no new passphrase: set AUDIT_REVIEW_NEW_PASSPHRASE or run in a terminal to be asked', 2);
  const first = await askHidden('New passphrase: ');
  if (first === '') throw new CliError('the new passphrase is empty; nothing was changed', 2);
  const second = await askHidden('Repeat new passphrase: ');
  if (first !== second) throw new CliError('the two new passphrases differ; nothing was changed', 2);
  return first;
}
