import { app, BrowserWindow, ipcMain, protocol, session, safeStorage } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore } from './core/app/create-app';
import { safeStorageKeyWrapper } from './safe-storage';
import { forwardEvents, registerIpc } from './ipc';
import { appSchemePrivileges, registerAppProtocol } from './protocol';
import { denyAllPermissions, hardenApp, lockDownContents } from './security';
import { APP_ENTRY_URL, mainWindowOptions } from './window-options';

/**
 * The Electron shell: one hardened window, the app:// protocol, IPC. Everything else is the
 * plain-Node core, shared with the browser host and the CLI.
 */
const distDir = join(fileURLToPath(new URL('.', import.meta.url)));

protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();
hardenApp(app);
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  const core = await createAppCore({
    dataDir: join(app.getPath('userData'), 'data'),
    host: 'electron',
    keyWrapper: safeStorageKeyWrapper(safeStorage),
  });
  denyAllPermissions(session.defaultSession);
  registerAppProtocol(protocol, join(distDir, 'renderer'));
  registerIpc(ipcMain, core.dispatch);

  const window = new BrowserWindow(mainWindowOptions(join(distDir, 'preload.cjs')));
  lockDownContents(window.webContents);
  const stopEvents = forwardEvents(core.bus, window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => stopEvents());
  await window.loadURL(APP_ENTRY_URL);

  app.on('window-all-closed', async () => {
    await core.close();
    app.quit();
  });
});
