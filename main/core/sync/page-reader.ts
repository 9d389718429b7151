import type { Worker } from 'node:worker_threads';
import { answerSessionRequest, isSessionRequest } from '../gateway/session-relay';
import { GatewayError, type GatewayClient } from '../gateway/types';
import { spawnWorker } from '../workers/spawn';
import { PageReaderStopped, type PageSource, type RowPage } from './page-source';
import type { PageReaderInput, PageReaderReply, PageReaderRequest } from './page-reader-protocol';

export interface PageReader extends PageSource {
  /** Stops the thread; requests still waiting reject as cancelled. Safe to call more than once. */
  close(): Promise<void>;
}

export interface PageReaderOptions {
  /** Aborting it stops the thread at once (the sync's own signal: a cancelled sync leaves no thread behind). */
  signal?: AbortSignal;
  /** Injected for tests (e.g. to kill the thread mid-sync). */
  spawn?: typeof spawnWorker;
  /** Where the thread's borrowed session is renewed when it expires (the lending client's renewSharedSession). */
  renewSession?: (expired: string) => Promise<string>;
}

/** How long a closing reader may take to sign out a session it signed into before it is stopped. */
const CLOSE_GRACE_MS = 2_000;

interface Waiting {
  resolve: (page: RowPage) => void;
  reject: (error: Error) => void;
}

/**
 * A PageSource on a second thread: it fetches a page, parses and validates it and turns the
 * entries into rows (masking, canonical JSON, sha256) while the sync's thread writes the page
 * before it, so on two cores the CPU work and SQLite overlap. syncCache keeps at most two pages
 * requested ahead of the one it writes, which bounds memory to about three pages.
 *
 * GatewayErrors come back as GatewayErrors of the same kind, so sync outcomes do not change.
 * If the thread dies, every request (waiting or later) rejects with PageReaderStopped.
 */
export function startPageReader(input: PageReaderInput, options: PageReaderOptions = {}): PageReader {
  const worker: Worker = (options.spawn ?? spawnWorker)('sync-pages', { workerData: input });
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let stopped: Error | null = null;
  let closing: Promise<void> | null = null;

  // An idle reader must not keep the process alive, a busy one must (nothing else may be pending).
  const holdProcessWhileBusy = () => (waiting.size > 0 ? worker.ref() : worker.unref());
  holdProcessWhileBusy();

  const settle = (id: number): Waiting | undefined => {
    const entry = waiting.get(id);
    waiting.delete(id);
    holdProcessWhileBusy();
    return entry;
  };

  const stop = (reason: Error) => {
    if (stopped) return;
    stopped = reason;
    for (const id of [...waiting.keys()]) settle(id)!.reject(reason);
  };

  worker.on('message', (reply: PageReaderReply) => {
    if (isSessionRequest(reply)) {
      void answerSessionRequest(reply, options.renewSession, (answer) => worker.postMessage(answer satisfies PageReaderRequest));
      return;
    }
    const entry = settle(reply.id);
    if (!entry) return; // cancelled meanwhile
    if (reply.type === 'page') entry.resolve({ total: reply.total, rows: reply.rows });
    else entry.reject(reply.kind ? new GatewayError(reply.kind, reply.message, reply.status) : new Error(reply.message));
  });
  worker.on('error', (error) => stop(new PageReaderStopped(`the thread reading pages from the gateway failed (${error.message}); run sync again — committed work is kept`)));
  worker.on('messageerror', (error) => stop(new PageReaderStopped(`a page from the reader thread could not be received (${error.message}); run sync again — committed work is kept`)));
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    stop(new PageReaderStopped(`the thread reading pages from the gateway stopped unexpectedly (exit code ${code}); run sync again — committed work is kept`));
  });

  const closeOnAbort = () => void close();
  const close = (): Promise<void> => {
    closing ??= (async () => {
      options.signal?.removeEventListener('abort', closeOnAbort);
      stop(new GatewayError('cancelled', 'sync cancelled'));
      // The thread signs out a session it signed into, then ends; a thread that does not end soon is stopped.
      if (exited) return;
      const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage({ type: 'close' } satisfies PageReaderRequest);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
      await Promise.race([ended, late]);
      clearTimeout(timer);
      await worker.terminate();
    })();
    return closing;
  };

  if (options.signal?.aborted) void close();
  else options.signal?.addEventListener('abort', closeOnAbort, { once: true });

  return {
    listRows(query, signal) {
      if (stopped) return Promise.reject(stopped);
      if (signal?.aborted) return Promise.reject(new GatewayError('cancelled', 'sync cancelled'));
      const id = nextId++;
      return new Promise<RowPage>((resolve, reject) => {
        const onAbort = () => {
          if (!settle(id)) return;
          worker.postMessage({ type: 'cancel', id } satisfies PageReaderRequest);
          reject(new GatewayError('cancelled', 'sync cancelled'));
        };
        waiting.set(id, {
          resolve: (page) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(page);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        });
        holdProcessWhileBusy();
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ type: 'list', id, query } satisfies PageReaderRequest);
      });
    },
    close,
  };
}

/**
 * The page source a sync should use: the reader thread, calling the gateway as `client` does —
 * with its token, or with its password sign-in's session (no second sign-in; see shareConnection),
 * which `client` also renews for the thread when it expires.
 */
export function pageSourceFor(client: Pick<GatewayClient, 'shareConnection' | 'renewSharedSession'>, options: PageReaderOptions = {}): PageReader {
  return startPageReader({ gateway: client.shareConnection() }, { renewSession: (expired) => client.renewSharedSession(expired), ...options });
}
