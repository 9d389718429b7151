import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { createAppCore } from '../main/core/app/create-app';
import { writeOwnerFile } from '../main/core/app/known-caches';
import { startWebHost } from '../main/web-host/server';
import { recordGatewayContact } from '../main/core/access/lease';
import { BENCH_OWNER, BENCH_PASSPHRASE, DATASET_NOW, datasetPaths, datasetReady, openDatasetCache } from './harness/dataset';
import type { Figure, TaskResult } from './harness/figure';
import { compare } from './harness/figure';
import { mergeIntoResults } from './harness/merge-results';
import { figureLine } from './harness/report';
import { SIZES, valueOf } from './harness/sizes';
import { runTask } from './harness/spawn-task';
import { summarize } from './harness/stats';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * `npm run bench -- ui [--size 1m] [--runs 3]`: the review workspace on the browser host over the prepared
 * cache, driven in Debian Chromium: unlock → first rows visible; apply a filter → rows; jump to the
 * last row (scroll to the bottom) → rows; long tasks (> 50 ms) in the renderer while scrolling.
 * The app core runs in this process (its peak RSS is reported), the page in Chromium.
 * Results are merged into bench/results.json / RESULTS.md as task "ui".
 */
export async function run(args: string[]): Promise<void> {
  const size = SIZES[(valueOf(args, '--size') ?? '1m').toLowerCase()];
  if (!size) throw new Error(`unknown --size; use one of ${Object.keys(SIZES).join(', ')}`);
  const RUNS = Math.max(1, Number(valueOf(args, '--runs') ?? 3));
  if (!existsSync(CHROMIUM)) {
    console.log(`ui bench skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
    return;
  }
  if (!datasetReady(size)) await runTask('prepare', size.label);
  if (!existsSync(join(root, 'dist/renderer/index.html'))) {
    console.log('building the renderer (npm run build) for the browser host…');
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed; the ui bench needs dist/renderer');
  }

  // A data folder whose only known cache is the prepared dataset (linked, not copied: 1M is GBs).
  const dataDir = mkdtempSync(join(tmpdir(), 'ar-bench-ui-'));
  mkdirSync(join(dataDir, 'caches'), { recursive: true });
  const cacheLink = join(dataDir, 'caches', 'bench');
  symlinkSync(datasetPaths(size).cacheDir, cacheLink, 'dir');
  writeOwnerFile(cacheLink, { ...BENCH_OWNER, lastSyncedAt: DATASET_NOW, permissions: null, lastContactAt: null });
  // Offline opening honours the gateway lease, which starts at the last contact: the dataset was
  // never synced from a gateway, so record one at the dataset's "now" (as a sign-in would).
  const prepared = openDatasetCache(size);
  recordGatewayContact(prepared.db, DATASET_NOW);
  prepared.close();

  const started = performance.now();
  const core = await createAppCore({ dataDir, host: 'browser-host', now: () => DATASET_NOW });
  const host = await startWebHost({ dispatch: core.dispatch, bus: core.bus, staticDir: join(root, 'dist/renderer') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  let timedOut: string | null = null;
  const samples = { unlock: [] as number[], filter: [] as number[], last: [] as number[], longTasks: [] as number[], longest: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.addInitScript(PAGE.observeLongTasks);
      const opened = await core.dispatch('session.openKnownCache', { id: 'bench' });
      if (!opened.ok) throw new Error(`openKnownCache failed: ${JSON.stringify(opened)}`);
      await page.goto(host.url);
      const form = page.getByRole('form', { name: 'Unlock cache' });
      await form.getByLabel('Passphrase').fill(BENCH_PASSPHRASE);
      let t = performance.now();
      await form.getByRole('button', { name: 'Unlock' }).click();
      if (!(await waitForRows(page))) {
        // A timeout is itself the figure: record it rather than losing the run.
        timedOut = `no rows within ${WAIT_MS / 1000} s of unlocking`;
        console.log(`run ${i + 1}/${RUNS}: ${timedOut}`);
        await page.close();
        break;
      }
      samples.unlock.push(performance.now() - t);

      await page.getByTestId('filter-input').fill('event:Delete*');
      t = performance.now();
      await page.getByTestId('filter-input').press('Enter');
      await page.waitForFunction(PAGE.rowsMatch, 'Delete', { timeout: 300_000 });
      samples.filter.push(performance.now() - t);

      await page.getByRole('button', { name: 'Clear', exact: true }).click().catch(() => {});
      if (!(await waitForRows(page))) throw new Error(`no rows within ${WAIT_MS / 1000} s after clearing the filter`);
      await page.evaluate(PAGE.resetLongTasks);
      // Scroll like a person dragging through the list: 40 steps down the first half.
      await page.evaluate(PAGE.scrollSteps);
      t = performance.now();
      await page.evaluate(PAGE.scrollToEnd);
      await page.waitForFunction(PAGE.lastRowShown, undefined, { timeout: 300_000 });
      samples.last.push(performance.now() - t);
      const tasks = await page.evaluate(PAGE.longTasks);
      samples.longTasks.push(tasks.length);
      samples.longest.push(tasks.length ? Math.max(...tasks) : 0);
      console.log(`run ${i + 1}/${RUNS}: first rows ${ms(samples.unlock.at(-1)!)}, filter ${ms(samples.filter.at(-1)!)}, last row ${ms(samples.last.at(-1)!)}, long tasks while scrolling ${tasks.length} (longest ${ms(samples.longest.at(-1)!)})`);
      await page.close();
      await core.dispatch('session.lock', {});
    }
  } finally {
    await browser.close();
    await host.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (timedOut) {
    const none = summarize([]);
    const figure: Figure = { id: 'ui.first-rows', label: 'UI: unlock → first rows visible', size: size.label, records: size.events, ours: none, skipped: timedOut, note: `> ${WAIT_MS / 1000} s` };
    console.log(figureLine(figure));
    mergeIntoResults({ task: 'ui', size: size.label, figures: [figure], peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), seconds: (performance.now() - started) / 1000 });
    return;
  }
  const figures: Figure[] = [
    compare({ id: 'ui.first-rows', label: 'UI: unlock → first rows visible', size: size.label, records: size.events, ours: summarize(samples.unlock), note: 'bench cache uses cheap scrypt; a real unlock adds key derivation' }),
    compare({ id: 'ui.filter', label: 'UI: apply filter event:Delete* → rows', size: size.label, records: size.events, ours: summarize(samples.filter) }),
    compare({ id: 'ui.last-row', label: 'UI: jump to the last row → rows', size: size.label, records: size.events, ours: summarize(samples.last) }),
    compare({
      id: 'ui.scroll-long-tasks',
      label: 'UI: longest long task while scrolling',
      size: size.label,
      records: size.events,
      ours: summarize(samples.longest),
      note: `long tasks > 50 ms per scroll run: ${samples.longTasks.join(', ')}`,
    }),
  ];
  for (const f of figures) console.log(figureLine(f));
  const result: TaskResult = { task: 'ui', size: size.label, figures, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), seconds: (performance.now() - started) / 1000 };
  mergeIntoResults(result);
}

/** True once rows show; false after WAIT_MS (the time is then reported as a bound). */
async function waitForRows(page: Page): Promise<boolean> {
  try {
    await page.waitForFunction(PAGE.rowsShown, undefined, { timeout: WAIT_MS });
    return true;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return false;
    throw error;
  }
}

const WAIT_MS = 300_000;

/**
 * What runs inside the page. bench/ is compiled without the DOM library (it is Node code) and the
 * app's CSP forbids evaluating strings, so these are functions over a minimal typed view of the
 * document. They are serialized by Playwright: no closures, no named inner functions (tsx would
 * wrap those in a helper that does not exist in the page).
 */
interface PageElement {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}
interface PageGlobal {
  document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
  __longTasks: number[];
  PerformanceObserver: new (callback: (list: { getEntries(): Array<{ duration: number }> }) => void) => { observe(options: object): void };
  requestAnimationFrame(callback: () => void): void;
}
const PAGE = {
  observeLongTasks: () => {
    const g = globalThis as unknown as PageGlobal;
    g.__longTasks = [];
    new g.PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  },
  resetLongTasks: () => {
    (globalThis as unknown as PageGlobal).__longTasks = [];
  },
  longTasks: () => (globalThis as unknown as PageGlobal).__longTasks,
  rowsShown: () =>
    Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[role="grid"] [role="row"][data-row-index] [role="gridcell"]')).some(
      (c) => (c.textContent ?? '').trim() !== '' && !/Loading/.test(c.textContent ?? ''),
    ),
  rowsMatch: (word: string) =>
    Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[role="grid"] [role="row"][data-row-index] [role="gridcell"]')).some((c) =>
      (c.textContent ?? '').includes(word),
    ),
  scrollSteps: async () => {
    const g = globalThis as unknown as PageGlobal;
    const el = g.document.querySelector('[role="grid"]')!;
    for (let k = 1; k <= 40; k++) {
      el.scrollTop = (el.scrollHeight * k) / 80;
      await new Promise<void>((r) => g.requestAnimationFrame(() => r()));
    }
  },
  scrollToEnd: () => {
    const el = (globalThis as unknown as PageGlobal).document.querySelector('[role="grid"]')!;
    el.scrollTop = el.scrollHeight;
  },
  lastRowShown: () => {
    const d = (globalThis as unknown as PageGlobal).document;
    const el = d.querySelector('[role="grid"]');
    const rows = d.querySelectorAll('[role="grid"] [role="row"][data-row-index]');
    const last = rows[rows.length - 1];
    if (!el || !last) return false;
    const text = last.textContent ?? '';
    return el.scrollTop + el.clientHeight >= el.scrollHeight - 2 && text.trim() !== '' && !/Loading/.test(text);
  },
};

/** Replaces earlier UI figures of this size in bench/results.json and re-renders RESULTS.md. */
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
