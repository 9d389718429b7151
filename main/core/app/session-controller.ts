import { rmSync } from 'node:fs';
import type { Session } from '../../../preload/contract';
import { openCache, openReader, type Cache } from '../cache/cache';
import { CacheError } from '../cache/errors';
import { addKeyWrapper, hasKeyFile, unlockWithWrapper, type KeyWrapper } from '../cache/keys';
import { cacheDirFor } from '../cache/paths';
import { getMeta, setMeta } from '../cache/meta';
import { appendCustody } from '../custody';
import { cacheLeaseStatus, recordGatewayContact } from '../access/lease';
import { markRevoked, revocationOf } from '../access/revocation';
import { deleteCacheSecurely } from '../access/secure-delete';
import { storedRecordCount } from '../cache/summaries';
import { throttledUnlock, UnlockThrottledError } from '../cache/unlock-throttle';
import { recoverInterruptedRekey } from '../cache/rekey';
import type { Credentials, GatewayClient, GatewayClientOptions, GatewayUser } from '../gateway/types';
import { startQueryThreads, type AsyncQueryService, type QueryThreads } from '../query/query-threads';
import { AppError } from './errors';
import { cachesRoot, readOwnerFile, writeOwnerFile } from './known-caches';
import { join } from 'node:path';

/**
 * The session: which gateway and account, which cache, whether it is open. It owns the cache's
 * writer connection and the query service's reader, and is the only place that opens or closes them.
 */
export interface SessionDeps {
  dataDir: string;
  keyWrapper: KeyWrapper | null;
  createClient(options: GatewayClientOptions): GatewayClient;
  /** Starts (once) the embedded demo gateway and returns where and how to sign in. */
  startDemoGateway(): Promise<{ url: string; username: string; password: string }>;
  now(): number;
  onChange(session: Session): void;
}

interface Current {
  gatewayUrl: string;
  user: { id: string; username: string; email: string };
  permissions: { getAudit: boolean; exportAudits: boolean } | null;
  cacheDir: string;
  isDemo: boolean;
  client: GatewayClient | null;
}

const lockedError = () => new AppError('locked', 'The cache is locked. Unlock it to see records.');

export function createSessionController(deps: SessionDeps) {
  let current: Current | null = null;
  let cache: Cache | null = null;
  let reader: { db: ReturnType<typeof openReader>; query: QueryThreads } | null = null;
  /** The query threads of the cache closed last, until they have let go of its files. */
  let queriesClosing: Promise<void> = Promise.resolve();
  let revokedReason: string | null = null;
  let leaseDaysLeft: number | null = null;

  const snapshot = (): Session => {
    const owner = current ? readOwnerFile(current.cacheDir) : null;
    let state: Session['state'] = 'signed-out';
    if (current) {
      if (revokedReason) state = 'revoked';
      else if (cache) state = 'ready';
      else state = hasKeyFile(current.cacheDir) ? 'locked' : 'needs-passphrase';
    }
    let recordCount: number | null = null;
    if (reader) recordCount = storedRecordCount(reader.db);
    return {
      state,
      online: current?.client !== null && current?.client !== undefined,
      gatewayUrl: current?.gatewayUrl ?? null,
      user: current?.user ?? null,
      permissions: current?.permissions ?? null,
      isDemo: current?.isDemo ?? false,
      lastSyncedAt: owner?.lastSyncedAt ?? null,
      recordCount,
      revokedReason,
      leaseDaysLeft: cache && !current?.client ? leaseDaysLeft : null,
    };
  };
  const changed = (): Session => {
    const session = snapshot();
    deps.onChange(session);
    return session;
  };

  const closeCache = () => {
    reader?.db.close();
    if (reader) queriesClosing = reader.query.close();
    reader = null;
    cache?.close();
    cache = null;
  };

  /** `queryThreads`: started before the key was known (see unlock); else they start here. */
  const opened = (next: Cache, how: 'created' | 'passphrase' | 'keychain', queryThreads?: QueryThreads) => {
    cache = next;
    appendCustody(next.db, {
      actor: current?.user.username ?? next.owner.username,
      action: current?.client ? 'sign-in' : 'unlock',
      details: { gateway_url: next.owner.gatewayUrl, online: current?.client != null, key_source: how },
      at: deps.now(),
    });
    // What the gateway allowed at the last contact is kept inside the encrypted cache (owner.json is
    // plaintext and could be edited); offline, exports follow this record.
    if (current?.client && current.permissions) {
      setMeta(next.db, 'permissions', JSON.stringify(current.permissions));
      recordGatewayContact(next.db, deps.now());
    } else if (current) {
      const recorded = getMeta(next.db, 'permissions');
      current.permissions = recorded ? (JSON.parse(recorded) as { getAudit: boolean; exportAudits: boolean }) : null;
    }
    // Offline, the gateway's decisions still hold: a revoked cache stays closed, and a cache not
    // re-confirmed with the gateway within the lease asks for a sign-in before showing records.
    const revoked = revocationOf(next.db);
    if (revoked && !current?.client) {
      next.close();
      cache = null;
      revokedReason = `${revoked.reason} (${new Date(revoked.at * 1000).toISOString()})`;
      return;
    }
    if (!current?.client) {
      const lease = cacheLeaseStatus(next.db, deps.now());
      if (!lease.ok) {
        next.close();
        cache = null;
        throw new AppError('lease_expired', 'This cache was last confirmed with the gateway too long ago to open offline. Sign in to the gateway to continue.');
      }
      leaseDaysLeft = lease.daysLeft;
    } else {
      leaseDaysLeft = null;
    }
    const db = openReader(next.dir, next.key);
    // The workspace's reads run on their own threads (query-threads.ts); this connection serves
    // the small reads (session counts, findings, history) on this thread.
    const query = queryThreads ?? startQueryThreads({ now: deps.now, closedError: lockedError });
    query.open({ cacheDir: next.dir, key: next.key });
    reader = { db, query };
  };

  const signInWith = async (gatewayUrl: string, credentials: Credentials, isDemo: boolean, caPem?: string) => {
    const client = deps.createClient({ baseUrl: gatewayUrl, credentials, caPem });
    const user: GatewayUser = await client.signIn();
    if (!user.permissions.getAudit) {
      await client.signOut().catch(() => undefined);
      throw new AppError('forbidden', 'This account may not read audit logs — ask for the iam:GetAudit permission.');
    }
    closeCache();
    revokedReason = null;
    const cacheDir = cacheDirFor(deps.dataDir, gatewayUrl, user.id);
    current = {
      gatewayUrl,
      user: { id: user.id, username: user.username, email: user.email },
      permissions: user.permissions,
      cacheDir,
      isDemo,
      client,
    };
    const owner = readOwnerFile(cacheDir);
    writeOwnerFile(cacheDir, {
      gatewayUrl,
      userId: user.id,
      username: user.username,
      lastSyncedAt: owner?.lastSyncedAt ?? null,
      permissions: user.permissions,
      lastContactAt: deps.now(),
    });
    // Where the OS keychain wraps the key, a known cache opens without asking for the passphrase.
    if (deps.keyWrapper && hasKeyFile(cacheDir)) {
      const key = unlockWithWrapper(cacheDir, deps.keyWrapper);
      if (key) opened(openCache(cacheDir, { key }), 'keychain');
    }
    return changed();
  };

  return {
    get: snapshot,
    current: () => current,
    cache: () => cache,
    readerDb: () => reader?.db ?? null,
    query(): AsyncQueryService {
      if (!reader) throw lockedError();
      return reader.query;
    },

    signIn: (gatewayUrl: string, credentials: Credentials, caPem?: string) => signInWith(gatewayUrl, credentials, false, caPem),

    async useDemoGateway() {
      const demo = await deps.startDemoGateway();
      return signInWith(demo.url, { kind: 'password', username: demo.username, password: demo.password }, true);
    },

    openKnownCache(id: string) {
      const cacheDir = join(cachesRoot(deps.dataDir), id);
      const owner = readOwnerFile(cacheDir);
      if (!owner || !/^[A-Za-z0-9_-]+$/.test(id)) throw new AppError('not_found', 'That cache no longer exists on this machine.');
      closeCache();
      revokedReason = null;
      current = {
        gatewayUrl: owner.gatewayUrl,
        user: { id: owner.userId, username: owner.username, email: '' },
        // Filled from the encrypted cache once it is unlocked (see opened()).
        permissions: null,
        cacheDir,
        isDemo: false,
        client: null,
      };
      return changed();
    },

    createCache(passphrase: string) {
      if (!current) throw new AppError('signed_out', 'Sign in first.');
      if (hasKeyFile(current.cacheDir)) throw new AppError('exists', 'A cache already exists for this account; unlock it instead.');
      const next = openCache(current.cacheDir, {
        passphrase,
        create: { gatewayUrl: current.gatewayUrl, userId: current.user.id, username: current.user.username },
      });
      if (deps.keyWrapper) addKeyWrapper(current.cacheDir, next.key, deps.keyWrapper);
      opened(next, 'created');
      return changed();
    },

    async unlock(passphrase: string) {
      if (!current) throw new AppError('signed_out', 'Sign in first.');
      // Started now, the query threads load on their own thread while this one derives the key (scrypt).
      const queryThreads = startQueryThreads({ now: deps.now, closedError: lockedError });
      try {
        recoverInterruptedRekey(current.cacheDir, passphrase);
        // Each wrong passphrase makes the next attempt wait longer (1, 2, 4 … 60 s); nothing about the key is revealed.
        const key = await throttledUnlock(current.cacheDir, passphrase, { now: deps.now });
        opened(openCache(current.cacheDir, { key }), 'passphrase', queryThreads);
      } catch (error) {
        if (error instanceof UnlockThrottledError) throw new AppError('throttled', error.message);
        if (error instanceof CacheError && error.kind === 'wrong_passphrase') {
          throw new AppError('wrong_passphrase', 'That passphrase does not unlock this cache. Try again.');
        }
        throw error;
      } finally {
        // Not opened (wrong passphrase, revoked, lease over): nothing will read through them.
        if (reader?.query !== queryThreads) void queryThreads.close();
      }
      return changed();
    },

    lock() {
      closeCache();
      return changed();
    },

    async signOut() {
      closeCache();
      await current?.client?.signOut().catch(() => undefined);
      current = null;
      revokedReason = null;
      return changed();
    },

    /** The gateway said this account may no longer read: record it in the cache, close everything, say why. */
    revoke(reason: string, status: 401 | 403 = 403) {
      if (cache) markRevoked(cache.db, { reason, at: deps.now(), status }, current?.user.username ?? 'system');
      closeCache();
      revokedReason = reason;
      return changed();
    },

    /** The gateway's current answer on what this account may do (refreshed at each sync). */
    updatePermissions(permissions: { getAudit: boolean; exportAudits: boolean }) {
      if (!current) return;
      current.permissions = permissions;
      if (cache) setMeta(cache.db, 'permissions', JSON.stringify(permissions));
    },

    /** Called after a sync commits: remember when, for the status bar and the offline list. */
    recordSynced(at: number) {
      if (!current) return changed();
      const owner = readOwnerFile(current.cacheDir);
      writeOwnerFile(current.cacheDir, {
        gatewayUrl: current.gatewayUrl,
        userId: current.user.id,
        username: current.user.username,
        lastSyncedAt: at,
        permissions: current.permissions ?? owner?.permissions ?? null,
        lastContactAt: at,
      });
      return changed();
    },

    async deleteCache() {
      if (!current) throw new AppError('signed_out', 'Nothing to delete.');
      closeCache();
      await queriesClosing;
      // Overwrites the database, WAL/SHM and wrapped keys before unlinking them.
      deleteCacheSecurely(current.cacheDir);
      rmSync(current.cacheDir, { recursive: true, force: true });
      return changed();
    },

    async close() {
      closeCache();
      await queriesClosing;
    },
  };
}

export type SessionController = ReturnType<typeof createSessionController>;
