import { GatewayError, type GatewayErrorKind } from './types';

/**
 * How a thread that borrowed a password sign-in's session gets a new one when it expires: it asks
 * the thread it was borrowed from, which asks its own client (or, borrowing too, its own parent),
 * so whatever number of threads read with one session, an expiry costs one sign-in — one Login
 * entry in the audit log under review — and the session stays with the client that signs it out.
 */
export type SessionRequest = { type: 'renew-session'; rid: number; expired: string };

export type SessionReply =
  | { type: 'session-renewed'; rid: number; session: string }
  | { type: 'session-renew-failed'; rid: number; message: string; kind?: GatewayErrorKind; status?: number };

export function isSessionRequest(message: unknown): message is SessionRequest {
  return (message as { type?: unknown } | null)?.type === 'renew-session';
}

export function isSessionReply(message: unknown): message is SessionReply {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'session-renewed' || type === 'session-renew-failed';
}

/** The borrowing thread's side: `renew` is the client's renewBorrowedSession; replies go to `settle`. */
export function sessionRelay(post: (request: SessionRequest) => void) {
  const waiting = new Map<number, { resolve: (session: string) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  return {
    renew(expired: string): Promise<string> {
      const rid = nextId++;
      return new Promise<string>((resolve, reject) => {
        waiting.set(rid, { resolve, reject });
        post({ type: 'renew-session', rid, expired });
      });
    },
    settle(reply: SessionReply): void {
      const entry = waiting.get(reply.rid);
      if (!entry) return;
      waiting.delete(reply.rid);
      if (reply.type === 'session-renewed') entry.resolve(reply.session);
      else entry.reject(reply.kind ? new GatewayError(reply.kind, reply.message, reply.status) : new Error(reply.message));
    },
  };
}

/** The lending side: answers one request with `renew` (the lender's renewSharedSession). */
export async function answerSessionRequest(
  request: SessionRequest,
  renew: ((expired: string) => Promise<string>) | undefined,
  reply: (message: SessionReply) => void,
): Promise<void> {
  try {
    if (!renew) throw new GatewayError('unauthorized', 'the session expired and nothing here can renew it', 401);
    reply({ type: 'session-renewed', rid: request.rid, session: await renew(request.expired) });
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : null;
    reply({
      type: 'session-renew-failed',
      rid: request.rid,
      message: (error as Error)?.message ?? String(error),
      ...(gatewayError ? { kind: gatewayError.kind } : {}),
      ...(gatewayError?.status !== undefined ? { status: gatewayError.status } : {}),
    });
  }
}
