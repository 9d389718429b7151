import type { Summary } from './stats';

/** One measured figure: ours and (when there is one) its baseline, timed in the same run. */
export interface Figure {
  /** Stable key, e.g. "query.first-page.operator"; goals refer to these. */
  id: string;
  label: string;
  size: string;
  records: number;
  ours: Summary;
  baseline?: { label: string } & Summary;
  /** ours.median / baseline.median (lower is better for times). */
  ratio?: number;
  /** records per second of ours (median), where throughput is the point. */
  rate?: number;
  note?: string;
  /** Set when the figure could not be measured, with the reason. */
  skipped?: string;
}

/** What one child process reports: its figures and its own peak RSS. */
export interface TaskResult {
  task: string;
  size: string;
  figures: Figure[];
  peakRssMb: number;
  seconds: number;
  /** Why the task produced no figures (crashed or stopped by --task-timeout). */
  failed?: string;
}

export function compare(figure: Omit<Figure, 'ratio' | 'rate'>, rateRecords?: number): Figure {
  const ratio = figure.baseline ? figure.ours.median / figure.baseline.median : undefined;
  const rate = rateRecords !== undefined ? rateRecords / (figure.ours.median / 1000) : undefined;
  return { ...figure, ...(ratio !== undefined ? { ratio } : {}), ...(rate !== undefined ? { rate } : {}) };
}

export const RESULT_PREFIX = 'BENCH-RESULT ';
