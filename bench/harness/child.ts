// Entry point of one measurement process: `node bench/.build/child.js <task> <size>` (this file
// bundled, see bundle.ts).
// Heavy figures run here, one task per process, so each reports its own peak RSS
// (process.resourceUsage().maxRSS) untouched by the parent or by earlier tasks.
import { buildDataset } from './dataset';
import { RESULT_PREFIX, type Figure, type TaskResult } from './figure';
import { SIZES, type SizeSpec } from './sizes';
import { anomalyFigures } from './figures/anomalies';
import { exportFigures } from './figures/export';
import { importFigures } from './figures/import';
import { queryFigures } from './figures/queries';
import { syncFigures, syncRawFigures } from './figures/sync';

export type TaskFn = (size: SizeSpec, log: (line: string) => void) => Promise<Figure[]>;

const TASKS: Record<string, TaskFn> = {
  prepare: async (size, log) => {
    await buildDataset(size, log);
    return [];
  },
  sync: syncFigures,
  'sync-raw': syncRawFigures,
  queries: queryFigures,
  export: exportFigures,
  import: importFigures,
  anomalies: anomalyFigures,
};

const [task, label] = process.argv.slice(2);
const size = SIZES[label ?? ''];
const fn = TASKS[task ?? ''];
if (!fn || !size) {
  console.error(`usage: child.ts <${Object.keys(TASKS).join('|')}> <${Object.keys(SIZES).join('|')}>`);
  process.exit(2);
}
const started = performance.now();
const log = (line: string) => process.stdout.write(`  [${task} ${size.label}] ${line}\n`);
const figures = await fn(size, log);
const result: TaskResult = {
  task: task!,
  size: size.label,
  figures,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  seconds: (performance.now() - started) / 1000,
};
process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
// Open handles (gateway sockets, workers) must not keep a finished measurement alive.
process.exit(0);
