/** Median and p95 of repeated timings; p95 uses nearest-rank so 5 samples give the slowest. */
export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { runs: 0, median: NaN, p95: NaN, min: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: sorted.length, median, p95: at(0.95), min: sorted[0]! };
}

/** Runs `work` `runs` times and returns the wall times in milliseconds. */
export async function repeatMs(runs: number, work: () => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}
