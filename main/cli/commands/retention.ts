import type { Command } from 'commander';
import { applyRetention, legalHoldOf, readRetentionDays, releaseLegalHold, setLegalHold, writeRetentionDays } from '../../core/cache/retention';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';

const unixNow = () => Math.floor(Date.now() / 1000);
const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

interface RetentionFlags {
  cache: string;
  days?: string;
  hold?: string;
  release?: string;
  purgeNow?: boolean;
}

/**
 * `audit-review retention --cache DIR [--days N] [--hold "reason" | --release "reason"] [--purge-now]`
 * — shows or sets the retention period and legal hold; --purge-now applies retention immediately
 * (sync does it after each run). Without options it prints the current settings.
 */
export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('Show or set how long records are kept, set or release a legal hold, purge now')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--days <n>', 'keep records this many days (default 180)')
    .option('--hold <reason>', 'set a legal hold: purging pauses until it is released')
    .option('--release <reason>', 'release the legal hold')
    .option('--purge-now', 'purge records older than the retention period now')
    .action(async (flags: RetentionFlags) => {
      if (flags.hold !== undefined && flags.release !== undefined) throw new CliError('give either --hold or --release, not both', 2);
      const days = flags.days === undefined ? undefined : Number(flags.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 36_500)) throw new CliError('--days must be a whole number of days between 1 and 36500', 2);
      if (flags.hold !== undefined && flags.hold.trim() === '') throw new CliError('--hold needs a reason', 2);
      const cache = await openCacheForCli(flags.cache);
      try {
        const actor = cache.owner.username || cache.owner.userId;
        const now = unixNow();
        if (days !== undefined) writeRetentionDays(cache.db, days);
        if (flags.hold !== undefined) setLegalHold(cache.db, { reason: flags.hold, by: actor, at: now });
        if (flags.release !== undefined && !releaseLegalHold(cache.db, { by: actor, at: now, reason: flags.release })) {
          process.stdout.write('no legal hold was set\n');
        }
        const hold = legalHoldOf(cache.db);
        process.stdout.write(`retention: ${readRetentionDays(cache.db)} days; legal hold: ${hold ? `on since ${isoDay(hold.at)} by ${hold.by} (${hold.reason})` : 'none'}\n`);
        if (flags.purgeNow) {
          const outcome = applyRetention(cache.db, { now, actor });
          if (outcome.status === 'held') process.stdout.write('purge skipped: a legal hold is set\n');
          else if (outcome.purge.removed === 0) process.stdout.write(`purge: nothing older than ${isoDay(outcome.cutoff)}\n`);
          else process.stdout.write(`purge: removed ${outcome.purge.removed} records from ${isoDay(outcome.purge.minEventTime!)} to ${isoDay(outcome.purge.maxEventTime!)}\n`);
        }
      } finally {
        cache.close();
      }
    });
}
