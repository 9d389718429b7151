// `npm start`: launches the desktop app, or explains in one line why it cannot here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.error(
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no network): run `npx electron-install` / `node node_modules/electron/install.js` with network access to get it — meanwhile `npm run web` shows the same UI in a browser.',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
