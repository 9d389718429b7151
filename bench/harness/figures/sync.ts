import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCache } from '../../../main/core/cache/cache';
import { startPageReader } from '../../../main/core/sync/page-reader';
import { syncCache } from '../../../main/core/sync/sync-cache';
import type { TaskFn } from '../child';
import { BENCH_OWNER, BENCH_PASSPHRASE, BENCH_SCRYPT, DATASET_NOW, generatorOptions, openDatasetCache, openDatasetReader } from '../dataset';
import { compare } from '../figure';
import { startGatewayProcess } from '../gateway-child';
import { summarize } from '../stats';

/**
 * Sync from the demo gateway (HTTP, JSON, validation, masking, canonical JSON, hashing on the page
 * reader thread; chain and encrypted insert with indexes + FTS on this one) into a fresh cache, against a plain prepared INSERT of the
 * very same rows into a fresh encrypted cache with the same schema (the database's own ceiling).
 */
export const syncFigures: TaskFn = async (size, log) => {
  const runs = size.events <= 100_000 ? 3 : 1;
  const gateway = await startGatewayProcess(generatorOptions(size));
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-sync-'));
  const syncMs: number[] = [];
  const rawMs: number[] = [];
  let inserted = 0;
  try {
    const source = openDatasetCache(size);
    const sourceReader = openDatasetReader(source);
    for (let i = 0; i < runs; i++) {
      const cache = openCache(join(work, `sync-${i}`), { passphrase: BENCH_PASSPHRASE, create: { ...BENCH_OWNER, gatewayUrl: gateway.url }, scrypt: BENCH_SCRYPT });
      const started = performance.now();
      // The same two-thread pipeline as the app's sync worker: pages are read and hashed on a
      // second thread while this one writes. Starting that thread is part of the measured time.
      const pages = startPageReader({ gateway: { baseUrl: gateway.url, credentials: { kind: 'token', token: gateway.token } } });
      const result = await syncCache({ cache, pages, now: () => DATASET_NOW, pageSize: 5_000, windowSeconds: 86_400, horizonSeconds: 200 * 86_400 }).finally(() => pages.close());
      syncMs.push(performance.now() - started);
      cache.close();
      if (result.outcome !== 'complete') throw new Error(`sync ended with ${result.outcome}: ${result.error?.message}`);
      inserted = result.inserted;
      log(`sync ${i + 1}/${runs}: ${inserted} records in ${(syncMs.at(-1)! / 1000).toFixed(1)} s`);

      const target = openCache(join(work, `raw-${i}`), { passphrase: BENCH_PASSPHRASE, create: BENCH_OWNER, scrypt: BENCH_SCRYPT });
      rawMs.push(rawInsertMs(sourceReader, target.db));
      target.close();
      log(`raw insert ${i + 1}/${runs}: ${(rawMs.at(-1)! / 1000).toFixed(1)} s`);
      rmSync(join(work, `sync-${i}`), { recursive: true, force: true });
      rmSync(join(work, `raw-${i}`), { recursive: true, force: true });
    }
    sourceReader.close();
    source.close();
  } finally {
    gateway.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return [
    compare(
      {
        id: 'sync',
        label: 'sync from demo gateway (page 5000)',
        size: size.label,
        records: inserted,
        ours: summarize(syncMs),
        baseline: { label: 'raw INSERT of the same rows, encrypted', ...summarize(rawMs) },
      },
      inserted,
    ),
  ];
};

/** Reads the prepared rows in 10k blocks and times only the INSERT transactions. */
function rawInsertMs(source: Database.Database, target: Database.Database): number {
  const columns = (source.prepare('SELECT * FROM records LIMIT 1').columns() as Array<{ name: string }>).map((c) => c.name).filter((n) => n !== 'seq');
  const insert = target.prepare(`INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const insertBlock = target.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });
  const read = source.prepare(`SELECT seq, ${columns.join(', ')} FROM records WHERE seq > ? ORDER BY seq LIMIT 10000`).raw();
  let lastSeq = 0;
  let ms = 0;
  for (;;) {
    const block = read.all(lastSeq) as unknown[][];
    if (block.length === 0) break;
    lastSeq = block.at(-1)![0] as number;
    const rows = block.map((row) => row.slice(1));
    const started = performance.now();
    insertBlock(rows);
    ms += performance.now() - started;
  }
  return ms;
}
