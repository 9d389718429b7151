import { app, BrowserWindow, ipcMain, Notification, powerMonitor, protocol, session, safeStorage } from 'electron';
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
  // Lock the cache when the OS locks the screen or sleeps: keys leave memory, the UI asks again.
  for (const event of ['lock-screen', 'suspend'] as const) powerMonitor.on(event as 'suspend', () => core.session.lock());

  const window = new BrowserWindow(mainWindowOptions(join(distDir, 'preload.cjs')));
  lockDownContents(window.webContents);
  const stopEvents = forwardEvents(core.bus, window.webContents);
  // Live watch: new high-severity findings become desktop notifications (the window also shows a toast).
  const stopNotifications = core.bus.subscribe((name, payload) => {
    if (name !== 'findings.new' || !Notification.isSupported()) return;
    const { high } = payload as { high: { explanation: string }[] };
    if (high.length === 0) return;
    const notification = new Notification({
      title: high.length === 1 ? 'New high-severity finding' : `${high.length} new high-severity findings`,
      body: high[0]!.explanation,
    });
    notification.on('click', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    notification.show();
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    stopEvents();
    stopNotifications();
  });
  await window.loadURL(APP_ENTRY_URL);

  app.on('window-all-closed', async () => {
    await core.close();
    app.quit();
  });
});
