import type { Cache } from '../core/cache/cache';
import { runAnomalyScan } from '../core/anomalies/store';
import type { GatewayClient } from '../core/gateway/types';
import { RECOMMENDED_OVERLAP_SECONDS, syncCache } from '../core/sync/sync-cache';
import { CliError } from './errors';
import { stopOnInterrupt } from './interrupt';

/**
 * `audit-review sync --watch`: sync, scan the new records, print findings not reported before,
 * wait, repeat — until Ctrl-C, which stops after the page in flight (committed work is kept) and
 * exits 0. An unreachable gateway is retried with a growing pause; a 401/403 ends the watch.
 */
export async function watchLoop(cache: Cache, client: GatewayClient, options: { intervalSeconds: number; json: boolean; pageSize?: number }): Promise<void> {
  const interrupt = stopOnInterrupt('stopping the watch after the current page (committed work is kept)', ['SIGINT', 'SIGTERM']);
  const reported = new Set<string>();
  let pause = options.intervalSeconds;
  const now = () => Math.floor(Date.now() / 1000);
  try {
    for (let cycle = 1; !interrupt.signal.aborted; cycle++) {
      const result = await syncCache({
        cache,
        client,
        now,
        overlapSeconds: RECOMMENDED_OVERLAP_SECONDS,
        signal: interrupt.signal,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      });
      if (result.outcome === 'unauthorized') throw new CliError('the gateway no longer accepts these credentials (401); sign in again and restart the watch');
      if (result.outcome === 'forbidden') throw new CliError(`the gateway refused access to audit logs (403: ${result.error?.message}); the watch stops`);
      if (result.outcome === 'failed') {
        pause = Math.min(pause * 2, 3600);
        status(options.json, { event: 'unreachable', message: result.error?.message ?? 'sync failed', retry_in_seconds: pause });
      } else {
        pause = options.intervalSeconds;
        const scan = runAnomalyScan(cache.db, { now: now() });
        // The first scan judges all history: announce how much there is, then only what is new.
        const fresh = scan.mode === 'full' ? [] : scan.findings.filter((f) => f.suppressed === null && !reported.has(f.id));
        if (scan.mode === 'full') for (const f of scan.findings) reported.add(f.id);
        for (const finding of fresh) {
          reported.add(finding.id);
          if (options.json) process.stdout.write(`${JSON.stringify({ event: 'finding', ...finding })}\n`);
          else process.stdout.write(`${new Date(finding.first_event_time * 1000).toISOString()}  ${finding.severity.toUpperCase()}  ${finding.rule}: ${finding.explanation}\n`);
        }
        status(options.json, { event: 'synced', cycle, new_records: result.inserted, new_findings: fresh.length, scan: scan.mode });
      }
      await sleep(pause * 1000, interrupt.signal);
    }
  } finally {
    interrupt.dispose();
  }
}

function status(json: boolean, line: Record<string, unknown>): void {
  if (json) process.stdout.write(`${JSON.stringify(line)}\n`);
  else process.stderr.write(`${new Date().toISOString()} ${Object.entries(line).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
