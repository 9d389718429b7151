import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockWithPassphrase } from '../../../main/core/cache/keys';
import { startDemoGateway, type DemoGateway } from '../../../main/demo-gateway/server';
import { tempDir } from '../../unit/cache/fixtures';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const PASSPHRASE = 'Sekret-passphrase-7f3a9c';

/** Runs the real CLI in its own process with debug logging on, capturing everything it prints. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(ROOT, 'main', 'cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, AUDIT_REVIEW_DEBUG: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('no secrets in logs or files (sync + export + failures, debug logging on)', () => {
  let gateway: DemoGateway;
  const temp = tempDir('ar-secrets-');
  beforeAll(async () => {
    gateway = await startDemoGateway({ seed: 11, days: 3, operators: 4, events: 400 });
  });
  afterAll(async () => {
    await gateway.close();
    temp.cleanup();
  });

  it('never prints or stores the passphrase, the token or the raw key', async () => {
    const dataDir = join(temp.dir, 'data');
    const cacheDir = join(dataDir, 'cache');
    mkdirSync(dataDir);
    // The token file lives outside the scanned data folder: it is the user's own secret file.
    const tokenFile = join(temp.dir, 'token.txt');
    const token = gateway.createToken('auditor');
    writeFileSync(tokenFile, token);
    const env = { AUDIT_REVIEW_PASSPHRASE: PASSPHRASE };

    const runs = [
      await runCli(['sync', '--gateway', gateway.url, '--token-file', tokenFile, '--cache', cacheDir, '--verify-source'], env),
      await runCli(['export', '--cache', cacheDir, '--out', join(dataDir, 'package.zip'), '--format', 'csv,json'], env),
      await runCli(['retention', '--cache', cacheDir, '--days', '3650', '--purge-now'], env),
      // Failures print stack traces under AUDIT_REVIEW_DEBUG: they must not carry secrets either.
      await runCli(['check', '--cache', cacheDir], { AUDIT_REVIEW_PASSPHRASE: `${PASSPHRASE}-wrong` }),
      await runCli(['sync', '--gateway', gateway.url, '--token-file', join(temp.dir, 'missing-token'), '--cache', cacheDir], env),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 1, 1]);
    expect(runs[0]!.output).toMatch(/sync: complete/);

    const key = unlockWithPassphrase(cacheDir, PASSPHRASE);
    const secrets: Record<string, string> = {
      passphrase: PASSPHRASE,
      token: token,
      'key hex': key.toString('hex'),
      'key HEX': key.toString('hex').toUpperCase(),
      'key base64': key.toString('base64'),
      'key base64url': key.toString('base64url'),
    };
    const output = runs.map((r) => r.output).join('\n');
    const files = filesUnder(dataDir);
    expect(files.map((f) => f.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(['cache/cache.db', 'cache/keys.json', 'package.zip']));
    // Control: the scan does find a secret where one is (the user's own token file).
    expect(readFileSync(tokenFile).includes(Buffer.from(token, 'utf8'))).toBe(true);
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      if (output.includes(secret)) leaks.push(`${name} in CLI output`);
      for (const file of files) {
        if (readFileSync(file).includes(Buffer.from(secret, 'utf8'))) leaks.push(`${name} in ${file}`);
      }
    }
    // The raw key as bytes must not sit in any file either (keys.json holds it only wrapped).
    for (const file of files) if (readFileSync(file).includes(key)) leaks.push(`raw key bytes in ${file}`);
    expect(leaks).toEqual([]);
  }, 240_000); // five CLI runs (each a fresh tsx process) take ~16 s idle, much more on a loaded 2-core CI machine
});
