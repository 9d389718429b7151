import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { openCache } from '../../../main/core/cache/cache';
import { setMeta } from '../../../main/core/cache/meta';
import { listCustody } from '../../../main/core/custody';
import { publicKeys } from '../../../main/core/signing/key-store';
import { createTestCache } from '../../helpers/temp-cache';
import { sampleEntries } from './seed';

const PASSPHRASE = 'test passphrase';
let test: ReturnType<typeof createTestCache>;
let out: string;

beforeAll(() => {
  test = createTestCache(sampleEntries(), PASSPHRASE);
  test.cache.close();
  out = join(test.dir, '..');
});
afterAll(() => test.remove());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  delete process.env.AUDIT_REVIEW_PASSPHRASE;
});

/** The real command in a child process, as a user runs it. */
function spawnCli(args: string[]) {
  const result = spawnSync('npx', ['tsx', 'main/cli.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, AUDIT_REVIEW_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** In-process, for the quick cases. */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  process.env.AUDIT_REVIEW_PASSPHRASE = PASSPHRASE;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await runCli(args);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out: stdout, err: stderr };
}

function withDb<T>(run: (db: ReturnType<typeof openCache>['db']) => T): T {
  const cache = openCache(test.dir, { passphrase: PASSPHRASE });
  try {
    return run(cache.db);
  } finally {
    cache.close();
  }
}

describe('audit-review export / keys', () => {
  it('export (spawned) exits 0 with a package that verify (spawned) accepts', () => {
    const pkg = join(out, 'cli.zip');
    const exported = spawnCli(['export', '--cache', test.dir, '--out', pkg, '--filter', 'event:DeleteRoute', '--format', 'json,csv', '--json']);
    expect(exported.err).toMatch(/export: 10 records/);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({ path: pkg, recordCount: 10 });
    const verified = spawnCli(['verify', pkg]);
    expect(verified.out).toMatch(/package verified: 10 records/);
    expect(verified.code).toBe(0);
  });

  it('refuses, leaving no file, when the cache says the account may not export', async () => {
    withDb((db) => setMeta(db, 'permissions', JSON.stringify({ getAudit: true, exportAudits: false })));
    try {
      const pkg = join(out, 'forbidden.zip');
      const result = await cli(['export', '--cache', test.dir, '--out', pkg]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/may not export audit logs.*ExportAudits/);
      expect(existsSync(pkg)).toBe(false);
    } finally {
      withDb((db) => setMeta(db, 'permissions', JSON.stringify({ getAudit: true, exportAudits: true })));
    }
    expect((await cli(['export', '--cache', test.dir, '--out', join(out, 'allowed.zip')])).code).toBe(0);
  });

  it('usage errors exit 2: bad format, bad redaction, bad filter, existing --out', async () => {
    expect((await cli(['export', '--cache', test.dir, '--out', join(out, 'a.zip'), '--format', 'pdf'])).code).toBe(2);
    expect((await cli(['export', '--cache', test.dir, '--out', join(out, 'a.zip'), '--redact', 'names'])).code).toBe(2);
    expect((await cli(['export', '--cache', test.dir, '--out', join(out, 'a.zip'), '--filter', 'last:3y'])).code).toBe(2);
    const existing = await cli(['export', '--cache', test.dir, '--out', join(out, 'allowed.zip')]);
    expect(existing.code).toBe(2);
    expect(existing.err).toMatch(/already exists/);
  });

  it('keys: fingerprint and public agree; rotate keeps the old public key and logs custody', async () => {
    const fp = await cli(['keys', 'fingerprint', '--cache', test.dir]);
    expect(fp.code).toBe(0);
    const [hex, short] = fp.out.trim().split('\n');
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(short).toMatch(/^SHA256:([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const pub = await cli(['keys', 'public', '--cache', test.dir]);
    expect(pub.out).toBe(withDb((db) => publicKeys(db).find((k) => k.fingerprint === hex)!.publicPem));

    const rotated = await cli(['keys', 'rotate', '--cache', test.dir]);
    expect(rotated.code).toBe(0);
    const all = await cli(['keys', 'public', '--cache', test.dir, '--all']);
    expect(all.out.match(/BEGIN PUBLIC KEY/g)).toHaveLength(2);
    expect(all.out).toContain(pub.out);
    expect(all.out).toMatch(/\(retired /);
    const after = await cli(['keys', 'fingerprint', '--cache', test.dir]);
    expect(after.out.split('\n')[0]).not.toBe(hex);
    expect(withDb((db) => listCustody(db, { actions: ['key-rotated'] }))).toEqual([
      expect.objectContaining({ details: { retired_key_id: hex, key_id: after.out.split('\n')[0] } }),
    ]);
  });
});
