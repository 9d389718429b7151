import type { QueryService } from './query-service';

/** The query service's reads, each answered on a query thread (see query-threads.ts). */
export type QueryMethod = 'page' | 'count' | 'record' | 'facets' | 'histogram' | 'heatmap';

/** Which cache a query thread reads (structured-clone safe). */
export interface QueryThreadInput {
  cacheDir: string;
  /** Raw cache key: the thread opens its own read-only connection. */
  key: Uint8Array;
}

export interface QueryRequest<M extends QueryMethod = QueryMethod> {
  type: 'read';
  id: number;
  method: M;
  args: Parameters<QueryService[M]>;
  /** The caller's clock (Unix seconds) for relative time filters ("last 7 days"). */
  now: number;
}

/** A thread starts before the cache is unlocked; this first message tells it what to open. */
export interface QueryOpen {
  type: 'open';
  input: QueryThreadInput;
}

export type QueryThreadMessage = QueryOpen | QueryRequest;

/**
 * A thrown error as it crossed the thread: name, code/kind and message are what toApiError reads,
 * so an error means the same to the app as if the query had run on its own thread.
 */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  kind?: string;
  stack?: string;
}

export type QueryReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const tagged = error as Error & { code?: unknown; kind?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof tagged.code === 'string' ? { code: tagged.code } : {}),
    ...(typeof tagged.kind === 'string' ? { kind: tagged.kind } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

export function fromThreadError(error: ThreadError): Error {
  const rebuilt = new Error(error.message) as Error & { code?: string; kind?: string };
  rebuilt.name = error.name;
  if (error.code !== undefined) rebuilt.code = error.code;
  if (error.kind !== undefined) rebuilt.kind = error.kind;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
