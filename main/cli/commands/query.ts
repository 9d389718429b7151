import type { Command } from 'commander';
import type { FilterModel, RecordRow, Sort } from '../../../preload/contract';
import { sortableColumns } from '../../../preload/contract';
import { openReader } from '../../core/cache/cache';
import { formatFilter, parseFilter } from '../../core/query/filter-language';
import { createQueryService } from '../../core/query/query-service';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';

interface QueryOptions {
  cache: string;
  filter?: string;
  operator?: string[];
  eventType?: string[];
  from?: string;
  to?: string;
  limit: string;
  offset: string;
  sort: string;
  asc?: boolean;
  json?: boolean;
  count?: boolean;
}

/**
 * `audit-review query`: the review workspace's filter from the terminal. `--filter` takes the
 * filter language; the shorthand flags add to it. Output is a table, or JSON (one array) with --json.
 */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('List records from a cache that match a filter')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--filter <expr>', 'filter language, e.g. \'operator:jdoe event:Delete* status:4xx last:7d "payments"\'')
    .option('--operator <name...>', 'operator id, username or email')
    .option('--event-type <key...>', 'event type key (a trailing * matches a prefix)')
    .option('--from <date>', 'from this UTC date/time (2026-10-01 or 2026-10-01T14:05)')
    .option('--to <date>', 'up to (not including) this UTC date/time')
    .option('--limit <n>', 'at most this many records', '50')
    .option('--offset <n>', 'skip this many records first', '0')
    .option('--sort <column>', `sort column: ${sortableColumns.join(', ')}`, 'event_time')
    .option('--asc', 'oldest / smallest first (default: newest first)')
    .option('--count', 'print only the number of matching records')
    .option('--json', 'print JSON')
    .action(async (options: QueryOptions) => {
      const filter = buildFilter(options);
      const limit = positiveInt(options.limit, '--limit', 100_000);
      const offset = positiveInt(options.offset, '--offset', Number.MAX_SAFE_INTEGER, true);
      if (!(sortableColumns as readonly string[]).includes(options.sort)) {
        throw new CliError(`--sort must be one of ${sortableColumns.join(', ')}`, 2);
      }
      const sort: Sort = { column: options.sort as Sort['column'], direction: options.asc ? 'asc' : 'desc' };
      const cache = await openCacheForCli(options.cache);
      const reader = openReader(cache.dir, cache.key);
      cache.close();
      try {
        const query = createQueryService(reader);
        const count = query.count(filter);
        if (options.count) {
          process.stdout.write(options.json ? `${JSON.stringify({ count, filter: formatFilter(filter) })}\n` : `${count}\n`);
          return;
        }
        const rows = query.page(filter, sort, offset, limit);
        if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else printTable(rows, count, offset);
      } finally {
        reader.close();
      }
    });
}

function buildFilter(options: QueryOptions): FilterModel {
  const text = [
    options.filter ?? '',
    ...(options.operator ?? []).map((o) => `operator:${quote(o)}`),
    ...(options.eventType ?? []).map((e) => `event:${quote(e)}`),
    options.from ? `after:${options.from}` : '',
    options.to ? `before:${options.to}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const parsed = parseFilter(text);
  if (!parsed.ok) {
    const pointer = `${' '.repeat(parsed.position)}^`;
    throw new CliError(`bad filter: ${parsed.message}\n  ${text}\n  ${pointer}`, 2);
  }
  return parsed.filter;
}

function quote(value: string): string {
  return /[\s,"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

function positiveInt(value: string, name: string, max: number, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > max) throw new CliError(`${name} must be a whole number from ${allowZero ? 0 : 1} to ${max}`, 2);
  return n;
}

/** A plain aligned table; control characters in data are shown escaped so they cannot move the cursor. */
function printTable(rows: RecordRow[], count: number, offset: number): void {
  const header = ['time (UTC)', 'operator', 'event', 'resource', 'ip', 'status', 'id'];
  const lines = rows.map((r) => [
    new Date(r.event_time * 1000).toISOString().replace('.000', ''),
    r.operator_username || r.operator_id || '-',
    r.event_type,
    r.resource_name || r.resource_id || '-',
    r.ip_address || '-',
    r.status_code ? String(r.status_code) : '-',
    r.id,
  ].map(safeForTerminal));
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...lines.map((l) => l[i]!.length))));
  const format = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${format(header)}\n`);
  for (const line of lines) process.stdout.write(`${format(line)}\n`);
  const shown = rows.length === 0 ? 'none' : `${offset + 1}–${offset + rows.length}`;
  process.stdout.write(`${count.toLocaleString('en-US')} matching records; showing ${shown}\n`);
}

function safeForTerminal(text: string): string {
   
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
