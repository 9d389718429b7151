import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache, openReader } from '../main/core/cache/cache';
import { insertEntries } from '../main/core/cache/insert';
import { exportFromCache } from '../main/core/export/from-cache';
import { writePackage } from '../main/core/export/package-writer';
import { generateSigningKey } from '../main/core/signing/keys';
import type { AuditEntry } from '../main/core/records/entry';
import { verifyPackage } from '../main/core/verify/verify-package';
import { benchMeta, syntheticEntries } from './export';

/**
 * `npm run bench -- export-cache [records=200000]`
 * The whole path a user's export takes: filter → SQL iterate over the encrypted cache → signed
 * CSV package (plus custody/key bookkeeping), against a raw scan of the same rows for comparison.
 * Building the cache is not timed.
 */
export async function run(args: string[]): Promise<void> {
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'bench-export-cache-'));
  try {
    const cache = openCache(join(dir, 'cache'), {
      passphrase: 'bench',
      create: { gatewayUrl: 'https://gw.example', userId: 'u-bench', username: 'bench' },
      scrypt: { N: 1024, r: 8, p: 1 },
    });
    let batch: AuditEntry[] = [];
    const built = Date.now();
    for (const entry of syntheticEntries(count)) {
      batch.push(entry);
      if (batch.length === 20_000) {
        insertEntries(cache, batch, null);
        batch = [];
      }
    }
    if (batch.length) insertEntries(cache, batch, null);
    console.log(`cache of ${count.toLocaleString('en-US')} records built in ${((Date.now() - built) / 1000).toFixed(1)} s (not part of the figures)`);

    const reader = openReader(cache.dir, cache.key);
    let started = Date.now();
    let rows = 0;
    for (const text of reader.prepare('SELECT canonical FROM records r ORDER BY r.event_time, r.seq').pluck().iterate() as IterableIterator<string>) rows += text.length > 0 ? 1 : 0;
    const rawSeconds = (Date.now() - started) / 1000;
    console.log(`raw scan of the same rows (read only): ${rawSeconds.toFixed(2)} s (${rows} rows)`);

    started = Date.now();
    await writePackage({ outPath: join(dir, 'memory.zip'), records: syntheticEntries(count), formats: ['csv'], meta: benchMeta, signingKey: generateSigningKey() });
    const memorySeconds = (Date.now() - started) / 1000;
    console.log(`the same package from generated entries (no cache): ${memorySeconds.toFixed(2)} s`);

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    started = Date.now();
    const outPath = join(dir, 'all.zip');
    const result = await exportFromCache({
      db: reader,
      writerDb: cache.db,
      filter: {},
      filterText: '',
      formats: ['csv'],
      outPath,
      exporter: { user_id: 'u-bench', username: 'bench', gateway_url: 'https://gw.example' },
    });
    const exportSeconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    console.log(
      `export from cache → signed CSV package: ${exportSeconds.toFixed(2)} s, ${(result.bytes / 1e6).toFixed(1)} MB, peak RSS ${(peak / 1e6).toFixed(0)} MB (raw scan + writer alone: ${(rawSeconds + memorySeconds).toFixed(2)} s)`,
    );
    started = Date.now();
    const report = await verifyPackage(outPath);
    console.log(`verify: ${report.ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    reader.close();
    cache.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
