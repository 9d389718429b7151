#!/usr/bin/env node
// The installed command. The CLI is bundled to dist/cli.js by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(built)) {
  console.error('audit-review: not built yet — run `npm run build` (or `npm run cli -- <args>` in a checkout).');
  process.exit(2);
}
await import(pathToFileURL(built).href);
