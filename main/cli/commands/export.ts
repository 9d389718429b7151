import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openReader } from '../../core/cache/cache';
import { EXPORT_FORBIDDEN_MESSAGE, ExportError, cacheAllowsExport, checkOutPath, exportFromCache, type FromCacheProgress } from '../../core/export/from-cache';
import type { RecordFormat } from '../../core/export/manifest';
import type { RedactOptions } from '../../core/export/redact';
import { formatFilter, parseFilter } from '../../core/query/filter-language';
import { shortFingerprint } from '../../core/signing/keys';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';
import { progressLine } from '../progress';

interface ExportFlags {
  cache: string;
  out: string;
  format: string;
  filter?: string;
  redact?: string;
  json?: boolean;
  force?: boolean;
}

const FORMATS: readonly RecordFormat[] = ['csv', 'json', 'xlsx'];
const REDACTIONS = ['ip', 'operator', 'bodies'] as const;

/**
 * `audit-review export --cache DIR --out FILE.zip [--format csv,json,xlsx] [--filter EXPR]
 * [--redact ip,operator,bodies] [--json]` — a signed package of the records a filter selects.
 * Exit 0 only when the package is complete and signed; Ctrl-C cancels and leaves no file (exit 130).
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export the records a filter selects as a signed package (.zip) with findings, annotations and custody')
    .requiredOption('--cache <dir>', 'cache folder')
    .requiredOption('--out <file.zip>', 'the package to create')
    .option('--format <list>', `record formats, comma-separated: ${FORMATS.join(', ')}`, 'csv,json')
    .option('--filter <expr>', 'filter language, e.g. \'operator:jdoe event:Delete* last:30d\' (default: every record)')
    .option('--redact <list>', `redactions, comma-separated: ${REDACTIONS.join(', ')}`)
    .option('--force', 'replace --out if it exists (only once the new package is complete)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: ExportFlags) => {
      const formats = parseList(flags.format, FORMATS, '--format');
      if (formats.length === 0) throw new CliError('--format needs at least one of csv, json, xlsx', 2);
      const redact: RedactOptions = Object.fromEntries(parseList(flags.redact ?? '', REDACTIONS, '--redact').map((r) => [r, true]));
      const parsed = parseFilter(flags.filter ?? '');
      if (!parsed.ok) throw new CliError(`bad filter: ${parsed.message}\n  ${flags.filter}\n  ${' '.repeat(parsed.position)}^`, 2);
      const outPath = resolve(flags.out);
      try {
        checkOutPath(outPath, flags.force ?? false);
      } catch (error) {
        throw new CliError((error as Error).message, 2);
      }

      const cache = await openCacheForCli(flags.cache);
      const reader = openReader(cache.dir, cache.key);
      const controller = new AbortController();
      const onInterrupt = () => controller.abort(new Error('interrupted'));
      process.on('SIGINT', onInterrupt);
      process.on('SIGTERM', onInterrupt);
      const line = progressLine('export');
      try {
        if (!cacheAllowsExport(cache.db)) throw new CliError(EXPORT_FORBIDDEN_MESSAGE);
        const result = await exportFromCache({
          db: reader,
          writerDb: cache.db,
          filter: parsed.filter,
          filterText: formatFilter(parsed.filter),
          formats,
          redact,
          outPath,
          overwrite: flags.force ?? false,
          exporter: { user_id: cache.owner.userId, username: cache.owner.username, gateway_url: cache.owner.gatewayUrl },
          signal: controller.signal,
          onProgress: (p) => line.update(p.done, p.total, phaseLabel(p)),
        });
        const summary = `export: ${result.recordCount.toLocaleString('en-US')} records → ${result.path} (package ${result.packageId}, signed by ${shortFingerprint(result.keyId)})`;
        line.finish(summary);
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } catch (error) {
        if (error instanceof ExportError && error.code === 'cancelled') throw new CliError('export cancelled; no file was written', 130);
        if (error instanceof ExportError) throw new CliError(error.message);
        throw error;
      } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
        reader.close();
        cache.close();
      }
    });
}

function parseList<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new CliError(`${flag}: unknown "${item}"; use ${allowed.join(', ')}`, 2);
  return [...new Set(items)] as T[];
}

function phaseLabel(p: FromCacheProgress): string {
  switch (p.phase) {
    case 'preparing':
      return 'reading findings and annotations';
    case 'records':
      return 'writing records';
    case 'xlsx':
      return 'finishing the spreadsheet';
    case 'zip':
      return 'zipping and signing';
    default:
      return '';
  }
}
