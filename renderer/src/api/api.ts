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
 * Side panels (facets, timeline, heatmap, finding counts) can take a while on a large cache. The
 * main side reads them on their own thread, but on a two-core laptop they still take CPU from the
 * table's reads, and while someone types or scrolls most of them would be superseded at once. So
 * they wait until the table's calls have been quiet for a moment — not just idle: after a count
 * arrives the table asks for its rows a render later — and are not sent at all if no longer wanted.
 */
const BACKGROUND: ReadonlySet<MethodName> = new Set<MethodName>(['query.facets', 'query.histogram', 'query.heatmap', 'findings.summary']);
const SETTLE_MS = 120;
let foregroundInFlight = 0;
let settleTimer: ReturnType<typeof setTimeout> | null = null;
let idleWaiters: Array<() => void> = [];

function releaseWhenSettled(): void {
  if (settleTimer) clearTimeout(settleTimer);
  settleTimer = setTimeout(() => {
    settleTimer = null;
    if (foregroundInFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }, SETTLE_MS);
}

function whenForegroundSettled(): Promise<void> {
  if (foregroundInFlight === 0 && settleTimer === null) return Promise.resolve();
  return new Promise((resolve) => idleWaiters.push(resolve));
}

/** Thrown (instead of calling) when a background call is no longer wanted once its turn comes. */
export class AbandonedCall extends Error {
  constructor(name: string) {
    super(`${name} was no longer needed`);
  }
}

export interface CallOptions {
  /** For side-panel calls: checked when their turn comes, so a superseded request is never sent. */
  stillWanted?: () => boolean;
}

export async function call<M extends MethodName>(name: M, input: Input<M>, options: CallOptions = {}): Promise<Output<M>> {
  if (BACKGROUND.has(name)) {
    await whenForegroundSettled();
    if (options.stillWanted && !options.stillWanted()) throw new AbandonedCall(name);
    return api.call(name, input);
  }
  foregroundInFlight++;
  try {
    return await api.call(name, input);
  } finally {
    foregroundInFlight--;
    if (foregroundInFlight === 0) releaseWhenSettled();
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
