import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCache } from '../../../main/core/cache/index';
import { runCli } from '../../../main/cli/index';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { tempDir } from '../../unit/cache/fixtures';

describe('audit-review sync / check / import (CLI, in-process)', () => {
  let gateway: DemoGateway;
  const dirs: Array<() => void> = [];
  beforeAll(async () => {
    gateway = await startDemoGateway({ seed: 3, days: 5, operators: 5, events: 1_500 });
  });
  afterAll(() => gateway.close());
  afterEach(() => {
    dirs.splice(0).forEach((c) => c());
    delete process.env.AUDIT_REVIEW_PASSPHRASE;
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  const output = () => {
    let text = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((text += String(chunk)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((text += String(chunk)), true));
    return () => text;
  };

  it('syncs with a token, checks the cache, and refuses another user and a wrong passphrase', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    process.env.AUDIT_REVIEW_PASSPHRASE = 'cli passphrase';
    let read = output();
    const token = gateway.createToken('auditor');
    expect(await runCli(['sync', '--gateway', gateway.url, '--token', token, '--cache', t.dir, '--page-size', '500'])).toBe(0);
    expect(read()).toMatch(/sync: complete, \d+ new/);
    expect(read()).toMatch(/source check: \d+ records in \d+ windows match the gateway/);
    const cache = openCache(t.dir, { passphrase: 'cli passphrase' });
    const count = cache.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    expect(count).toBeGreaterThanOrEqual(1_500);
    expect(cache.owner).toMatchObject({ userId: 'u-auditor', username: 'auditor' });
    cache.close();

    vi.restoreAllMocks();
    read = output();
    expect(await runCli(['check', '--cache', t.dir])).toBe(0);
    expect(read()).toContain(`cache OK: ${count} records`);

    vi.restoreAllMocks();
    read = output();
    expect(await runCli(['sync', '--gateway', gateway.url, '--token', gateway.createToken('admin'), '--cache', t.dir])).toBe(1);
    expect(read()).toMatch(/belongs to auditor/);

    vi.restoreAllMocks();
    read = output();
    process.env.AUDIT_REVIEW_PASSPHRASE = 'not it';
    expect(await runCli(['check', '--cache', t.dir])).toBe(1);
    expect(read()).toMatch(/wrong passphrase for this cache/);
  });

  it('syncs with a password signing in once (no second session, no second Login in the audit log)', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    process.env.AUDIT_REVIEW_PASSPHRASE = 'cli passphrase';
    const passphrase = await import('../../../main/cli/passphrase');
    vi.spyOn(passphrase, 'readStdinSecret').mockResolvedValue('auditor');
    const logins = () => gateway.store.all().filter((e) => e.event_type === 'Login' && e.operator?.username === 'auditor').length;
    const before = logins();
    expect(await runCli(['sync', '--gateway', gateway.url, '--username', 'auditor', '--password-stdin', '--cache', t.dir, '--page-size', '500'])).toBe(0);
    expect(logins()).toBe(before + 1);
    const cache = openCache(t.dir, { passphrase: 'cli passphrase' });
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBeGreaterThan(1_000);
    cache.close();
  });

  it('reports a bad token as a failed sign-in', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    process.env.AUDIT_REVIEW_PASSPHRASE = 'p';
    const read = output();
    expect(await runCli(['sync', '--gateway', gateway.url, '--token', 'a7ee-' + 'x'.repeat(82), '--cache', t.dir])).toBe(1);
    expect(read()).toMatch(/sign-in to .* failed/);
    expect(read()).not.toContain('x'.repeat(82));
  });
});
