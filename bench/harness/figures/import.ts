import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, openReader } from '../../../main/core/cache/cache';
import { importFile } from '../../../main/core/import/import-file';
import { createQueryService } from '../../../main/core/query/query-service';
import type { TaskFn } from '../child';
import { BENCH_OWNER, BENCH_PASSPHRASE, BENCH_SCRYPT, DATASET_NOW, datasetPaths } from '../dataset';
import { compare, type Figure } from '../figure';
import { summarize } from '../stats';

/** The question asked of the file: every Delete* event. */
const FILTER = { eventTypes: ['Delete*'] };
const PATTERN = '"event_type":"Delete';

/**
 * Open a gateway's NDJSON export and answer a question: `import` into a fresh encrypted cache, then
 * count + first page of a filter, against lnav doing the same on the same file (when installed)
 * and, for scale, grep (no parsing, no storage, nothing kept).
 */
export const importFigures: TaskFn = async (size, log) => {
  const runs = size.events <= 100_000 ? 2 : 1;
  const file = datasetPaths(size).ndjson;
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-import-'));
  const oursMs: number[] = [];
  let matches = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cache = openCache(join(work, `c${i}`), { passphrase: BENCH_PASSPHRASE, create: BENCH_OWNER, scrypt: BENCH_SCRYPT, origin: `import:${file}` });
      const result = await importFile({ cache, path: file, now: DATASET_NOW });
      const reader = openReader(cache.dir, cache.key);
      const query = createQueryService(reader, { now: () => DATASET_NOW });
      matches = query.count(FILTER);
      query.page(FILTER, { column: 'event_time', direction: 'desc' }, 0, 200);
      oursMs.push(performance.now() - started);
      reader.close();
      cache.close();
      rmSync(join(work, `c${i}`), { recursive: true, force: true });
      log(`import ${result.imported} + filter (${matches} matches): ${(oursMs.at(-1)! / 1000).toFixed(1)} s`);
      // One slow run says enough; repeating a multi-minute import only risks the task timeout.
      if (oursMs.at(-1)! > 60_000) break;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const grepMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    spawnSync('grep', ['-c', PATTERN, file], { encoding: 'utf8' });
    grepMs.push(performance.now() - started);
  }
  const figures: Figure[] = [];
  const lnav = lnavPath();
  if (lnav) {
    const lnavMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      // Headless: load the file, keep only matching lines, print them.
      spawnSync(lnav, ['-n', '-c', `:filter-in ${PATTERN}`, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
      lnavMs.push(performance.now() - started);
    }
    figures.push(compare({ id: 'import.filter', label: 'import NDJSON + filter', size: size.label, records: size.events, ours: summarize(oursMs), baseline: { label: 'lnav -n filter-in on the same file', ...summarize(lnavMs) }, note: `${matches} matches` }, size.events));
  } else {
    const reason = 'lnav is not installed (install it with: apt-get install -y lnav); compared with grep only';
    log(reason);
    figures.push(compare({ id: 'import.filter', label: 'import NDJSON + filter', size: size.label, records: size.events, ours: summarize(oursMs), note: `${matches} matches`, skipped: reason }, size.events));
  }
  figures.push(compare({ id: 'import.grep', label: 'import NDJSON + filter (vs grep -c, for scale)', size: size.label, records: size.events, ours: summarize(oursMs), baseline: { label: 'grep -c on the same file', ...summarize(grepMs) } }));
  return figures;
};

function lnavPath(): string | null {
  try {
    return execFileSync('which', ['lnav'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
