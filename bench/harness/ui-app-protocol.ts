/** Between the ui bench (Playwright) and the app process it drives (ui-app-child.ts), over the child's IPC channel. */
export type UiAppCommand =
  | { id: number; cmd: 'call'; method: string; input: unknown }
  /** Starts measuring the app's main-thread (event-loop) delay afresh. */
  | { id: number; cmd: 'delay-start' }
  /** Stops measuring; the reply's value is the longest delay in ms. */
  | { id: number; cmd: 'delay-stop' }
  /** Closes the host and the app core; the reply's value is the process's peak RSS in MB. */
  | { id: number; cmd: 'close' };

export type UiAppMessage = { type: 'ready'; url: string } | { type: 'reply'; id: number; ok: boolean; value?: unknown; error?: string };
