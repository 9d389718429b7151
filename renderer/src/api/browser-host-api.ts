import type { AuditApi, EventName } from '../../../preload/contract';

/**
 * window.auditApi for the browser host (npm run web, Playwright): the same contract as Electron's
 * preload, carried over loopback HTTP (calls) and a WebSocket (events). The per-run secret comes in
 * the URL fragment once; it is kept in sessionStorage and removed from the address bar.
 */
const SECRET_KEY = 'audit-review.host-secret';

function takeSecret(): string {
  const match = /(?:^#|&)k=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(SECRET_KEY, match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(SECRET_KEY) ?? '';
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export function createBrowserHostApi(): AuditApi {
  const secret = takeSecret();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retryMs = 500;

  const connect = () => {
    const url = `${window.location.origin.replace(/^http/, 'ws')}/events`;
    socket = new WebSocket(url, ['audit-review', `secret.${secret}`]);
    socket.onopen = () => {
      retryMs = 500;
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    };
    socket.onclose = () => {
      // The host may restart during development; reconnect with a capped backoff.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  return {
    async call(name, input) {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Audit-Review-Secret': secret },
        body: JSON.stringify({ method: name, input }),
      });
      if (!response.ok) throw new ApiCallError('host', `the browser host refused the call (${response.status}): reopen the URL it printed`);
      const result = (await response.json()) as { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
      if (result.ok) return result.value as never;
      throw new ApiCallError(result.error.code, result.error.message);
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
