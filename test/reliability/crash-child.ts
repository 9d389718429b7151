// Child process for the kill -9 suite: imports a file into, or exports a package from, an existing
// cache. Prints "ready" once the cache is open so the parent's random delay lands inside the work.
import { openCache, openReader } from '../../main/core/cache/cache';

async function main(): Promise<void> {
  // An import may be given a batch size (records per transaction) as a fourth argument.
  const [mode, dir, path, batch] = process.argv.slice(2) as [string, string, string, string | undefined];
  // Only the code this mode needs is loaded (exceljs alone takes seconds on a busy machine), so
  // "ready" means the work itself is about to start.
  const work = mode === 'import' ? await import('../../main/core/import/import-file') : null;
  const exporting = mode === 'import' ? null : { ...(await import('../../main/core/export/from-cache')), ...(await import('../../main/core/query/filter-language')) };
  const cache = openCache(dir, { passphrase: 'crash-test' });
  process.stdout.write('ready\n');
  if (work) {
    const { importFile } = work;
    const result = await importFile({ cache, path, now: 1_764_000_000, ...(batch ? { batchSize: Number(batch) } : {}) });
    process.stdout.write(`done import ${result.imported} ${result.duplicates}\n`);
  } else {
    const { exportFromCache, parseFilter } = exporting!;
    const reader = openReader(dir, cache.key);
    const parsed = parseFilter('');
    if (!parsed.ok) throw new Error(parsed.message);
    const result = await exportFromCache({
      db: reader,
      writerDb: cache.db,
      filter: parsed.filter,
      filterText: '',
      formats: ['json', 'csv', 'xlsx'],
      outPath: path,
      exporter: { user_id: 'u', username: 'u', gateway_url: 'http://fake' },
      now: () => 1_764_000_000,
    });
    reader.close();
    process.stdout.write(`done export ${result.recordCount}\n`);
  }
  cache.close();
}

void main();
