import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { openCache, openReader, type Cache } from '../../main/core/cache/cache';
import { cacheDbPath } from '../../main/core/cache/cache';
import { openEncryptedDb } from '../../main/core/cache/connection';
import { insertEntries } from '../../main/core/cache/insert';
import { migrate } from '../../main/core/cache/migrate';
import { DEFAULT_NOW, generateHistory } from '../../main/demo-gateway/generator/index';
import type { SizeSpec } from './sizes';

/**
 * One dataset per size under bench/.data/<label>/ (gitignored): the generator's history as NDJSON
 * (what the gateway serves and what import reads), a ready encrypted cache built from it, and an
 * unencrypted copy of that cache (the query baseline). Built once; `ready.json` marks completion,
 * so an interrupted build is redone rather than half-used.
 */
export const DATA_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '.data');
/** Bump when the generator options or layout change, so stale datasets are rebuilt. */
const LAYOUT_VERSION = 1;
export const BENCH_PASSPHRASE = 'bench passphrase (not a secret)';
/** Cheap key derivation: unlocking is not what is measured. */
export const BENCH_SCRYPT = { N: 1024, r: 8, p: 1 };
export const BENCH_OWNER = { gatewayUrl: 'http://127.0.0.1', userId: 'u-bench', username: 'auditor' };
export const DATASET_NOW = DEFAULT_NOW;

export function generatorOptions(size: SizeSpec) {
  // ~180 days like a real first sync; operators scale gently with volume.
  return { seed: 11, days: 180, operators: size.events >= 1_000_000 ? 120 : 60, events: size.events, now: DATASET_NOW };
}

export interface DatasetPaths {
  dir: string;
  ndjson: string;
  cacheDir: string;
  plainDb: string;
}

export function datasetPaths(size: SizeSpec): DatasetPaths {
  const dir = join(DATA_ROOT, size.label);
  return { dir, ndjson: join(dir, 'entries.ndjson'), cacheDir: join(dir, 'cache'), plainDb: join(dir, 'plain.db') };
}

export function datasetReady(size: SizeSpec): boolean {
  const marker = join(datasetPaths(size).dir, 'ready.json');
  if (!existsSync(marker)) return false;
  try {
    return (JSON.parse(readFileSync(marker, 'utf8')) as { version: number }).version === LAYOUT_VERSION;
  } catch {
    return false;
  }
}

/** Builds the dataset (call in a child process: a 1M history is a few GB of JS objects). */
export async function buildDataset(size: SizeSpec, log: (line: string) => void): Promise<void> {
  const paths = datasetPaths(size);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  let t = performance.now();
  const { entries } = generateHistory(generatorOptions(size));
  log(`generated ${entries.length.toLocaleString('en-US')} entries in ${secs(t)}`);

  t = performance.now();
  const out = createWriteStream(paths.ndjson);
  let pending = '';
  for (const entry of entries) {
    pending += JSON.stringify(entry) + '\n';
    if (pending.length > 1 << 20) {
      if (!out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()));
      pending = '';
    }
  }
  await new Promise<void>((r) => out.end(pending, () => r()));
  log(`wrote NDJSON in ${secs(t)}`);

  t = performance.now();
  const cache = openCache(paths.cacheDir, { passphrase: BENCH_PASSPHRASE, create: BENCH_OWNER, scrypt: BENCH_SCRYPT, now: () => DATASET_NOW });
  for (let i = 0; i < entries.length; i += 20_000) insertEntries(cache, entries.slice(i, i + 20_000), null, { now: DATASET_NOW });
  cache.db.pragma('wal_checkpoint(TRUNCATE)');
  const key = cache.key;
  cache.close();
  log(`built encrypted cache in ${secs(t)}`);

  t = performance.now();
  writePlainCopy(paths, key);
  log(`wrote unencrypted copy in ${secs(t)}`);
  writeFileSync(join(paths.dir, 'ready.json'), JSON.stringify({ version: LAYOUT_VERSION, events: entries.length, options: generatorOptions(size) }));
}

/** The same database file with its encryption removed (same pages, same indexes, same FTS). */
function writePlainCopy(paths: DatasetPaths, key: Buffer): void {
  copyFileSync(cacheDbPath(paths.cacheDir), paths.plainDb);
  const db = openEncryptedDb(paths.plainDb, key, { readonly: false, create: false });
  db.pragma('journal_mode = DELETE');
  db.pragma("rekey = ''");
  db.close();
  const check = new Database(paths.plainDb, { readonly: true });
  check.prepare('SELECT count(*) FROM records').get();
  check.close();
}

/** The prepared encrypted cache (writer), unlocked the way the app does. */
export function openDatasetCache(size: SizeSpec): Cache {
  return openCache(datasetPaths(size).cacheDir, { passphrase: BENCH_PASSPHRASE });
}

export function openDatasetReader(cache: Cache): Database.Database {
  return openReader(cache.dir, cache.key);
}

/** The unencrypted copy, opened read-only with the same cache size as the app's readers. */
export function openPlainReader(size: SizeSpec): Database.Database {
  // A copy made before a schema change is brought up to date first, like the encrypted cache is.
  const writer = new Database(datasetPaths(size).plainDb);
  migrate(writer);
  writer.close();
  const db = new Database(datasetPaths(size).plainDb, { readonly: true });
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -16384');
  return db;
}

function secs(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
