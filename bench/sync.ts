import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openCache } from '../main/core/cache/cache';
import { startPageReader } from '../main/core/sync/page-reader';
import { syncCache } from '../main/core/sync/sync-cache';
import { rawInsert } from './harness/figures/sync';

/**
 * `npm run bench -- sync [--events N] [--page-size N] [--window-days N]`
 *
 * 1. Starts the demo gateway with N entries over 180 days in a CHILD process (so its in-memory
 *    store and JSON encoding do not count against this process's CPU or RSS).
 * 2. Syncs everything into a fresh encrypted cache: records/s end to end (HTTP, JSON, validation,
 *    masking, canonical JSON, hashing on the page reader thread; chain, SQLCipher with indexes + FTS
 *    on this one).
 * 3. Raw: bulk-inserts the very same rows (read back from that cache) into another fresh encrypted
 *    cache with a plain prepared INSERT in 10 000-row transactions — the database's own ceiling.
 * 4. Peak RSS of this process (both threads) during the sync.
 * Goals (issue 4): >= 50 000 records/s, >= 0.4x raw, <= 400 MB.
 */
export async function run(args: string[]): Promise<void> {
  const events = numberArg(args, '--events', 1_000_000);
  const pageSize = numberArg(args, '--page-size', 5_000);
  const windowDays = numberArg(args, '--window-days', 1);
  const work = mkdtempSync(join(tmpdir(), 'ar-bench-sync-'));
  process.stdout.write(`bench sync: ${events.toLocaleString('en-US')} entries, page_size ${pageSize}, window ${windowDays}d\n`);

  const { child, url, token } = await startGatewayChild(events);
  try {
    const cache = openCache(join(work, 'sync'), { passphrase: 'bench', create: { gatewayUrl: url, userId: 'u-auditor', username: 'auditor' } });
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    // The app's pipeline: pages read and hashed on a second thread while this one writes.
    const pages = startPageReader({ gateway: { baseUrl: url, credentials: { kind: 'token', token } } });
    const result = await syncCache({ cache, pages, now: () => Math.floor(Date.now() / 1000), pageSize, windowSeconds: windowDays * 86_400 }).finally(() => pages.close());
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (result.outcome !== 'complete') throw new Error(`sync ended with ${result.outcome}: ${result.error?.message}`);
    const syncRate = result.inserted / seconds;
    process.stdout.write(`sync:  ${result.inserted.toLocaleString('en-US')} records in ${seconds.toFixed(1)} s = ${Math.round(syncRate).toLocaleString('en-US')} records/s (${result.pages} pages)\n`);

    const raw = rawInsertRate(cache.db, join(work, 'raw'));
    cache.close();
    process.stdout.write(`raw:   ${raw.rows.toLocaleString('en-US')} rows in ${raw.seconds.toFixed(1)} s = ${Math.round(raw.rate).toLocaleString('en-US')} rows/s (same rows, same schema, encrypted, 10k-row transactions with the full-text index)\n`);
    const ratio = syncRate / raw.rate;
    const rssMb = peakRss / 1024 / 1024;
    process.stdout.write(`ratio: ${ratio.toFixed(2)}x raw\n`);
    process.stdout.write(`peak RSS during sync: ${rssMb.toFixed(0)} MB\n`);
    process.stdout.write(
      `goals: records/s >= 50000 ${syncRate >= 50_000 ? 'MET' : 'MISSED'}; >= 0.4x raw ${ratio >= 0.4 ? 'MET' : 'MISSED'}; <= 400 MB ${rssMb <= 400 ? 'MET' : 'MISSED'}\n`,
    );
  } finally {
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

type Db = ReturnType<typeof openCache>['db'];

/** The harness's raw baseline (plain INSERT + the full-text index per transaction) into a fresh cache. */
function rawInsertRate(source: Db, dir: string): { rows: number; seconds: number; rate: number } {
  const target = openCache(dir, { passphrase: 'bench', create: { gatewayUrl: 'http://raw', userId: 'raw', username: 'raw' } });
  try {
    const { ms, rows } = rawInsert(source, target.db);
    const seconds = ms / 1000;
    return { rows, seconds, rate: rows / seconds };
  } finally {
    target.close();
  }
}

async function startGatewayChild(events: number): Promise<{ child: ChildProcess; url: string; token: string }> {
  const server = pathToFileURL(resolve('main/demo-gateway/server.ts')).href;
  const code = `
    const { startDemoGateway } = await import(${JSON.stringify(server)});
    const g = await startDemoGateway({ seed: 42, days: 180, operators: 40, events: ${events} });
    process.stdout.write(JSON.stringify({ url: g.url, token: g.createToken('auditor') }) + '\\n');
  `;
  const child = spawn(process.execPath, ['--max-old-space-size=6000', '--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = performance.now();
  const line = await new Promise<string>((resolveLine, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolveLine(out.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`demo gateway exited (${code}) before starting`)));
  });
  process.stdout.write(`demo gateway ready in ${((performance.now() - started) / 1000).toFixed(1)} s (child process)\n`);
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  return { child, url, token };
}

function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}
