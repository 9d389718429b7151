import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskResult } from './figure';
import { judgeGoals } from './goals';
import { describeMachine, writeResults } from './report';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Adds one task's result to bench/results.json and RESULTS.md, replacing that task's earlier result
 * at the same size — for benches that run apart from `scale` (ui, app-sync).
 */
export function mergeIntoResults(result: TaskResult): void {
  const jsonPath = join(benchDir, 'results.json');
  let previous: { machine?: ReturnType<typeof describeMachine>; results: TaskResult[] } = { results: [] };
  try {
    previous = JSON.parse(readFileSync(jsonPath, 'utf8')) as typeof previous;
  } catch {
    // First run: nothing to merge with.
  }
  const results = [...previous.results.filter((r) => !(r.task === result.task && r.size === result.size)), result];
  writeResults(jsonPath, join(benchDir, 'RESULTS.md'), previous.machine ?? describeMachine(), results, judgeGoals(results));
  console.log('merged into bench/results.json and bench/RESULTS.md');
}
