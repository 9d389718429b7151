import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN } from './window-options';

/**
 * Every security handler of the shell, in one place, top to bottom like a checklist.
 * Each function takes the Electron objects it needs so tests can pass fakes.
 */

/** 1. Only our own origin may call the contract: check the sending frame before any handler runs. */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false; // sub-frames never get the contract
  return isAppUrl(frame.url);
}

/** 2. No navigation away from the app, and no new windows; external links are not opened either. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** 3. The page gets no permission (camera, notifications via the web API, geolocation, ...). */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** 4. Applied to every web contents the app ever creates (defence in depth for future windows). */
export function hardenApp(app: App): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
}

/**
 * Compares scheme and host rather than `URL.origin`: for a custom scheme, WHATWG URL parsing
 * outside Chromium reports the origin as "null", which would make every app:// URL look alike.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
