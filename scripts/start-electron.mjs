// `npm start`: launches the desktop app, or explains in one line why it cannot here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
function electronBinary() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}
const electronPath = electronBinary();
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.error(
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no network): run `node node_modules/electron/install.js` on a machine with network access to fetch it — meanwhile `npm run web` shows the same UI in a browser.',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
