import type { Command } from 'commander';
import { checkCache } from '../../core/cache/check';
import { hasKeyFile } from '../../core/cache/keys';
import { CliError } from '../errors';
import { cliErrorFromCache } from '../open-cache';
import { readPassphrase } from '../passphrase';

/** `audit-review check --cache DIR`: exit 0 when intact, 1 when broken (naming the first broken record). */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Verify the cache: encrypted page integrity, database structure, every record hash, the hash chain and the summary counts')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--json', 'print the result as JSON')
    .action(async (options: { cache: string; json?: boolean }) => {
      if (!hasKeyFile(options.cache)) throw new CliError(`no cache in ${options.cache}`);
      const passphrase = await readPassphrase();
      let result;
      try {
        result = checkCache(options.cache, passphrase);
      } catch (error) {
        throw cliErrorFromCache(error);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else if (result.ok) {
        process.stdout.write(`cache OK: ${result.records} records, storage integrity ok, hash chain intact, summaries match, search index complete\n`);
      } else if (result.summaries) {
        process.stdout.write(`cache BROKEN: the summary counts disagree with the records: ${result.summaries} (${result.records} records intact; they are what the table shows)\n`);
      } else if (result.searchIndex) {
        process.stdout.write(`cache BROKEN: ${result.searchIndex} (${result.records} records intact; rebuild the cache by syncing into a new one)\n`);
      } else if (result.firstBroken) {
        const b = result.firstBroken;
        process.stdout.write(`cache BROKEN: record seq ${b.seq}${b.id ? ` id ${b.id}` : ''}: ${b.reason} (${result.records} records checked)\n`);
      } else {
        process.stdout.write(`cache BROKEN: ${result.integrity}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });
}
