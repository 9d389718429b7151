import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { checkCache } from '../../../main/core/cache/check';
import { insertEntries } from '../../../main/core/cache/insert';
import { createTestCache, makeEntries, tempDir, TEST_PASSPHRASE } from '../../unit/cache/fixtures';

describe('audit-review passphrase / rekey / retention (CLI, in-process)', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => {
    dirs.splice(0).forEach((c) => c());
    delete process.env.AUDIT_REVIEW_PASSPHRASE;
    delete process.env.AUDIT_REVIEW_NEW_PASSPHRASE;
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  async function cli(args: string[]): Promise<{ code: number; text: string }> {
    let text = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((text += String(chunk)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((text += String(chunk)), true));
    const code = await runCli(args);
    vi.restoreAllMocks();
    return { code, text };
  }

  it('changes the passphrase, rekeys, and purges with a hold in between', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cache = createTestCache(t.dir);
    insertEntries(cache, makeEntries(0, 50), null, { now: 1_760_000_000 });
    cache.close();

    process.env.AUDIT_REVIEW_PASSPHRASE = TEST_PASSPHRASE;
    process.env.AUDIT_REVIEW_NEW_PASSPHRASE = 'second passphrase';
    expect(await cli(['passphrase', '--cache', t.dir])).toEqual({ code: 0, text: 'passphrase changed; use the new one from now on\n' });
    const stale = await cli(['rekey', '--cache', t.dir]);
    expect(stale.code).toBe(1);
    expect(stale.text).toMatch(/wrong passphrase for this cache/);

    process.env.AUDIT_REVIEW_PASSPHRASE = 'second passphrase';
    expect((await cli(['rekey', '--cache', t.dir])).text).toBe('cache re-encrypted with a new key: 50 records kept\n');
    expect(checkCache(t.dir, 'second passphrase')).toMatchObject({ ok: true, records: 50 });

    const held = await cli(['retention', '--cache', t.dir, '--days', '30', '--hold', 'case 7', '--purge-now']);
    expect(held.text).toMatch(/retention: 30 days; legal hold: on since .* by auditor \(case 7\)/);
    expect(held.text).toContain('purge skipped: a legal hold is set');
    const purged = await cli(['retention', '--cache', t.dir, '--release', 'closed', '--purge-now']);
    expect(purged.text).toMatch(/legal hold: none/);
    expect(purged.text).toMatch(/purge: removed 50 records from 2025-10-09 to 2025-10-09/);
    expect((await cli(['retention', '--cache', t.dir, '--hold', 'a', '--release', 'b'])).code).toBe(2);
  });
});
