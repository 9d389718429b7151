import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { importFile, type ImportProgress } from '../../core/import/import-file';
import type { ImportFormat } from '../../core/import/detect-format';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';
import { stopOnInterrupt } from '../interrupt';
import { progressLine } from '../progress';

const FORMATS: ImportFormat[] = ['json-array', 'json-list', 'ndjson', 'csv'];

/** `audit-review import FILE --cache DIR [--skip-invalid] [--gateway-url URL --user ID]`. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an API7 audit-log export (JSON array, {"list": [...]}, NDJSON or CSV) into a cache')
    .argument('<file>', 'the export file')
    .requiredOption('--cache <dir>', 'cache folder (created if missing)')
    .option('--skip-invalid', 'skip bad records (they are still reported) instead of importing nothing')
    .option('--gateway-url <url>', 'gateway the export came from (owner of a new cache)')
    .option('--user <id>', 'user id the export belongs to (owner of a new cache)')
    .option('--format <format>', `force the format: ${FORMATS.join(', ')}`)
    .action(async (file: string, options: { cache: string; skipInvalid?: boolean; gatewayUrl?: string; user?: string; format?: string }) => {
      if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
      if ((options.gatewayUrl === undefined) !== (options.user === undefined)) throw new CliError('give --gateway-url and --user together', 2);
      if (options.format !== undefined && !FORMATS.includes(options.format as ImportFormat)) throw new CliError(`unknown format ${options.format}; use one of ${FORMATS.join(', ')}`, 2);
      const origin = `import:${resolve(file)}`;
      const owner = options.gatewayUrl
        ? { gatewayUrl: options.gatewayUrl, userId: options.user!, username: options.user! }
        : existsSync(resolve(options.cache, 'keys.json'))
          ? undefined
          : { gatewayUrl: `import:${basename(file)}`, userId: 'local', username: 'local' };
      const cache = await openCacheForCli(options.cache, { ...(owner ? { create: owner } : {}), origin });
      // Each phase reads the whole file, so each gets its own bar (and its own rate and ETA).
      let phase: ImportProgress['phase'] | undefined;
      let line = progressLine('import');
      const interrupt = stopOnInterrupt('stopping after the current batch (Ctrl-C again to quit now; stored batches are kept)');
      try {
        const result = await importFile({
          cache,
          path: file,
          skipInvalid: options.skipInvalid === true,
          ...(options.format ? { format: options.format as ImportFormat } : {}),
          signal: interrupt.signal,
          onProgress: (p) => {
            if (p.phase !== phase) {
              phase = p.phase;
              line = progressLine(`import: ${phase}`);
            }
            line.update(p.bytesRead, p.totalBytes, `${p.records.toLocaleString('en-US')} records`);
          },
        });
        for (const bad of result.invalid.slice(0, 20)) {
          process.stderr.write(`  ${bad.line !== undefined ? `line ${bad.line}` : `record ${bad.record}`}: ${bad.reason}\n`);
        }
        if (result.invalidCount > 20) process.stderr.write(`  ... and ${result.invalidCount - 20} more\n`);
        if (result.cancelled) {
          line.finish(
            result.imported + result.duplicates > 0
              ? `import: cancelled after storing ${result.imported} records (${result.duplicates} already in the cache); run the same import again to finish it`
              : 'import: cancelled, nothing imported',
          );
          process.exitCode = 130;
          return;
        }
        if (!result.committed) {
          line.finish(`import: nothing imported (${result.format}): ${result.invalidCount} invalid of ${result.records} records; fix them or use --skip-invalid`);
          process.exitCode = 1;
          return;
        }
        line.finish(
          `import: ${result.imported} imported, ${result.duplicates} already in the cache${result.invalidCount ? `, ${result.invalidCount} invalid skipped` : ''} (${result.format}, ${result.records} records)`,
        );
      } catch (error) {
        throw new CliError(`import failed: ${(error as Error).message}`);
      } finally {
        interrupt.dispose();
        cache.close();
      }
    });
}
