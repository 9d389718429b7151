import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { runAnomalyScan } from '../main/core/anomalies/store';
import { createAppCore } from '../main/core/app/create-app';
import { openCache } from '../main/core/cache/cache';
import { createGatewayClient } from '../main/core/gateway/client';
import { syncCache } from '../main/core/sync/sync-cache';
import { startDemoGateway } from '../main/demo-gateway/server';
import { compare, type Figure } from './harness/figure';
import { mergeIntoResults } from './harness/merge-results';
import { figureLine } from './harness/report';
import { valueOf } from './harness/sizes';
import { summarize } from './harness/stats';

const SEED = 1;
const DAYS = 60;

interface Run {
  seconds: number;
  /** Event-loop delay of the app's main thread while the first sync and its anomaly scan ran (ms). */
  p99: number;
  max: number;
}

/**
 * `npm run bench -- app-sync [--events 200000] [--runs 2]`: how well the app's main thread keeps
 * answering while the app syncs. Ours: the app core signs in to its embedded demo gateway, creates
 * the cache and runs the first sync and anomaly scan as the Sync button does (on worker threads).
 * Baseline: the same sync and scan called on the main thread (how the app ran them before). Both
 * have the demo gateway serving pages from the same thread, as the app does. The figure is the
 * main thread's event-loop delay — how long a click or an IPC call could wait.
 */
export async function run(args: string[]): Promise<void> {
  const events = Number(valueOf(args, '--events') ?? 200_000);
  const runs = Math.max(1, Number(valueOf(args, '--runs') ?? 2));
  const label = events >= 1_000_000 ? `${events / 1_000_000}m` : `${Math.round(events / 1000)}k`;
  const started = performance.now();
  const ours: Run[] = [];
  const baseline: Run[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await throughTheApp(events));
    console.log(`app (worker threads) ${i + 1}/${runs}: ${describe(ours.at(-1)!)}`);
    baseline.push(await onTheMainThread(events));
    console.log(`on the main thread ${i + 1}/${runs}: ${describe(baseline.at(-1)!)}`);
  }
  const figures: Figure[] = (['p99', 'max'] as const).map((stat) =>
    compare({
      id: `app.sync.loop-delay-${stat}`,
      label: `App: main-thread delay ${stat} during first sync + scan`,
      size: label,
      records: events,
      ours: summarize(ours.map((r) => r[stat])),
      baseline: { label: 'sync + scan on the main thread', ...summarize(baseline.map((r) => r[stat])) },
      ...(stat === 'p99' ? { note: `sync + scan took ${ours.map((r) => r.seconds.toFixed(1)).join(', ')} s (main thread: ${baseline.map((r) => r.seconds.toFixed(1)).join(', ')} s)` } : {}),
    }),
  );
  for (const f of figures) console.log(figureLine(f));
  mergeIntoResults({ task: 'app-sync', size: label, figures, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), seconds: (performance.now() - started) / 1000 });
}

async function throughTheApp(events: number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-bench-app-sync-'));
  const core = await createAppCore({ dataDir, host: 'in-process', demo: { events, days: DAYS, seed: SEED } });
  try {
    await core.api.call('session.useDemoGateway', {});
    return await measured(async () => {
      await core.api.call('session.createCache', { passphrase: 'bench passphrase (not a secret)' });
      await core.sync.whenIdle();
      const status = await core.api.call('sync.status', {});
      if (status.phase !== 'done') throw new Error(`the app's sync ended as ${status.phase}: ${status.message}`);
    });
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onTheMainThread(events: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-bench-app-sync-main-'));
  const gateway = await startDemoGateway({ port: 0, host: '127.0.0.1', seed: SEED, days: DAYS, events, log: () => {} });
  try {
    const client = createGatewayClient({ baseUrl: gateway.url, credentials: { kind: 'password', username: 'auditor', password: 'auditor' } });
    const user = await client.signIn();
    const cache = openCache(join(dir, 'cache'), { passphrase: 'bench passphrase (not a secret)', create: { gatewayUrl: gateway.url, userId: user.id, username: user.username } });
    try {
      return await measured(async () => {
        const result = await syncCache({ cache, client, now: () => Math.floor(Date.now() / 1000) });
        if (result.outcome !== 'complete') throw new Error(`the sync ended as ${result.outcome}: ${result.error?.message}`);
        runAnomalyScan(cache.db, { now: Math.floor(Date.now() / 1000), parallel: { key: cache.key } });
      });
    } finally {
      cache.close();
      await client.signOut();
    }
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measured(work: () => Promise<void>): Promise<Run> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t = performance.now();
  await work();
  const seconds = (performance.now() - t) / 1000;
  delay.disable();
  return { seconds, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
}

function describe(r: Run): string {
  return `${r.seconds.toFixed(1)} s; main-thread delay p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`;
}
