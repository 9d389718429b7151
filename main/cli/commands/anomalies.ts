import type { Command } from 'commander';
import { openReader } from '../../core/cache/cache';
import { resolveAnomalyConfig } from '../../core/anomalies/config';
import type { Finding } from '../../core/anomalies/finding';
import { plural } from '../../core/anomalies/format';
import { scanCache } from '../../core/anomalies/from-cache';
import { parseRuleList } from '../../core/anomalies/rule-ids';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';

interface AnomaliesOptions {
  cache: string;
  json?: boolean;
  rules?: string;
  timezone?: string;
}

/**
 * `audit-review anomalies`: a full anomaly scan of a cache with issue 6's default thresholds.
 * Text prints one finding per line; --json prints the array of finding objects, all fields present.
 */
export function registerAnomalies(program: Command): void {
  program
    .command('anomalies')
    .description('Scan a cache for anomalies (brute force, off-hours activity, mass deletes, ...) and explain each')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--rules <list>', 'only these rules, comma-separated (e.g. brute_force,off_hours)')
    .option('--timezone <zone>', 'IANA time zone for hours and weekdays (default UTC)')
    .option('--json', 'print JSON: an array of findings')
    .action(async (options: AnomaliesOptions) => {
      let rules;
      let config;
      try {
        rules = options.rules === undefined ? undefined : parseRuleList(options.rules);
        config = resolveAnomalyConfig(options.timezone === undefined ? {} : { timezone: options.timezone });
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 2);
      }
      const cache = await openCacheForCli(options.cache);
      const reader = openReader(cache.dir, cache.key);
      cache.close();
      try {
        const { findings } = scanCache(reader, { config, ...(rules ? { rules } : {}) });
        if (options.json) process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
        else printFindings(findings, config.timezone);
      } finally {
        reader.close();
      }
    });
}

function printFindings(findings: Finding[], timeZone: string): void {
  if (findings.length === 0) {
    process.stdout.write('no anomalies found\n');
    return;
  }
  const when = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' });
  for (const f of findings) {
    const time = when.format(new Date(f.first_event_time * 1000));
    process.stdout.write(`${time}  ${f.severity.padEnd(6)}  ${f.rule.padEnd(21)}  ${f.explanation}  [${plural(f.record_ids.length, 'record')}, ${f.id}]\n`);
  }
  process.stdout.write(`${plural(findings.length, 'finding')} (times in ${timeZone})\n`);
}
