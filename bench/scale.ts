import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetReady } from './harness/dataset';
import type { TaskResult } from './harness/figure';
import { judgeGoals } from './harness/goals';
import { describeMachine, figureLine, writeResults } from './harness/report';
import { sizesFromArgs, valueOf } from './harness/sizes';
import { runTask } from './harness/spawn-task';

const here = dirname(fileURLToPath(import.meta.url));
export const TASKS = ['sync', 'queries', 'export', 'import', 'anomalies'] as const;

/**
 * `npm run bench -- scale [--sizes 100k,1m] [--scale 5m] [--tasks sync,queries,...] [--task-timeout 20]`
 * The standard set: for each dataset size (100k and 1M by default, 5M with --scale 5m), builds the
 * dataset once (bench/.data/, reused by later runs), then runs each task in its own process
 * (ours and its baseline in the same run, peak RSS per process), and writes bench/results.json and
 * bench/RESULTS.md with the goals of issue 11 judged at 1M. Earlier UI figures (bench/ui.ts)
 * and other sizes found in results.json are kept.
 */
export async function run(args: string[]): Promise<void> {
  const sizes = sizesFromArgs(args);
  const tasks = (valueOf(args, '--tasks')?.split(',') ?? [...TASKS]).filter((t) => (TASKS as readonly string[]).includes(t));
  const timeoutMinutes = Number(valueOf(args, '--task-timeout') ?? 20);
  const machine = describeMachine();
  console.log(`machine: ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.node}, load ${machine.loadStart}`);
  const results: TaskResult[] = [];
  const save = () => {
    machine.loadEnd = Number(loadavg()[0]!.toFixed(2));
    // Figures this run did not re-measure (other sizes, other tasks, the UI) are kept.
    // A failure never replaces a figure measured earlier (e.g. by a concurrent or later run).
    const earlier = earlierResults();
    const fresh = results.filter((n) => !n.failed || !earlier.some((r) => r.task === n.task && r.size === n.size && !r.failed));
    const all = [...earlier.filter((r) => !fresh.some((n) => n.task === r.task && n.size === r.size)), ...fresh];
    writeResults(join(here, 'results.json'), join(here, 'RESULTS.md'), machine, all, judgeGoals(all));
  };
  for (const size of sizes) {
    if (!datasetReady(size)) {
      console.log(`\n--- building dataset ${size.label} (once; kept in bench/.data/${size.label}) ---`);
      await runTask('prepare', size.label);
    }
    for (const task of tasks) {
      console.log(`\n--- ${task} @ ${size.label} ---`);
      try {
        const result = await runTask(task, size.label, timeoutMinutes);
        results.push(result);
        for (const f of result.figures) console.log(figureLine(f));
        console.log(`peak RSS ${result.peakRssMb} MB, ${result.seconds.toFixed(0)} s`);
      } catch (error) {
        const reason = (error as Error).message;
        console.log(`FAILED: ${reason}`);
        results.push({ task, size: size.label, figures: [], peakRssMb: 0, seconds: 0, failed: reason });
      }
      save();
    }
  }
  save();
  console.log('\n=== goals (1M) ===');
  for (const g of judgeGoals([...earlierResults()])) console.log(`${g.verdict.padEnd(12)} ${g.goal.padEnd(40)} ${g.measured}`);
  console.log(`\nwrote bench/results.json and bench/RESULTS.md`);
}

/** What bench/results.json already holds (UI figures, sizes measured in another run). */
function earlierResults(): TaskResult[] {
  try {
    return (JSON.parse(readFileSync(join(here, 'results.json'), 'utf8')) as { results: TaskResult[] }).results;
  } catch {
    return [];
  }
}
