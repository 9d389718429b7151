import type { Command } from 'commander';
import { MAX_AROUND_MINUTES } from '../../../preload/contract/history';
import { openReader } from '../../core/cache/cache';
import { changesAround, recordMoment } from '../../core/history/around';
import { parseMoment } from '../../core/history/moment';
import { formatAroundText } from '../../core/history/text';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';

interface AroundOptions {
  cache: string;
  time?: string;
  record?: string;
  minutes: string;
  json?: boolean;
}

/**
 * `audit-review around --cache DIR --time ISO [--minutes N]`: every configuration change within
 * N minutes either side of a moment (or of a record with --record), grouped by resource and by
 * operator — for when the start of an outage is known.
 */
export function registerAround(program: Command): void {
  program
    .command('around')
    .description('List the configuration changes made shortly before and after a moment, by resource and operator')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--time <time>', 'the moment (ISO 8601, UTC unless a zone is given, e.g. 2026-11-20T14:05)')
    .option('--record <id>', 'use the time of this record instead of --time')
    .option('--minutes <n>', 'minutes either side of the moment', '30')
    .option('--json', 'print JSON')
    .action(async (options: AroundOptions) => {
      if ((options.time === undefined) === (options.record === undefined)) throw new CliError('give either --time or --record', 2);
      const minutes = Number(options.minutes);
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_AROUND_MINUTES) {
        throw new CliError(`--minutes must be a whole number from 0 to ${MAX_AROUND_MINUTES} (a week)`, 2);
      }
      const typed = options.time === undefined ? undefined : parseMoment(options.time);
      if (typed === null) throw new CliError(`--time "${options.time}" is not a moment; use e.g. 2026-11-20T14:05 (UTC) or 2026-11-20T15:05+01:00`, 2);

      const cache = await openCacheForCli(options.cache);
      const reader = openReader(cache.dir, cache.key);
      cache.close();
      try {
        const time = typed ?? recordMoment(reader, options.record!);
        if (time === null) throw new CliError(`record ${JSON.stringify(options.record)} is not in this cache; check the id (audit-review query shows them)`);
        const around = changesAround(reader, { time, minutes });
        if (options.json) process.stdout.write(`${JSON.stringify(around, null, 2)}\n`);
        else process.stdout.write(`${formatAroundText(around).join('\n')}\n`);
      } finally {
        reader.close();
      }
    });
}
