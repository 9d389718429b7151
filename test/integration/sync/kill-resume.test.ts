import { spawn } from 'node:child_process';
import { join, resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCache, openCache } from '../../../main/core/cache/index';
import { tempDir } from '../../unit/cache/fixtures';
import { KILL_ENTRY_COUNT } from './kill-fixture';

const CHILD_SOURCE = 'test/integration/sync/kill-child.ts';
const bundleDir = tempDir('ar-kill-bundle-');
const CHILD = join(bundleDir.dir, 'kill-child.cjs');
const KILLS = 12;

type Row = { seq: number; id: string; sha256: string; chain_hash: string };

/**
 * Runs the child; with `kill`, SIGKILLs it `delayMs` after its `pages`-th committed page, so the
 * kill lands anywhere in the next fetch/hash/insert/commit whatever the machine's speed.
 */
function runChild(dir: string, kill?: { pages: number; delayMs: number }): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    // The bundle starts in ~100 ms, where tsx would spend seconds per run on a busy CI machine.
    const env = { ...process.env, NODE_PATH: resolvePath('node_modules') };
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (kill && !armed && (out.match(/progress/g)?.length ?? 0) >= kill.pages) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function rows(dir: string): Row[] {
  const cache = openCache(dir, { passphrase: 'kill-test' });
  try {
    return cache.db.prepare('SELECT seq, id, sha256, chain_hash FROM records ORDER BY seq').all() as Row[];
  } finally {
    cache.close();
  }
}

describe('sync survives kill -9 at random points', () => {
  const reference = tempDir('ar-kill-ref-');
  const victim = tempDir('ar-kill-');
  beforeAll(async () => {
    await build({ entryPoints: [CHILD_SOURCE], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: CHILD, external: ['better-sqlite3-multiple-ciphers'], logLevel: 'error' });
  });
  afterAll(() => {
    bundleDir.cleanup();
    reference.cleanup();
    victim.cleanup();
  });

  it(`resumes after ${KILLS} SIGKILLs to a cache identical to an uninterrupted sync`, async () => {
    const ref = await runChild(reference.dir);
    expect(ref.out).toContain(`done complete ${KILL_ENTRY_COUNT}`);
    const expected = rows(reference.dir);
    expect(expected).toHaveLength(KILL_ENTRY_COUNT);

    let kills = 0;
    const progressAtKill: number[] = [];
    for (let attempt = 0; attempt < KILLS * 2 && kills < KILLS; attempt++) {
      const run = await runChild(victim.dir, { pages: 1 + Math.floor(Math.random() * 6), delayMs: Math.floor(Math.random() * 4) });
      if (!run.killed) break; // finished before the kill landed
      kills++;
      progressAtKill.push(rows(victim.dir).length);
    }
    const final = await runChild(victim.dir);
    expect(final.out).toMatch(/done complete \d+/);
    console.log(`kill -9 points (records committed at each kill): ${progressAtKill.join(', ')}`);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 10));
    expect(rows(victim.dir)).toEqual(expected);
    expect(checkCache(victim.dir, 'kill-test')).toEqual({ ok: true, integrity: 'ok', records: KILL_ENTRY_COUNT });
  }, 120_000);
});
