/**
 * An error whose message is written for the person using the app. `code` tells the UI what to
 * offer next (e.g. `locked` → show the unlock screen, `unauthorized` → sign in again).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Turns any thrown value into the contract's error shape without leaking internals. Our own error
 * classes (AppError, GatewayError, CacheError, ...) carry a `kind` or `code` and a message written
 * for users; anything else (a bug, a raw SQLite or system error) becomes a generic message.
 */
const USER_FACING_ERRORS = new Set(['AppError', 'GatewayError', 'CacheError', 'ImportError', 'ExportError', 'VerifyError']);

export function toApiError(error: unknown): { code: string; message: string } {
  if (error instanceof Error && USER_FACING_ERRORS.has(error.name)) {
    const tagged = error as Error & { kind?: unknown; code?: unknown };
    const code = typeof tagged.code === 'string' ? tagged.code : typeof tagged.kind === 'string' ? tagged.kind : 'error';
    return { code, message: error.message };
  }
  return { code: 'internal', message: 'Something went wrong inside the app. The details are in the log; please report it.' };
}
