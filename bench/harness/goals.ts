import type { Figure, TaskResult } from './figure';

/** One goal of issue 11, judged on the figures of the 1M dataset (where it says "1M"). */
export interface Goal {
  goal: string;
  /** 'met' | 'missed' | 'not measured' with the measured value. */
  verdict: 'met' | 'missed' | 'not measured';
  measured: string;
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

export function judgeGoals(results: readonly TaskResult[], goalSize = '1m'): Goal[] {
  const at = results.filter((r) => r.size === goalSize);
  const figures = at.flatMap((r) => r.figures);
  const find = (id: string) => figures.find((f) => f.id === id && !f.skipped);
  const many = (prefix: string) => figures.filter((f) => f.id.startsWith(prefix));
  const goals: Goal[] = [];
  const add = (goal: string, ok: boolean | null, measured: string) => goals.push({ goal, verdict: ok === null ? 'not measured' : ok ? 'met' : 'missed', measured });

  const sync = find('sync');
  add('sync ≥ 50k records/s', sync ? (sync.rate ?? 0) >= 50_000 : null, sync ? `${Math.round(sync.rate ?? 0).toLocaleString('en-US')} records/s` : '—');
  // Sync vs raw as a throughput ratio: raw time / sync time.
  add('sync ≥ 0.4× raw insert', sync?.ratio ? 1 / sync.ratio >= 0.4 : null, sync?.ratio ? `${(1 / sync.ratio).toFixed(2)}× raw` : '—');
  const worst = (list: Figure[]) => list.reduce<Figure | null>((w, f) => (!w || f.ours.p95 > w.ours.p95 ? f : w), null);
  const firstPage = worst(many('query.first-page.'));
  add('first page of any filter p95 ≤ 30 ms', firstPage ? firstPage.ours.p95 <= 30 : null, firstPage ? `worst ${ms(firstPage.ours.p95)} (${firstPage.label})` : '—');
  const text = worst(many('query.full-text.'));
  add('full-text p95 ≤ 100 ms', text ? text.ours.p95 <= 100 : null, text ? `worst ${ms(text.ours.p95)} (${text.label})` : '—');
  const scan = find('anomalies.full-scan');
  add('anomaly full scan ≤ 10 s', scan ? scan.ours.median <= 10_000 : null, scan ? ms(scan.ours.median) : '—');
  const csv = find('export.csv');
  add('signed CSV of 1M ≤ 10 s', csv ? csv.ours.median <= 10_000 : null, csv ? ms(csv.ours.median) : '—');
  add('signed CSV ≤ 2× raw dump', csv?.ratio ? csv.ratio <= 2 : null, csv?.ratio ? `${csv.ratio.toFixed(2)}× raw` : '—');
  const xlsx = results.flatMap((r) => r.figures).find((f) => f.id === 'export.xlsx' && f.size === '100k');
  add('XLSX 100k ≤ 15 s', xlsx ? xlsx.ours.median <= 15_000 : null, xlsx ? ms(xlsx.ours.median) : '—');
  const verify = find('verify');
  add('verify 1M ≤ 3 s', verify ? verify.ours.median <= 3_000 : null, verify ? ms(verify.ours.median) : '—');
  const measuredTasks = at.filter((r) => r.task !== 'prepare');
  const peak = measuredTasks.reduce<TaskResult | null>((w, r) => (!w || r.peakRssMb > w.peakRssMb ? r : w), null);
  add('peak RSS ≤ 400 MB', peak ? peak.peakRssMb <= 400 : null, peak ? `max ${peak.peakRssMb} MB (${peak.task})` : '—');
  const ui = find('ui.first-rows');
  const uiTimedOut = figures.find((f) => f.id === 'ui.first-rows' && f.skipped);
  if (uiTimedOut) add('first rows after unlock ≤ 1 s', false, `${uiTimedOut.skipped}`);
  else add('first rows after unlock ≤ 1 s', ui ? ui.ours.median <= 1_000 : null, ui ? ms(ui.ours.median) : '— (run `npm run bench -- ui`)');
  const imp = figures.find((f) => f.id === 'import.filter');
  add('import+filter no slower than lnav', imp && !imp.skipped && imp.ratio ? imp.ratio <= 1 : null, imp ? (imp.skipped ? `ours ${ms(imp.ours.median)}; lnav not installed` : `${imp.ratio?.toFixed(2)}× lnav`) : '—');
  return goals;
}
