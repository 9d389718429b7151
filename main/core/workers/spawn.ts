import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    return new Worker(source, { ...options, execArgv: [...(options.execArgv ?? []), '--import', 'tsx'] });
  }
  const built = join(dirname(here), 'workers', `${name}.worker.js`);
  if (!existsSync(built)) throw new Error(`worker "${name}" is missing from the build (${built}); run npm run build`);
  return new Worker(built, options);
}
