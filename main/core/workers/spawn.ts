import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread by name. Worker entries live in `main/workers/<name>.worker.ts` and are
 * bundled to `dist/workers/<name>.worker.js`. From source (tests, `npm run cli`) the TypeScript
 * entry runs through tsx; from a bundle, the built file next to the bundle is used.
 */
export function spawnWorker(name: string, options: WorkerOptions = {}): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const source = resolve(dirname(here), '../../workers', `${name}.worker.ts`);
    // Node 20 does not apply `--import tsx` from a Worker's execArgv to the worker's own module
    // loading ("Unknown file extension .ts"), so register tsx inside the thread, then load the entry.
    const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); });`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  // Bundles in dist/ find workers in dist/workers/; a worker bundle (a sync worker starting its
  // page reader) finds them next to itself.
  const built = join(dirname(here), here.endsWith('.worker.js') ? '' : 'workers', `${name}.worker.js`);
  if (!existsSync(built)) throw new Error(`worker "${name}" is missing from the build (${built}); run npm run build`);
  return new Worker(built, options);
}
