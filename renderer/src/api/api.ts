import type { AuditApi, Input, MethodName, Output } from '../../../preload/contract';
import { createBrowserHostApi } from './browser-host-api';

declare global {
  interface Window {
    auditApi?: AuditApi;
  }
}

/** The contract, from Electron's preload when present, else from the browser host. */
const api: AuditApi = window.auditApi ?? createBrowserHostApi();

/**
 * Side panels (facets, timeline, heatmap, finding counts) can take seconds on a large cache, and
 * the main side answers calls one at a time. They wait until no table call is in flight, so the
 * rows a user is looking at never queue behind a chart.
 */
const BACKGROUND: ReadonlySet<MethodName> = new Set<MethodName>(['query.facets', 'query.histogram', 'query.heatmap', 'findings.summary']);
let foregroundInFlight = 0;
let idleWaiters: Array<() => void> = [];

function whenForegroundIdle(): Promise<void> {
  if (foregroundInFlight === 0) return Promise.resolve();
  return new Promise((resolve) => idleWaiters.push(resolve));
}

export async function call<M extends MethodName>(name: M, input: Input<M>): Promise<Output<M>> {
  if (BACKGROUND.has(name)) {
    await whenForegroundIdle();
    return api.call(name, input);
  }
  foregroundInFlight++;
  try {
    return await api.call(name, input);
  } finally {
    foregroundInFlight--;
    if (foregroundInFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

export const on: AuditApi['on'] = (name, listener) => api.on(name, listener);

/** The code of a failed call (`locked`, `unauthorized`, ...), or `internal`. */
export function errorCode(error: unknown): string {
  return typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'internal';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
