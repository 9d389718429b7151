import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Dispatch } from './core/app/dispatcher';
import type { EventBus } from './core/app/event-bus';
import { isTrustedSender } from './security';

/** The only two channels: calls go in through one, events come out through the other. */
export const CALL_CHANNEL = 'audit-api:call';
export const EVENT_CHANNEL = 'audit-api:event';

/**
 * Carries contract calls over Electron IPC. The sender frame is checked before anything else;
 * validation and handling happen in the shared dispatcher, exactly as for the browser host.
 */
export function registerIpc(ipcMain: IpcMain, dispatch: Dispatch): void {
  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden_sender', message: 'calls are only accepted from the app window' } };
    }
    return dispatch(name, input);
  });
}

export function forwardEvents(bus: EventBus, contents: WebContents): () => void {
  return bus.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
}
