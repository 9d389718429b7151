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
  const sync = createSyncRunner({ session, bus, now });

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
      if (session.current()?.client) sync.start();
      return result;
    },
    'session.unlock': ({ passphrase }) => session.unlock(passphrase),
    'session.lock': () => session.lock(),
    'session.signOut': async () => {
      sync.cancel();
      await sync.whenIdle();
      return session.signOut();
    },
    'session.deleteCache': () => {
      session.deleteCache();
      return { ok: true as const };
    },
    'sync.start': () => {
      sync.start();
      return { ok: true as const };
    },
    'sync.cancel': () => {
      sync.cancel();
      return { ok: true as const };
    },
    'sync.status': () => sync.status(),
    ...createQueryHandlers(() => session.query()),
    'query.eventTypes': () => listEventTypes().map((e) => ({ ...e, flags: [...e.flags] })),
    ...createViewHandlers(() => session.cache()?.db ?? null, now),
  };

  const dispatch = createDispatcher(handlers, (error) => log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  return {
    dispatch,
    bus,
    api: createInProcessApi(dispatch, bus),
    session,
    sync,
    demo: () => demo,
    async close() {
      sync.cancel();
      await sync.whenIdle();
      session.close();
      await demo?.close();
    },
  };
}

export type AppCore = Awaited<ReturnType<typeof createAppCore>>;
