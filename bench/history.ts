import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache } from '../main/core/cache/cache';
import { insertEntries } from '../main/core/cache/insert';
import { generateHistory } from '../main/demo-gateway/generator/index';
import { changesAround } from '../main/core/history/around';
import { resourceHistory, stateAt } from '../main/core/history/resource-history';
import { parseAuditEntry, type AuditEntry } from '../main/core/records/entry';
import { repeatMs, summarize } from './harness/stats';

/**
 * `npm run bench -- history [events=100000] [hot=20000]`
 * Resource history and "changes around a moment" on an encrypted cache holding a generated
 * history plus one "hot" route re-applied `hot` times (ADC every few minutes for months, with a
 * PATCH every tenth time) — the worst case for replaying a resource's life.
 */
export async function run(args: string[]): Promise<void> {
  const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const events = numbers[0] ?? 100_000;
  const hot = numbers[1] ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'history-bench-'));
  try {
    const t = performance.now();
    const generated = generateHistory({ seed: 7, days: 60, operators: 25, events });
    const hotEntries = hotRoute(hot, generated.entries[0]!.event_time, generated.entries.at(-1)!.event_time);
    const all = [...generated.entries, ...hotEntries].sort((a, b) => a.event_time - b.event_time);
    const cache = openCache(join(dir, 'cache'), { passphrase: 'bench', create: { gatewayUrl: 'http://bench', userId: 'u', username: 'u' }, scrypt: { N: 1024, r: 8, p: 1 } });
    for (let i = 0; i < all.length; i += 10_000) insertEntries(cache, all.slice(i, i + 10_000), null);
    console.log(`cache with ${all.length.toLocaleString('en-US')} records (${hot.toLocaleString('en-US')} on the hot route) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const db = cache.db;
    const typical = db.prepare("SELECT resource_id, COUNT(*) n FROM records WHERE resource_id <> '' AND resource_id <> 'r-hot' GROUP BY resource_id ORDER BY n DESC LIMIT 1").get() as { resource_id: string; n: number };
    const middle = all[Math.floor(all.length / 2)]!.event_time;

    report(`history of the busiest generated resource (${typical.n} records)`, await repeatMs(5, () => resourceHistory(db, typical.resource_id)));
    report(`history of the hot route, latest 500 of ${hot.toLocaleString('en-US')}`, await repeatMs(5, () => resourceHistory(db, 'r-hot', { limit: 500 })));
    report('stateAt on the hot route (middle of its life)', await repeatMs(5, () => stateAt(db, 'r-hot', middle)));
    let found = 0;
    report('changes around a moment, ±30 min', await repeatMs(5, () => (found = changesAround(db, { time: middle, minutes: 30 }).total)));
    console.log(`  (${found} changes in the window)`);
    report('changes around a moment, ±1 day', await repeatMs(3, () => (found = changesAround(db, { time: middle, minutes: 1440 }).total)));
    console.log(`  (${found} changes in the window)`);
    const bytes = JSON.stringify(resourceHistory(db, 'r-hot', { limit: 500 })).length;
    console.log(`hot route answer (500 changes) is ${(bytes / 1024).toFixed(0)} KiB of JSON; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    cache.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hotRoute(count: number, from: number, to: number): AuditEntry[] {
  const step = Math.max(1, Math.floor((to - from) / count));
  return Array.from({ length: count }, (_, i) => {
    const patch = i > 0 && i % 10 === 0;
    const body = patch
      ? { desc: `patched ${i}`, upstream: { timeout: { connect: i % 7 } } }
      : { name: 'hot', paths: ['/hot/*', `/v${i % 3}/*`], methods: ['GET', 'POST'], plugins: { 'limit-count': { count: 100 + (i % 5), time_window: 60 } }, upstream: { type: 'roundrobin', nodes: Array.from({ length: 8 }, (_, n) => ({ host: `10.0.${n}.${i % 4}`, port: 8080, weight: 1 })) } };
    const parsed = parseAuditEntry({
      id: `hot-${i}`,
      event_time: from + i * step,
      operator: { id: 'u-ci', username: 'ci-bot' },
      source: 'api',
      event_type: i === 0 ? 'AddRoute' : 'UpdateRoute',
      resource_id: 'r-hot',
      resource_name: 'hot',
      ip_address: '198.51.100.7',
      http_request: { method: i === 0 ? 'POST' : patch ? 'PATCH' : 'PUT', uri: '/api/gateway_groups/default/routes/r-hot', body },
      http_response: { status_code: 200 },
    });
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  });
}

function report(label: string, samples: number[]): void {
  const s = summarize(samples);
  console.log(`${label}: median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (${s.runs} runs)`);
}
