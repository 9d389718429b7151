import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCache } from '../../../main/core/cache/cache';
import { FTS_COLUMNS } from '../../../main/core/cache/insert';
import { startPageReader } from '../../../main/core/sync/page-reader';
import { DEFAULT_PAGE_SIZE, syncCache } from '../../../main/core/sync/sync-cache';
import type { TaskFn } from '../child';
import { BENCH_OWNER, BENCH_PASSPHRASE, BENCH_SCRYPT, DATASET_NOW, generatorOptions, openDatasetCache, openDatasetReader } from '../dataset';
import { compare } from '../figure';
import { startGatewayProcess } from '../gateway-child';
import type { SizeSpec } from '../sizes';
import { runTask } from '../spawn-task';
import { summarize } from '../stats';

/**
 * Sync from the demo gateway (HTTP, JSON, validation, masking, canonical JSON, hashing on the page
 * reader thread; chain and encrypted insert with indexes + FTS on this one) into a fresh cache,
 * against syncRawFigures below (the database's own ceiling), measured in a process of its own.
 * Pages are the size the app and the CLI request by default: larger pages store ~20% faster but
 * hold ~160 MB more at the peak (1M: page 5000 104–111 s, 438–454 MB; page 1000 128 s, 279 MB).
 */
export const syncFigures: TaskFn = async (size, log) => {
  const runs = syncRuns(size);
  const gateway = await startGatewayProcess(generatorOptions(size));
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-sync-'));
  const syncMs: number[] = [];
  let inserted = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const cache = openCache(join(work, `sync-${i}`), { passphrase: BENCH_PASSPHRASE, create: { ...BENCH_OWNER, gatewayUrl: gateway.url }, scrypt: BENCH_SCRYPT });
      const started = performance.now();
      // The same two-thread pipeline as the app's sync worker: pages are read and hashed on a
      // second thread while this one writes. Starting that thread is part of the measured time.
      const pages = startPageReader({ gateway: { baseUrl: gateway.url, credentials: { kind: 'token', token: gateway.token } } });
      const result = await syncCache({ cache, pages, now: () => DATASET_NOW, pageSize: DEFAULT_PAGE_SIZE, windowSeconds: 86_400, horizonSeconds: 200 * 86_400 }).finally(() => pages.close());
      syncMs.push(performance.now() - started);
      cache.close();
      if (result.outcome !== 'complete') throw new Error(`sync ended with ${result.outcome}: ${result.error?.message}`);
      inserted = result.inserted;
      log(`sync ${i + 1}/${runs}: ${inserted} records in ${(syncMs.at(-1)! / 1000).toFixed(1)} s`);
      rmSync(join(work, `sync-${i}`), { recursive: true, force: true });
    }
  } finally {
    gateway.stop();
    rmSync(work, { recursive: true, force: true });
  }
  // The baseline runs in its own process (after the sync, so they never compete for the cores):
  // its second database and the dataset it reads must not count in the sync's peak RSS.
  const raw = await runTask('sync-raw', size.label);
  const rawFigure = raw.figures[0];
  if (!rawFigure) throw new Error(`the raw insert baseline reported nothing${raw.failed ? ` (${raw.failed})` : ''}`);
  log(`raw insert: median ${(rawFigure.ours.median / 1000).toFixed(1)} s (own process, peak RSS ${raw.peakRssMb} MB)`);
  return [
    compare(
      {
        id: 'sync',
        label: `sync from demo gateway (page ${DEFAULT_PAGE_SIZE}, the default)`,
        size: size.label,
        records: inserted,
        ours: summarize(syncMs),
        baseline: { label: 'raw INSERT (+ full-text index) of the same rows, encrypted', ...rawFigure.ours },
        note: `baseline in its own process (peak RSS ${raw.peakRssMb} MB)`,
      },
      inserted,
    ),
  ];
};

function syncRuns(size: SizeSpec): number {
  return size.events <= 100_000 ? 3 : 1;
}

/**
 * The database's own ceiling for the same rows: a plain prepared INSERT of every stored column,
 * read back from the prepared dataset, into a fresh encrypted cache with the same schema, in
 * 10k-row transactions, each also writing the full-text index the way the cache does (one
 * INSERT … SELECT per transaction). Only the transactions are timed.
 */
export const syncRawFigures: TaskFn = async (size, log) => {
  const runs = syncRuns(size);
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-sync-raw-'));
  const rawMs: number[] = [];
  let rows = 0;
  try {
    const source = openDatasetCache(size);
    const sourceReader = openDatasetReader(source);
    for (let i = 0; i < runs; i++) {
      const target = openCache(join(work, `raw-${i}`), { passphrase: BENCH_PASSPHRASE, create: BENCH_OWNER, scrypt: BENCH_SCRYPT });
      const run = rawInsert(sourceReader, target.db);
      rawMs.push(run.ms);
      rows = run.rows;
      target.close();
      log(`raw insert ${i + 1}/${runs}: ${(run.ms / 1000).toFixed(1)} s`);
      rmSync(join(work, `raw-${i}`), { recursive: true, force: true });
    }
    sourceReader.close();
    source.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return [{ id: 'sync.raw', label: 'raw INSERT of the same rows, encrypted', size: size.label, records: rows, ours: summarize(rawMs) }];
};

/** Reads the prepared rows in 10k blocks and times only the INSERT transactions. */
export function rawInsert(source: Database.Database, target: Database.Database): { ms: number; rows: number } {
  // The ceiling gets the page cache a bulk insert likes best: 64 MB stored 1M rows in ~52 s where
  // the cache's own 16 MB took ~72 s. (The cache keeps 16 MB: its sync and import, bound by other
  // work, were no faster with 64 MB, which cost them ~75–100 MB of peak RSS.)
  target.pragma('cache_size = -65536');
  const columns = (source.prepare('SELECT * FROM records LIMIT 1').columns() as Array<{ name: string }>).map((c) => c.name).filter((n) => n !== 'seq');
  const insert = target.prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const indexText = target.prepare(`INSERT INTO records_fts (rowid, ${FTS_COLUMNS}) SELECT seq, ${FTS_COLUMNS} FROM records WHERE seq >= ?`);
  const insertBlock = target.transaction((rows: unknown[][]) => {
    let first = 0;
    for (const row of rows) {
      const seq = Number(insert.run(row).lastInsertRowid);
      if (first === 0) first = seq;
    }
    indexText.run(first);
  });
  const read = source.prepare(`SELECT seq, ${columns.join(', ')} FROM records WHERE seq > ? ORDER BY seq LIMIT 10000`).raw();
  let lastSeq = 0;
  let ms = 0;
  let count = 0;
  for (;;) {
    const block = read.all(lastSeq) as unknown[][];
    if (block.length === 0) break;
    lastSeq = block.at(-1)![0] as number;
    const rows = block.map((row) => row.slice(1));
    const started = performance.now();
    insertBlock(rows);
    ms += performance.now() - started;
    count += rows.length;
  }
  return { ms, rows: count };
}
