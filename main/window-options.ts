import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one BrowserWindow's options. Kept as plain data so a test can assert every hardening
 * setting without starting Electron.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Audit Review',
    backgroundColor: '#0f1419',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** The origin our renderer is served from; IPC senders and navigations must match it. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://audit-review`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
