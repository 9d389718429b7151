import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { writePackage } from '../../../main/core/export/package-writer';
import { generateSigningKey } from '../../../main/core/signing/keys';
import { sampleEntries, sampleMeta } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'pkg-cli-'));
const key = generateSigningKey();
const pkg = join(dir, 'p.zip');
const keyFile = join(dir, 'trusted.pem');
const otherKeyFile = join(dir, 'other.pem');

beforeAll(async () => {
  await writePackage({ outPath: pkg, records: sampleEntries(12), formats: ['csv'], meta: sampleMeta, signingKey: key });
  writeFileSync(keyFile, key.publicPem);
  writeFileSync(otherKeyFile, generateSigningKey().publicPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  const code = await runCli(args);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out, err };
}

describe('audit-review verify / prove', () => {
  it('verify: one line per check, exit 0 with a warning for an untrusted signer', async () => {
    const { code, out } = await cli(['verify', pkg]);
    expect(code).toBe(0);
    expect(out).toMatch(/^signature\s+ok/m);
    expect(out).toMatch(/signer trust\s+ok \(warning: .*not trusted/);
    expect(out).toMatch(/package verified/);
  });

  it('verify --trust with the right key: exit 0, no warning; --require-trusted with another key: exit 1', async () => {
    const good = await cli(['verify', pkg, '--trust', keyFile, '--require-trusted']);
    expect(good.code).toBe(0);
    expect(good.out).not.toMatch(/warning/);
    const bad = await cli(['verify', pkg, '--trust', otherKeyFile, '--require-trusted']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/signer trust\s+FAILED: /);
  });

  it('verify --json gives the same as an object', async () => {
    const { code, out } = await cli(['verify', pkg, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toContain('file hashes');
  });

  it('a damaged file exits 1; usage errors exit 2', async () => {
    const broken = join(dir, 'broken.zip');
    writeFileSync(broken, 'PK\u0003\u0004garbage');
    expect((await cli(['verify', broken])).code).toBe(1);
    expect((await cli(['verify'])).code).toBe(2);
    expect((await cli(['verify', join(dir, 'nope.zip')])).code).toBe(2);
  });

  it('prove prints a proof that verify accepts, and rejects when edited', async () => {
    const { code, out } = await cli(['prove', pkg, '--record', 'rec-000004']);
    expect(code).toBe(0);
    const proofPath = join(dir, 'proof.json');
    writeFileSync(proofPath, out);
    const checked = await cli(['verify', proofPath, '--trust', keyFile]);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/record inclusion\s+ok/);
    const proof = JSON.parse(out);
    proof.record.event_type = 'Nothing';
    writeFileSync(proofPath, JSON.stringify(proof));
    const edited = await cli(['verify', proofPath]);
    expect(edited.code).toBe(1);
    expect(edited.out).toMatch(/record inclusion\s+FAILED/);
    expect((await cli(['prove', pkg, '--record', 'missing'])).code).toBe(1);
  });
});
