import type { Command } from 'commander';
import { openReader } from '../../core/cache/cache';
import { parseMoment } from '../../core/history/moment';
import { resolveResource } from '../../core/history/resolve-resource';
import { DEFAULT_HISTORY_LIMIT, resourceHistory, stateAt } from '../../core/history/resource-history';
import { formatHistoryText } from '../../core/history/text';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';

interface HistoryOptions {
  cache: string;
  resource: string;
  at?: string;
  limit: string;
  json?: boolean;
}

/**
 * `audit-review history --cache DIR --resource ID`: every change to one resource, who made it,
 * from where, and what it changed (+ added, - removed, ~ changed). `--at` prints the resource as
 * it stood at a moment instead.
 */
export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('Show the change history of one resource (route, service, consumer, …) with a diff per change')
    .requiredOption('--cache <dir>', 'cache folder')
    .requiredOption('--resource <id>', 'resource id (e.g. r-1042) or name')
    .option('--at <time>', 'print the resource as it was at this moment instead (ISO 8601, UTC unless a zone is given)')
    .option('--limit <n>', 'show at most the latest n changes', String(DEFAULT_HISTORY_LIMIT))
    .option('--json', 'print JSON')
    .action(async (options: HistoryOptions) => {
      if (options.resource.trim() === '') throw new CliError('--resource needs a resource id, e.g. --resource r-1042', 2);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new CliError('--limit must be a whole number from 1 to 100000', 2);
      const at = options.at === undefined ? undefined : parseMoment(options.at);
      if (at === null) throw new CliError(`--at "${options.at}" is not a moment; use e.g. 2026-11-20T14:05 (UTC) or 2026-11-20T15:05+01:00`, 2);

      const cache = await openCacheForCli(options.cache);
      const reader = openReader(cache.dir, cache.key);
      cache.close();
      try {
        const resolved = resolveResource(reader, options.resource);
        if (!('id' in resolved)) {
          if (resolved.candidates.length === 0) throw new CliError(`no resource with id or name ${JSON.stringify(options.resource)} in this cache; check the id (audit-review query shows them) or sync`);
          throw new CliError(`several resources have been named ${JSON.stringify(options.resource)}: ${resolved.candidates.join(', ')}; pass one of these ids`, 2);
        }
        if (at !== undefined) {
          const state = stateAt(reader, resolved.id, at);
          if (options.json) process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
          else process.stdout.write(`${stateText(state)}\n`);
          return;
        }
        const history = resourceHistory(reader, resolved.id, { limit });
        if (options.json) process.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
        else process.stdout.write(`${formatHistoryText(history).join('\n')}\n`);
      } finally {
        reader.close();
      }
    });
}

function stateText(state: ReturnType<typeof stateAt>): string {
  const when = new Date(state.time * 1000).toISOString().replace('.000Z', 'Z');
  if (!state.as_of) return `resource ${JSON.stringify(state.resource_id)} had no recorded change at or before ${when}`;
  const asOf = `as of ${state.as_of.event_type} by ${JSON.stringify(state.as_of.operator)} at ${new Date(state.as_of.event_time * 1000).toISOString().replace('.000Z', 'Z')} (${state.as_of.id})`;
  if (!state.exists) return `resource ${JSON.stringify(state.resource_id)} did not exist at ${when} (deleted, ${asOf})`;
  const partial = state.partial ? '\n(partly known: built from a PATCH with no earlier state in the cache)' : '';
  return `resource ${JSON.stringify(state.resource_id)} at ${when}, ${asOf}:${partial}\n${JSON.stringify(state.state, null, 2)}`;
}
