import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { writeOwnerFile } from '../main/core/app/known-caches';
import { recordGatewayContact } from '../main/core/access/lease';
import { BENCH_OWNER, BENCH_PASSPHRASE, DATASET_NOW, datasetPaths, datasetReady, openDatasetCache } from './harness/dataset';
import type { Figure, TaskResult } from './harness/figure';
import { compare } from './harness/figure';
import { mergeIntoResults } from './harness/merge-results';
import { figureLine } from './harness/report';
import { SIZES, valueOf } from './harness/sizes';
import { runTask } from './harness/spawn-task';
import { summarize } from './harness/stats';
import { childBundle } from './harness/bundle';
import type { UiAppCommand, UiAppMessage } from './harness/ui-app-protocol';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * `npm run bench -- ui [--size 1m] [--runs 3]`: the review workspace on the browser host over the
 * prepared cache, driven in Debian Chromium: unlock → first rows visible; apply a filter → rows;
 * jump to the last row (scroll to the bottom) → rows; long tasks (> 50 ms) in the renderer while
 * scrolling; the app's main-thread delay meanwhile. The app core and the host run in a child
 * process bundled as the app ships (harness/ui-app-child.ts; its peak RSS is reported), the page
 * in Chromium, Playwright here. Results are merged into bench/results.json / RESULTS.md as task "ui".
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
  const app = await startAppProcess(dataDir, join(root, 'dist/renderer'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  let timedOut: string | null = null;
  const samples = { unlock: [] as number[], filter: [] as number[], last: [] as number[], longTasks: [] as number[], longest: [] as number[], mainDelay: [] as number[], pageAlone: [] as number[], pageBesidePanels: [] as number[] };
  let peakRssMb: number;
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.addInitScript(PAGE.observeLongTasks);
      const opened = (await app.command({ cmd: 'call', method: 'session.openKnownCache', input: { id: 'bench' } })) as { ok: boolean };
      if (!opened.ok) throw new Error(`openKnownCache failed: ${JSON.stringify(opened)}`);
      await page.goto(app.url);
      const form = page.getByRole('form', { name: 'Unlock cache' });
      await form.getByLabel('Passphrase').fill(BENCH_PASSPHRASE);
      await app.command({ cmd: 'delay-start' });
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
      // The side panels of the cleared filter are read after the table settles: let them finish.
      await page.waitForTimeout(PANELS_SETTLE_MS);
      samples.mainDelay.push((await app.command({ cmd: 'delay-stop' })) as number);
      // A page of rows asked for while the side panels of all records are being read (as when
      // someone scrolls just after clearing a filter), against the same page alone.
      const call = (method: string, input: unknown) => app.command({ cmd: 'call', method, input });
      const pageInput = { filter: {}, sort: { column: 'event_time', direction: 'desc' }, offset: Math.floor(size.events / 2), limit: 200 };
      let t0 = performance.now();
      await call('query.page', pageInput);
      samples.pageAlone.push(performance.now() - t0);
      const panels = Promise.all([call('query.facets', { filter: {}, limit: 8 }), call('query.histogram', { filter: {}, buckets: 120 })]);
      t0 = performance.now();
      await call('query.page', { ...pageInput, offset: pageInput.offset + 200 });
      samples.pageBesidePanels.push(performance.now() - t0);
      await panels;
      const tasks = await page.evaluate(PAGE.longTasks);
      samples.longTasks.push(tasks.length);
      samples.longest.push(tasks.length ? Math.max(...tasks) : 0);
      console.log(`run ${i + 1}/${RUNS}: first rows ${ms(samples.unlock.at(-1)!)}, filter ${ms(samples.filter.at(-1)!)}, last row ${ms(samples.last.at(-1)!)}, long tasks while scrolling ${tasks.length} (longest ${ms(samples.longest.at(-1)!)}), app main-thread delay max ${ms(samples.mainDelay.at(-1)!)}`);
      await page.close();
      await app.command({ cmd: 'call', method: 'session.lock', input: {} });
    }
  } finally {
    await browser.close();
    peakRssMb = (await app.command({ cmd: 'close' })) as number;
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (timedOut) {
    const none = summarize([]);
    const figure: Figure = { id: 'ui.first-rows', label: 'UI: unlock → first rows visible', size: size.label, records: size.events, ours: none, skipped: timedOut, note: `> ${WAIT_MS / 1000} s` };
    console.log(figureLine(figure));
    mergeIntoResults({ task: 'ui', size: size.label, figures: [figure], peakRssMb, seconds: (performance.now() - started) / 1000 });
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
    compare({
      id: 'ui.main-delay',
      label: 'UI: app main-thread delay max (unlock, filter, scroll, side panels)',
      size: size.label,
      records: size.events,
      ours: summarize(samples.mainDelay),
      note: 'longest wait any call could have had in the app core while the page unlocked, filtered, scrolled and drew its side panels',
    }),
    compare({
      id: 'ui.page-beside-panels',
      label: 'App: a page of rows asked for while the side panels are read',
      size: size.label,
      records: size.events,
      ours: summarize(samples.pageBesidePanels),
      baseline: { label: 'the same page alone', ...summarize(samples.pageAlone) },
      note: 'facets and timeline of all records asked for just before the page (contract calls to the app process)',
    }),
  ];
  for (const f of figures) console.log(figureLine(f));
  const result: TaskResult = { task: 'ui', size: size.label, figures, peakRssMb, seconds: (performance.now() - started) / 1000 };
  mergeIntoResults(result);
}

type Command = UiAppCommand extends infer C ? (C extends UiAppCommand ? Omit<C, 'id'> : never) : never;

/** Starts the app side (core + browser host, bundled) in its own process; `command` drives it. */
async function startAppProcess(dataDir: string, staticDir: string): Promise<{ url: string; command(command: Command): Promise<unknown> }> {
  const script = join(dirname(await childBundle()), 'ui-app.js');
  const child = fork(script, [dataDir, staticDir], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: UiAppMessage) => {
      if (message.type === 'ready') return resolve(message.url);
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) entry?.resolve(message.value);
      else entry?.reject(new Error(message.error));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const error = new Error(`the app process of the ui bench ended (code ${code})`);
      reject(error);
      for (const entry of waiting.values()) entry.reject(error);
    });
  });
  return {
    url,
    command: (command) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ ...command, id } as UiAppCommand);
      }),
  };
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
/** How long the run waits at its end for the side panels (read after the table settles) to be drawn. */
const PANELS_SETTLE_MS = 1_500;

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
