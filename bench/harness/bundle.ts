import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The measurement processes run the code bundled as the app and the CLI ship it (esbuild, the
 * options of scripts/build.mjs), by plain node. Run from source instead, every process and every
 * worker thread also carried tsx's loader and its compiled-on-load modules — about 40 MB more per
 * isolate in the peak RSS the figures report, none of which a user's process has.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
/** bench/.build (gitignored): child.js, ui-app.js and their worker threads in workers/, where spawnWorker looks. */
const BUILD_DIR = join(repoRoot, 'bench', '.build');

let building: Promise<string> | null = null;

/** Path of the bundled child entry (built once per harness run; the bundle itself never rebuilds). */
export function childBundle(): Promise<string> {
  if (basename(here) === '.build') return Promise.resolve(join(here, 'child.js'));
  building ??= bundle();
  return building;
}

async function bundle(): Promise<string> {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning', packages: 'external', absWorkingDir: repoRoot } as const;
  const workers = readdirSync(join(repoRoot, 'main', 'workers'))
    .filter((f) => f.endsWith('.worker.ts'))
    .map((f) => `main/workers/${f}`);
  await Promise.all([
    build({ ...common, entryPoints: { child: 'bench/harness/child.ts', 'ui-app': 'bench/harness/ui-app-child.ts' }, outdir: BUILD_DIR }),
    build({ ...common, entryPoints: workers, outdir: join(BUILD_DIR, 'workers') }),
  ]);
  return join(BUILD_DIR, 'child.js');
}
