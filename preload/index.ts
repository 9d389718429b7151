import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName, isMethodName, type AuditApi } from './contract';

/**
 * Exposes window.auditApi and nothing else. Only contract method and event names pass; the page
 * never sees ipcRenderer. Inputs are validated again in the main process.
 */
const CALL_CHANNEL = 'audit-api:call';
const EVENT_CHANNEL = 'audit-api:event';

type CallResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const auditApi = {
  async call(name, input) {
    if (!isMethodName(name)) throw new Error(`unknown method ${String(name)}`);
    const result = (await ipcRenderer.invoke(CALL_CHANNEL, name, input)) as CallResult;
    if (result.ok) return result.value as never;
    const error = new Error(result.error.message) as Error & { code: string };
    error.code = result.error.code;
    throw error;
  },
  on(name, listener) {
    if (!isEventName(name)) throw new Error(`unknown event ${String(name)}`);
    const handler = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies AuditApi;

contextBridge.exposeInMainWorld('auditApi', auditApi);
