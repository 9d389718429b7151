import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../main/core/security/csp';
import { CALL_CHANNEL, registerIpc } from '../../../main/ipc';
import { denyAllPermissions, isTrustedSender, lockDownContents } from '../../../main/security';
import { APP_ORIGIN, mainWindowOptions } from '../../../main/window-options';

describe('the BrowserWindow', () => {
  it('is created with every hardening option', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('has a strict CSP: scripts only from our origin, no eval, no inline, no framing', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('IPC sender validation', () => {
  it('trusts only the app origin main frame', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html` })).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/index.html' })).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd' })).toBe(false);
    expect(isTrustedSender({ url: 'app://other-host/index.html' })).toBe(false);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender({ url: 'not a url' })).toBe(false);
  });

  it('rejects a call from a foreign origin before the handler runs', async () => {
    const handlers = new Map<string, (...args: unknown[]) => unknown>();
    const fakeIpcMain = { handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn) };
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'secret data' }));
    registerIpc(fakeIpcMain as never, dispatch);
    const handler = handlers.get(CALL_CHANNEL)!;

    const foreign = await handler({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', {});
    expect(foreign).toEqual({ ok: false, error: { code: 'forbidden_sender', message: expect.any(String) } });
    expect(dispatch).not.toHaveBeenCalled();

    const ours = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html` } }, 'app.info', {});
    expect(ours).toEqual({ ok: true, value: 'secret data' });
    expect(dispatch).toHaveBeenCalledWith('app.info', {});
  });
});

describe('navigation, windows and permissions', () => {
  const fakeContents = () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    return {
      on: (name: string, fn: (event: { preventDefault(): void }, url: string) => void) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
      fire(name: string, url: string) {
        const event = { prevented: false, preventDefault() { this.prevented = true; } };
        listeners.get(name)!(event, url);
        return event.prevented;
      },
      open: () => openHandler!(),
    };
  };

  it('blocks navigation and redirects away from the app, and every new window', () => {
    const contents = fakeContents();
    lockDownContents(contents as never);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(contents.fire('will-attach-webview', 'about:blank')).toBe(true);
    expect(contents.open()).toEqual({ action: 'deny' });
  });

  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    let device: (() => boolean) | null = null;
    denyAllPermissions({
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      setDevicePermissionHandler: (fn: typeof device) => (device = fn),
    } as never);
    const granted: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) request!(null, permission, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false, false, false]);
    expect(check!()).toBe(false);
    expect(device!()).toBe(false);
  });
});
