import type { SyncProgress as UiSyncProgress } from '../../../preload/contract';
import { RECOMMENDED_OVERLAP_SECONDS, type SyncResult } from '../sync/sync-cache';
import { startSyncWorker } from '../sync/start-sync-worker';
import { recordGatewayContact } from '../access/lease';
import { applyRetention } from '../cache/retention';
import { GatewayError } from '../gateway/types';
import { AppError } from './errors';
import type { EventBus } from './event-bus';
import type { SessionController } from './session-controller';

/**
 * Runs at most one sync at a time for the open session, reports progress as contract events, and
 * turns the outcome into what the UI shows next (done, cancelled, sign in again, access revoked).
 *
 * The sync itself runs on a worker thread with its own write connection (and reads pages on a
 * second one), calling the gateway with this session's token or sign-in session: the app's main
 * thread keeps answering the UI while a million records are fetched, hashed and stored.
 */
export function createSyncRunner(deps: {
  session: SessionController;
  bus: EventBus;
  now: () => number;
  /** Runs after records were added (e.g. the anomaly scan). */
  afterSync?: (result: SyncResult) => Promise<void> | void;
}) {
  let status: UiSyncProgress = idle();
  let controller: AbortController | null = null;
  let running: Promise<SyncOutcomeSummary> | null = null;

  const publish = (next: Partial<UiSyncProgress>) => {
    status = { ...status, ...next };
    deps.bus.emit('sync.progress', status);
  };

  const run = async (signal: AbortSignal): Promise<SyncOutcomeSummary> => {
    const cache = deps.session.cache();
    const client = deps.session.current()?.client;
    if (!cache || !client) return { ok: false, unreachable: false, message: 'not signed in or locked' };
    publish({ ...idle(), running: true, phase: 'starting' });
    let result: SyncResult;
    try {
      const running = startSyncWorker(
        {
          cacheDir: cache.dir,
          // The 32 key bytes alone (the Buffer may be a view into a shared pool that cloning would copy whole).
          key: Uint8Array.from(cache.key),
          gateway: client.shareConnection(),
          overlapSeconds: RECOMMENDED_OVERLAP_SECONDS,
          clockOffsetSeconds: deps.now() - Math.floor(Date.now() / 1000),
          // Every sync that ran is on the record, whatever its outcome: it is how evidence entered the cache.
          custodyActor: deps.session.current()?.user.username ?? 'unknown',
        },
        (p) =>
          publish({
            phase: 'fetching',
            records: p.records,
            total: p.total ?? null,
            rate: p.rate,
            etaSeconds: p.etaSeconds ?? null,
            window: p.window,
          }),
        // An expired session is renewed by the app's own client: one sign-in, and the app goes on with it.
        (expired) => client.renewSharedSession(expired),
      );
      const cancel = () => running.cancel();
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
      result = (await running.done.finally(() => signal.removeEventListener('abort', cancel))).result;
    } catch (error) {
      // The worker failed (pages it committed stay, and it has recorded the run in custody).
      const message = `The sync stopped: ${(error as Error).message}. Records already stored are kept; run the sync again to continue.`;
      publish({ running: false, phase: 'failed', message, errorCode: (error as { kind?: string }).kind ?? 'internal' });
      return { ok: false, unreachable: false, message };
    }
    // Locked meanwhile (which also stops the sync): the records it stored are kept, and the worker
    // has recorded the run — and a 403 — in the cache itself; the rest needs the cache open.
    const open = deps.session.cache();
    if (!open) {
      const kept = `${result.inserted.toLocaleString('en-US')} records kept`;
      publish({ running: false, phase: result.outcome === 'complete' ? 'done' : 'cancelled', message: result.outcome === 'complete' ? `The cache was locked as the sync finished; ${kept}` : `Stopped: the cache was locked; ${kept}` });
      return { ok: false, unreachable: false, message: 'the cache was locked during the sync' };
    }
    switch (result.outcome) {
      case 'complete': {
        recordGatewayContact(open.db, deps.now());
        // Permissions can change between sign-ins; offline, exports follow the last answer.
        const me = await client.me().catch(() => null);
        if (me) deps.session.updatePermissions(me.permissions);
        // Records past the retention period leave through the one allowed path (unless a legal hold).
        const retention = applyRetention(open.db, { now: deps.now(), actor: deps.session.current()?.user.username ?? 'system' });
        if (retention.status === 'purged' && retention.purge.removed > 0) {
          deps.bus.emit('notice', { level: 'info', message: `${retention.purge.removed.toLocaleString('en-US')} records older than the retention period were purged (recorded in the chain of custody).` });
        }
        deps.session.recordSynced(deps.now());
        publish({ running: false, phase: 'done', records: result.fetched, message: `${result.inserted.toLocaleString('en-US')} new records` });
        break;
      }
      case 'cancelled':
        publish({ running: false, phase: 'cancelled', message: `Cancelled; ${result.inserted.toLocaleString('en-US')} records kept` });
        break;
      case 'unauthorized': {
        // Expired session or token, or a deleted account? A fresh sign-in with the same credentials tells.
        const deleted = await client.signIn().then(
          () => false,
          (error: unknown) => error instanceof GatewayError && error.kind === 'unauthorized',
        );
        if (deleted) {
          publish({ running: false, phase: 'failed', errorCode: 'revoked', message: 'The gateway no longer accepts this account (deleted or its credentials revoked). The cache is locked.' });
          deps.session.revoke(`The gateway no longer accepts this account (401) as of ${new Date(deps.now() * 1000).toISOString()}.`, 401);
        } else {
          publish({ running: false, phase: 'failed', errorCode: 'unauthorized', message: 'The gateway asked to sign in again. Sign in again to continue; synced records are kept.' });
        }
        break;
      }
      case 'forbidden':
        publish({ running: false, phase: 'failed', errorCode: 'forbidden', message: result.error?.message ?? 'Access to audit logs was revoked.' });
        deps.session.revoke(`The gateway revoked this account's access to audit logs (${new Date(deps.now() * 1000).toISOString()}).`);
        break;
      default:
        publish({ running: false, phase: 'failed', errorCode: result.error?.kind ?? 'failed', message: result.error?.message ?? 'The sync stopped.' });
    }
    // A cancelled sync's records are scanned with the next sync's (the scan reads from where it stopped).
    if (result.inserted > 0 && result.outcome !== 'cancelled') await deps.afterSync?.(result);
    const kind = result.error?.kind;
    return {
      ok: result.outcome === 'complete',
      unreachable: kind === 'network' || kind === 'server' || kind === 'rate_limited',
      message: result.error?.message ?? null,
    };
  };

  return {
    status: () => status,
    start(): Promise<SyncOutcomeSummary> {
      if (running) return running;
      if (!deps.session.cache()) throw new AppError('locked', 'Unlock the cache before syncing.');
      if (!deps.session.current()?.client) throw new AppError('offline', 'Working offline: sign in to the gateway to sync.');
      controller = new AbortController();
      running = run(controller.signal).finally(() => {
        running = null;
        controller = null;
      });
      return running;
    },
    isRunning: () => running !== null,
    cancel() {
      controller?.abort();
    },
    async whenIdle() {
      await running;
    },
  };
}

export interface SyncOutcomeSummary {
  ok: boolean;
  /** The gateway could not be reached (network, 5xx, rate limit): worth retrying later. */
  unreachable: boolean;
  message: string | null;
}

function idle(): UiSyncProgress {
  return { running: false, phase: 'idle', records: 0, total: null, rate: 0, etaSeconds: null, window: null, message: null, errorCode: null };
}
