// `npm run bench [-- name ...] [--flags]`
// No name: the standard set — `scale` (datasets 100k + 1M, every figure against its baseline,
// bench/results.json + bench/RESULTS.md), `ui` (the review workspace at 1M in Chromium), then
// `app-sync` (the app's main thread while its sync and scan run).
// With names: just those, e.g. `npm run bench -- scale --sizes 100k` or the older single-purpose
// benches (sync, export, anomalies, ...). Each bench/<name>.ts exports `run(args)`.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const STANDARD_SET = ['scale', 'ui', 'app-sync'];

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const args = process.argv.slice(2);
// A bare word right after a flag is that flag's value (`--sizes 100k`), not a bench name.
const isValue = (i: number) => i > 0 && args[i - 1]!.startsWith('--') && !args[i - 1]!.includes('=');
const names = args.filter((a, i) => !a.startsWith('-') && !isValue(i) && available.includes(a));
const unknown = args.filter((a, i) => !a.startsWith('-') && !isValue(i) && !available.includes(a) && !/^\d/.test(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} — available: ${available.join(', ')}`);
  process.exit(2);
}
const flags = args.filter((a) => !names.includes(a));

for (const name of names.length > 0 ? names : STANDARD_SET) {
  console.log(`\n=== bench: ${name} ===`);
  const module = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as { run(args: string[]): Promise<void> };
  await module.run(flags);
}
