// `npm run bench -- gateway [--events=1000000]`: starts `audit-review gateway` in its own process
// (as users run it), reports how long generation and start-up took and the gateway's peak memory,
// then pages through everything with page_size=1000 twice: raw HTTP (the gateway's serving rate)
// and through the gateway client (validation included, what a sync sees).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatewayClient } from '../main/core/gateway/client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function run(args: string[]): Promise<void> {
  const events = Number(args.find((a) => a.startsWith('--events='))?.slice(9) ?? 1_000_000);
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/cli.ts'), 'gateway', '--port', '0', '--events', String(events), '--seed', '1'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code} before listening:\n${out}`)));
    });
    const startup = (Date.now() - started) / 1000;
    console.log(`gateway with ${events.toLocaleString('en-US')} entries listening after ${startup.toFixed(1)} s (generation + start, incl. tsx)`);
    const token = await fetchToken(url);

    const cpuBefore = cpuSeconds(child.pid);
    const raw = await pageAll(events, async (page) => {
      const response = await fetch(`${url}/api/audit_logs?direction=asc&page_size=1000&page=${page}`, { headers: { 'X-API-KEY': token } });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`page ${page}: ${response.status} ${text.slice(0, 200)}`);
      return countEntries(text);
    });
    const serverCpu = cpuSeconds(child.pid) - cpuBefore;
    console.log(`raw HTTP paging:      ${raw.entries.toLocaleString('en-US')} entries in ${raw.seconds.toFixed(1)} s = ${Math.round(raw.entries / raw.seconds).toLocaleString('en-US')} entries/s wall`);
    // Wall-clock rates depend on what else the machine runs; the gateway's own CPU time does not.
    console.log(`gateway CPU for that: ${serverCpu.toFixed(1)} s = ${Math.round(raw.entries / Math.max(serverCpu, 0.001)).toLocaleString('en-US')} entries per CPU-second (load average ${loadavg()[0]?.toFixed(1)})`);

    const client = createGatewayClient({ baseUrl: url, credentials: { kind: 'token', token } });
    const viaClient = await pageAll(events, async (page) => (await client.listAuditLogs({ direction: 'asc', page, page_size: 1000 })).list.length);
    console.log(`gateway client paging: ${viaClient.entries.toLocaleString('en-US')} entries in ${viaClient.seconds.toFixed(1)} s = ${Math.round(viaClient.entries / viaClient.seconds).toLocaleString('en-US')} entries/s (validated)`);
    await client.signOut();
    console.log(`gateway peak RSS: ${peakRssMb(child.pid)} MB`);
  } finally {
    child.kill('SIGTERM');
  }
}

async function fetchToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'auditor', password: 'auditor' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const created = await fetch(`${url}/api/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify({ name: 'bench' }) });
  return ((await created.json()) as { value: { token: string } }).value.token;
}

async function pageAll(expected: number, readPage: (page: number) => Promise<number>): Promise<{ entries: number; seconds: number }> {
  const t0 = performance.now();
  let entries = 0;
  for (let page = 1; ; page++) {
    const n = await readPage(page);
    entries += n;
    if (n < 1000 || entries >= expected + 100) break;
  }
  return { entries, seconds: (performance.now() - t0) / 1000 };
}

/** Counts entries without a full JSON.parse, so the raw figure is the gateway's, not the reader's. */
function countEntries(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"event_time":'); i >= 0; i = text.indexOf('"event_time":', i + 1)) n++;
  return n;
}

/** User + system CPU seconds of a process, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function peakRssMb(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return (kb / 1024).toFixed(0);
  } catch {
    return '?';
  }
}
