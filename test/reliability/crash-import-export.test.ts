import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCache, openCache } from '../../main/core/cache/index';
import { entryToRow } from '../../main/core/cache/record-row';
import { verifyPackage } from '../../main/core/verify/verify-package';
import { makeEntry, TEST_SCRYPT, tempDir } from '../unit/cache/fixtures';

// kill -9 of import and export processes at random moments (sync has its own suite in
// test/integration/sync/kill-resume.test.ts). SOAK=1 raises the kill points from 10 to 50 per kind.
const KILLS = process.env.SOAK === '1' ? 50 : 10;
const PASS = 'crash-test';
const COUNT = 1_200;
const OWNER = { gatewayUrl: 'http://fake', userId: 'u', username: 'u' };

const work = tempDir('ar-rel-crash-');
const CHILD = join(work.dir, 'crash-child.cjs');
const entries = Array.from({ length: COUNT }, (_, i) => makeEntry(i, { event_time: 1_760_000_000 + i * 17 }));
const expectedHashes = new Map(entries.map((e) => [e.id, entryToRow(e).sha256]));

beforeAll(async () => {
  await build({ entryPoints: ['test/reliability/crash-child.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: CHILD, external: ['better-sqlite3-multiple-ciphers', 'exceljs'], logLevel: 'error' });
});
afterAll(() => work.cleanup());

function newCache(name: string): string {
  const dir = join(work.dir, name);
  openCache(dir, { passphrase: PASS, create: OWNER, scrypt: TEST_SCRYPT }).close();
  return dir;
}

/** Runs the child; with `killAfterMs`, SIGKILLs it that long after it said "ready". */
/** Runs the child; with killAfterMs, kills it that long after it printed "ready". `workMs`: ready → exit. */
function runChild(args: string[], killAfterMs?: number): Promise<{ killed: boolean; out: string; workMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: resolvePath('node_modules') } });
    let out = '';
    let err = '';
    let readyAt = 0;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (readyAt === 0 && out.startsWith('ready')) {
        readyAt = performance.now();
        if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const workMs = readyAt === 0 ? 0 : performance.now() - readyAt;
      if (signal === 'SIGKILL') resolve({ killed: true, out, workMs });
      else if (code === 0) resolve({ killed: false, out, workMs });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function storedHashes(dir: string): Array<{ id: string; sha256: string }> {
  const cache = openCache(dir, { passphrase: PASS });
  try {
    return cache.db.prepare('SELECT id, sha256 FROM records ORDER BY seq').all() as Array<{ id: string; sha256: string }>;
  } finally {
    cache.close();
  }
}

describe('kill -9 during import', () => {
  it(`leaves the cache all-or-nothing at ${KILLS} random points; a retry imports each record exactly once`, async () => {
    const file = join(work.dir, 'export.ndjson');
    writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    // A fresh cache per attempt, so every kill interrupts a first import (not a re-import of duplicates).
    let dir = '';
    const seen: number[] = [];
    let kills = 0;
    // Kill points are drawn inside the time an import takes; when one finishes before its kill
    // lands, the window shrinks to what that run took, so slow and fast machines both get kills.
    let windowMs = 600;
    for (let attempt = 0; attempt < KILLS * 8 && kills < KILLS; attempt++) {
      dir = newCache(`import-victim-${attempt}`);
      const run = await runChild(['import', dir, file], Math.floor(Math.random() * windowMs));
      if (!run.killed) {
        windowMs = Math.max(20, Math.min(windowMs, Math.floor(run.workMs * 0.5)));
        continue; // finished before the kill landed; try another point
      }
      kills++;
      const rows = storedHashes(dir);
      seen.push(rows.length);
      // The import is one transaction: a kill leaves nothing of it, never half.
      expect([0, COUNT]).toContain(rows.length);
      expect(checkCache(dir, PASS).ok).toBe(true);
      // Once a run has committed, later kills land in a re-import of duplicates: still all-or-nothing.
    }
    console.log(`import kill -9 points (records present after each kill): ${seen.join(', ')}`);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 10));
    const final = await runChild(['import', dir, file]);
    expect(final.out).toMatch(/done import \d+ \d+/);
    const rows = storedHashes(dir);
    expect(rows).toHaveLength(COUNT);
    expect(new Set(rows.map((r) => r.id)).size).toBe(COUNT);
    for (const r of rows) expect(r.sha256).toBe(expectedHashes.get(r.id));
    expect(checkCache(dir, PASS)).toEqual({ ok: true, integrity: 'ok', records: COUNT });
    // Importing again adds nothing.
    const again = await runChild(['import', dir, file]);
    expect(again.out).toContain(`done import 0 ${COUNT}`);
  }, 120_000);
});

describe('kill -9 during a batched import', () => {
  it(`keeps whole batches from the start of the file at ${KILLS} random points; a re-run completes it exactly once`, async () => {
    const BATCH = 100;
    const file = join(work.dir, 'export-batched.ndjson');
    writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const inFileOrder = entries.map((e) => ({ id: e.id, sha256: expectedHashes.get(e.id) }));
    const seen: number[] = [];
    let kills = 0;
    let windowMs = 600;
    for (let attempt = 0; attempt < KILLS * 8 && kills < KILLS; attempt++) {
      const dir = newCache(`batched-victim-${attempt}`);
      const run = await runChild(['import', dir, file, String(BATCH)], Math.floor(Math.random() * windowMs));
      if (!run.killed) {
        // The work after "ready", not the process start-up: the interesting kills land while batches are stored.
        windowMs = Math.max(20, Math.min(windowMs, Math.floor(run.workMs * 0.9)));
        continue;
      }
      kills++;
      const rows = storedHashes(dir);
      seen.push(rows.length);
      // Each batch is one transaction: a kill leaves the file's first k batches, never part of one.
      expect(rows.length % BATCH === 0 || rows.length === COUNT).toBe(true);
      expect(rows).toEqual(inFileOrder.slice(0, rows.length));
      expect(checkCache(dir, PASS).ok).toBe(true);
      // Re-running the import on the interrupted cache completes it: each record exactly once.
      const rerun = await runChild(['import', dir, file, String(BATCH)]);
      expect(rerun.out).toContain(`done import ${COUNT - rows.length} ${rows.length}`);
      expect(storedHashes(dir)).toEqual(inFileOrder);
      expect(checkCache(dir, PASS)).toEqual({ ok: true, integrity: 'ok', records: COUNT });
    }
    console.log(`batched import kill -9 points (records present after each kill): ${seen.join(', ')}`);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 10));
    // Partial imports were seen, or the test would only have repeated the all-or-nothing case.
    expect(seen.some((n) => n > 0 && n < COUNT)).toBe(true);
  }, 240_000);
});

describe('kill -9 during export', () => {
  it(`never leaves a file at the target path at ${KILLS} random points; the retry produces a package that verifies`, async () => {
    const dir = newCache('export-source');
    const file = join(work.dir, 'seed.ndjson');
    writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await runChild(['import', dir, file]);
    const out = join(work.dir, 'out', 'package.zip');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(work.dir, 'out'));
    let kills = 0;
    const delays: number[] = [];
    let completedBeforeKill = 0;
    let windowMs = 1_000;
    for (let attempt = 0; attempt < KILLS * 8 && kills < KILLS; attempt++) {
      const delay = Math.floor(Math.random() * windowMs);
      const run = await runChild(['export', dir, out], delay);
      if (!run.killed) {
        // Finished first: draw later kill points inside the time an export really takes.
        windowMs = Math.max(20, Math.min(windowMs, Math.floor(run.workMs * 0.5)));
        rmSync(out, { force: true });
        continue;
      }
      kills++;
      delays.push(delay);
      if (existsSync(out)) {
        // The kill landed after the rename (custody entry, cleanup): the file must be complete.
        const landed = await verifyPackage(out);
        expect(landed.ok, `a partial package was left at the target after a kill at ${delay} ms`).toBe(true);
        completedBeforeKill++;
        rmSync(out);
      }
      expect(checkCache(dir, PASS).ok).toBe(true);
    }
    const leftovers = readdirSync(join(work.dir, 'out'));
    console.log(`export kill -9 delays (ms after open): ${delays.join(', ')}; temp leftovers beside the target: ${leftovers.length}; complete before the kill: ${completedBeforeKill}`);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 10));
    // Leftovers are only our own dot-temp folders and .partial files, never the target name.
    for (const name of leftovers) expect(name).toMatch(/^\.package\.zip\.tmp-|^package\.zip\.partial-/);
    const final = await runChild(['export', dir, out]);
    expect(final.out).toContain(`done export ${COUNT}`);
    const verdict = await verifyPackage(out);
    expect(verdict.ok, JSON.stringify(verdict.checks?.filter?.((c: { ok: boolean }) => !c.ok))).toBe(true);
  }, 120_000);
});
