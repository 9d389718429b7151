// `npm run bench [-- name ...] [--flags]`: runs the named benchmarks (default: all) one after
// another, each in this process. Each bench/<name>.ts exports `run(args)` and prints its figures.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-') && available.includes(a));
const unknown = args.filter((a) => !a.startsWith('-') && !available.includes(a) && !/^\d/.test(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} — available: ${available.join(', ')}`);
  process.exit(2);
}
const flags = args.filter((a) => !names.includes(a));

for (const name of names.length > 0 ? names : available) {
  console.log(`\n=== bench: ${name} ===`);
  const module = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as { run(args: string[]): Promise<void> };
  await module.run(flags);
}
