// Bundles the Node side with esbuild: the Electron main process, the sandboxed preload (CommonJS,
// as sandboxed preloads must be), the CLI, the browser host and the worker threads. The renderer
// is built by Vite (see vite.config.ts). esbuild is chosen for speed (the whole Node side builds in
// well under a second) and because it needs no config beyond this file.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // npm dependencies stay in node_modules (native better-sqlite3 cannot be bundled anyway).
  packages: 'external',
};

await rm('dist', { recursive: true, force: true });

const workers = readdirSync('main/workers')
  .filter((f) => f.endsWith('.worker.ts'))
  .map((f) => `main/workers/${f}`);

await Promise.all([
  build({ ...common, format: 'esm', entryPoints: { cli: 'main/cli.ts', 'web-host': 'main/web-host/index.ts' }, outdir: 'dist' }),
  build({ ...common, format: 'esm', entryPoints: { main: 'main/index.ts' }, outdir: 'dist', external: ['electron'] }),
  build({
    ...common,
    packages: undefined,
    format: 'cjs',
    entryPoints: { preload: 'preload/index.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    external: ['electron'],
  }),
  workers.length > 0
    ? build({ ...common, format: 'esm', entryPoints: workers, outdir: 'dist/workers' })
    : Promise.resolve(),
]);
