import { platform } from 'node:os';
import type { Session } from '../../../preload/contract';
import { APP_NAME, APP_VERSION } from '../app-info';
import { listEventTypes } from '../catalog/catalog';
import type { KeyWrapper } from '../cache/keys';
import { createGatewayClient } from '../gateway/client';
import { createDispatcher, type Handlers } from './dispatcher';
import { createEventBus } from './event-bus';
import { createInProcessApi } from './in-process-api';
import { listKnownCaches } from './known-caches';
import { createQueryHandlers } from './query-handlers';
import { createSessionController } from './session-controller';
import { createSyncRunner } from './sync-runner';
import { createViewHandlers } from './view-handlers';
import { startEmbeddedDemo, type EmbeddedDemo } from './embedded-demo';
import { createAnnotationHandlers } from './annotation-handlers';
import { createFindingHandlers } from './finding-handlers';
import { createHistoryHandlers } from './history-handlers';
import { createPackageHandlers } from './package-handlers';
import { createExportHandlers } from './export-handlers';
import { openReader } from '../cache/cache';
import { createLiveWatch } from './live-watch';
import { createAutoLock } from './auto-lock';
import { readAppSettings, writeAppSettings } from './app-settings';
import { ScanCancelled } from '../anomalies/scan-thread';
import { createAnomalyScans } from './anomaly-scans';

/**
 * Builds the whole app behind the contract — session, sync, queries — for any host: Electron,
 * the browser host, or a test. Hosts differ only in `host`, `dataDir` and the key wrapper.
 */
export interface AppCoreOptions {
  dataDir: string;
  host: 'electron' | 'browser-host' | 'in-process';
  keyWrapper?: KeyWrapper | null;
  now?: () => number;
  /** Options of the embedded demo gateway ("Use the demo gateway"). */
  demo?: { events?: number; days?: number; seed?: number };
  log?: (line: string) => void;
}

export async function createAppCore(options: AppCoreOptions) {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log ?? (() => {});
  const bus = createEventBus();
  let demo: EmbeddedDemo | null = null;

  const session = createSessionController({
    dataDir: options.dataDir,
    keyWrapper: options.keyWrapper ?? null,
    createClient: createGatewayClient,
    startDemoGateway: async () => {
      demo ??= await startEmbeddedDemo(options.demo ?? {}, log);
      return demo.signIn;
    },
    now,
    onChange: (s: Session) => bus.emit('session.changed', s),
  });
  const author = () => session.current()?.user.username || 'unknown';
  const scans = createAnomalyScans({ cache: () => session.cache(), now });
  // After each sync that added records, the anomaly rules look at what is new; new high-severity
  // findings are announced (desktop notification in Electron, a toast in the browser host).
  const scanAfterSync = async () => {
    if (!session.cache()) return;
    try {
      const summary = await scans.run(false);
      // Locked meanwhile: no news on a locked screen (a desktop notification shows finding text).
      if (!session.cache()) return;
      // The first scan of a cache judges all of its history: that is a review to start, not news.
      const news = summary.mode === 'full' ? [] : summary.newHigh;
      bus.emit('findings.new', {
        written: summary.written,
        high: news.slice(0, 20).map((f) => ({ id: f.id, rule: f.rule, explanation: f.explanation })),
      });
      log(`anomaly scan (${summary.mode}): ${summary.written} findings written in ${summary.seconds.toFixed(2)} s`);
    } catch (error) {
      if (error instanceof ScanCancelled) return;
      log(`anomaly scan failed: ${(error as Error).message}`);
      bus.emit('notice', { level: 'warning', message: 'The anomaly scan after this sync failed; findings may be out of date. Run a rescan from the findings panel.' });
    }
  };
  const sync = createSyncRunner({ session, bus, now, afterSync: scanAfterSync });
  const watch = createLiveWatch(
    {
      bus,
      canSync: () => session.get().state === 'ready' && session.current()?.client != null,
      isSyncing: () => sync.isRunning(),
      runSync: () => sync.start(),
      now,
      setTimer: (callback, ms) => {
        const handle = setTimeout(callback, ms);
        handle.unref?.();
        return { cancel: () => clearTimeout(handle) };
      },
    },
    readAppSettings(options.dataDir).watch,
  );
  bus.subscribe((name, payload) => {
    if (name !== 'session.changed') return;
    watch.sessionChanged();
    // The cache closed (lock, sign-out, revocation, deletion): work holding its key stops now.
    if ((payload as Session).state !== 'ready') void stopBackgroundWork();
  });
  /** Stops the sync and the anomaly scans (their threads hold the cache key) and waits until they have. */
  const stopBackgroundWork = async () => {
    sync.cancel();
    void scans.stop();
    await sync.whenIdle();
    // Again: a sync that completed as it was cancelled may have queued its scan meanwhile.
    await scans.stop();
  };
  const autoLock = createAutoLock(
    {
      now,
      isUnlocked: () => session.get().state === 'ready',
      lock: (reason) => {
        log(reason);
        session.lock();
        bus.emit('notice', { level: 'info', message: `The cache was ${reason}. Unlock it to continue where you were.` });
      },
      setInterval: (callback, ms) => {
        const handle = setInterval(callback, ms);
        handle.unref?.();
        return { cancel: () => clearInterval(handle) };
      },
    },
    readAppSettings(options.dataDir).autoLockMinutes,
  );

  // Each export reads through its own connection so the UI's queries are not blocked meanwhile.
  const exportHandlers = createExportHandlers({
    openReader: () => {
      const cache = session.cache();
      return cache ? openReader(cache.dir, cache.key) : null;
    },
    writer: () => session.cache()?.db ?? null,
    session: () => {
      const owner = session.cache()?.owner;
      if (!owner) return null;
      return { user_id: owner.userId, username: owner.username, gateway_url: owner.gatewayUrl, canExport: session.get().permissions?.exportAudits ?? true };
    },
    emit: (progress) => bus.emit('export.progress', progress),
    now,
  });

  const handlers: Handlers = {
    'app.info': () => ({ name: APP_NAME, version: APP_VERSION, host: options.host, platform: platform(), dataDir: options.dataDir }),
    'session.get': () => session.get(),
    'session.signIn': ({ gatewayUrl, credentials, caPem }) => session.signIn(gatewayUrl, credentials, caPem),
    'session.useDemoGateway': () => session.useDemoGateway(),
    'session.knownCaches': () => listKnownCaches(options.dataDir),
    'session.openKnownCache': ({ id }) => session.openKnownCache(id),
    'session.createCache': ({ passphrase }) => {
      const result = session.createCache(passphrase);
      // The first sync starts right away: a new cache is empty until it runs.
      if (session.current()?.client) void sync.start();
      return result;
    },
    'session.unlock': ({ passphrase }) => session.unlock(passphrase),
    'session.lock': () => session.lock(),
    'session.signOut': async () => {
      await stopBackgroundWork();
      return session.signOut();
    },
    'session.activity': () => {
      autoLock.activity();
      return { ok: true as const };
    },
    'session.autoLock': ({ minutes }) => {
      if (minutes !== undefined) writeAppSettings(options.dataDir, { autoLockMinutes: autoLock.configure(minutes) });
      return { minutes: autoLock.idleMinutes() };
    },
    'session.deleteCache': async () => {
      // Nothing may hold the files open while they are overwritten.
      await stopBackgroundWork();
      await session.deleteCache();
      return { ok: true as const };
    },
    'sync.start': () => {
      void sync.start();
      return { ok: true as const };
    },
    'sync.cancel': () => {
      sync.cancel();
      return { ok: true as const };
    },
    'sync.status': () => sync.status(),
    'watch.status': () => watch.status(),
    'watch.configure': (input) => {
      const status = watch.configure(input);
      writeAppSettings(options.dataDir, { watch: { enabled: status.enabled, intervalMinutes: status.intervalMinutes } });
      return status;
    },
    ...createQueryHandlers(() => session.query()),
    'query.eventTypes': () => listEventTypes().map((e) => ({ ...e, flags: [...e.flags] })),
    ...createViewHandlers(() => session.cache()?.db ?? null, now),
    ...createFindingHandlers({ reader: () => session.readerDb(), writer: () => session.cache()?.db ?? null, author, now, scan: (full) => scans.run(full) }),
    ...createAnnotationHandlers({
      db: () => session.cache()?.db ?? null,
      author,
      now,
      onProgress: (progress) => bus.emit('annotations.progress', progress),
    }),
    ...pickContractHandlers(exportHandlers),
    ...createHistoryHandlers({ reader: () => session.readerDb() }),
    ...createPackageHandlers(),
  };

  const dispatch = createDispatcher(handlers, (error) => log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  return {
    dispatch,
    bus,
    api: createInProcessApi(dispatch, bus),
    session,
    sync,
    demo: () => demo,
    watch,
    autoLock,
    async close() {
      autoLock.stop();
      watch.stop();
      await stopBackgroundWork();
      await session.close();
      await demo?.close();
    },
  };
}

export type AppCore = Awaited<ReturnType<typeof createAppCore>>;

/** Keeps only the contract's methods of a handler object (drops test helpers such as whenIdle). */
function pickContractHandlers<T extends object>(handlers: T): Omit<T, 'whenIdle'> {
  const { whenIdle: _whenIdle, ...rest } = handlers as T & { whenIdle?: unknown };
  return rest as Omit<T, 'whenIdle'>;
}
