import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Boots main/index.ts against a fake `electron` module and checks what the shell does with it:
 * the window's options, the app:// protocol, the sandbox, the permission handler, IPC.
 */
const created: { options: Record<string, unknown>; url?: string }[] = [];
const calls: string[] = [];

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), isDestroyed: () => false, send: vi.fn() };
    constructor(options: Record<string, unknown>) {
      created.push({ options });
    }
    once() {}
    isMinimized() { return false; }
    on() {}
    async loadURL(url: string) {
      created[created.length - 1]!.url = url;
    }
  }
  return {
    app: {
      whenReady: () => Promise.resolve(),
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (name: string) => calls.push(`app.on:${name}`),
      getPath: () => '/tmp/audit-review-test-user-data',
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => calls.push(`ipc:${channel}`) },
    Notification: { isSupported: () => false },
    powerMonitor: { on: (name: string) => calls.push(`power:${name}`) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => calls.push(`privileged:${schemes.map((s) => s.scheme).join(',')}`),
      handle: (scheme: string) => calls.push(`protocol:${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('permissions:request'),
        setPermissionCheckHandler: () => calls.push('permissions:check'),
        setDevicePermissionHandler: () => calls.push('permissions:device'),
      },
    },
    safeStorage: { isEncryptionAvailable: () => false },
  };
});

vi.mock('../../../main/core/app/create-app', () => ({
  createAppCore: async () => ({ dispatch: vi.fn(), bus: { subscribe: () => () => {} }, close: vi.fn() }),
}));

describe('the Electron main process', () => {
  beforeEach(() => {
    created.length = 0;
    calls.length = 0;
  });

  it('opens one hardened window on app://, with sandbox, protocol, permission denial and IPC', async () => {
    await import('../../../main/index');
    await vi.waitFor(() => expect(created[0]?.url).toBeDefined());
    expect(created).toHaveLength(1);
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(created[0]!.url).toBe('app://audit-review/index.html');
    expect(calls).toEqual(
      expect.arrayContaining([
        'privileged:app',
        'enableSandbox',
        'app.on:web-contents-created',
        'protocol:app',
        'permissions:request',
        'permissions:check',
        'ipc:audit-api:call',
        'power:lock-screen',
        'power:suspend',
      ]),
    );
  });
});
