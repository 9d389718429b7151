import type { AuditApi, Input, MethodName, Output } from '../../../preload/contract';
import { createBrowserHostApi } from './browser-host-api';

declare global {
  interface Window {
    auditApi?: AuditApi;
  }
}

/** The contract, from Electron's preload when present, else from the browser host. */
const api: AuditApi = window.auditApi ?? createBrowserHostApi();

export function call<M extends MethodName>(name: M, input: Input<M>): Promise<Output<M>> {
  return api.call(name, input);
}

export const on: AuditApi['on'] = (name, listener) => api.on(name, listener);

/** The code of a failed call (`locked`, `unauthorized`, ...), or `internal`. */
export function errorCode(error: unknown): string {
  return typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'internal';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
