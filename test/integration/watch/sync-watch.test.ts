import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuditEntry } from '../../../main/core/records/entry';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { makeTempDir } from '../../helpers/temp-cache';

/**
 * `audit-review sync --watch --json` against the demo gateway: an incident that happens while it
 * watches is reported once, not again on the next cycle; Ctrl-C ends it with exit 0.
 */
describe('sync --watch', () => {
  const temp = makeTempDir();
  let gateway: DemoGateway;
  beforeAll(async () => {
    gateway = await startDemoGateway({ port: 0, seed: 7, days: 35, events: 2000, now: () => Math.floor(Date.now() / 1000) });
  });
  afterAll(async () => {
    await gateway.close();
    temp.remove();
  });

  it('reports a brute-force burst that happens during the watch exactly once, and stops cleanly on SIGINT', async () => {
    const token = gateway.createToken('auditor');
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'sync', '--watch', '--interval', '2s', '--json', '--gateway', gateway.url, '--token', token, '--cache', join(temp.dir, 'cache')], {
      env: { ...process.env, AUDIT_REVIEW_PASSPHRASE: 'watch test passphrase' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
    });
    const waitFor = async (predicate: () => boolean, what: string, ms = 60_000) => {
      const started = Date.now();
      while (!predicate()) {
        if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}; stderr: ${stderr.slice(-800)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const cycles = () => lines.filter((l) => l.event === 'synced').length;

    await waitFor(() => cycles() >= 1, 'the first cycle');
    // Seven failed logins for one user from one address, just now.
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 7; i++) {
      const parsed = parseAuditEntry({
        id: `WATCH-BRUTE-${i}`,
        event_time: now - 60 + i * 5,
        operator: { id: '', username: '' },
        event_type: 'Login',
        ip_address: '198.51.100.99',
        error_message: 'invalid username or password',
        http_request: { method: 'POST', uri: '/api/login', body: { username: 'mallory', password: '******' } },
        http_response: { status_code: 401 },
      });
      if (!parsed.ok) throw new Error(parsed.error);
      gateway.store.append(parsed.entry);
    }
    const brute = () => lines.filter((l) => l.event === 'finding' && l.rule === 'brute_force' && (l.record_ids as string[]).some((id) => id.startsWith('WATCH-BRUTE')));
    await waitFor(() => brute().length >= 1, 'the brute-force finding');
    const seenAt = cycles();
    await waitFor(() => cycles() >= seenAt + 2, 'two more cycles');
    expect(brute()).toHaveLength(1);
    expect(brute()[0]).toMatchObject({ severity: 'high', explanation: expect.stringContaining('mallory') });

    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  }, 120_000);
});
