import type { SessionReply, SessionRequest } from '../gateway/session-relay';
import type { SharedConnection } from '../gateway/types';
import type { SyncProgress } from './progress';
import type { SyncResult } from './sync-cache';
import type { VerifySourceReport } from './verify-source';

/** What the sync worker is started with (structured-clone safe: no functions). */
export interface SyncWorkerInput {
  cacheDir: string;
  /** Raw cache key; the worker opens the cache's single writer connection with it. */
  key: Uint8Array;
  /** From GatewayClient.shareConnection(): a password sign-in arrives with its session. */
  gateway: SharedConnection;
  windowSeconds?: number;
  pageSize?: number;
  /** Re-read this much before the cursor (see RECOMMENDED_OVERLAP_SECONDS). */
  overlapSeconds?: number;
  /**
   * Added to the thread's clock (Unix seconds): the starter's clock may be injected (tests run the
   * app on a fixed clock), and the sync's "up to now" must be the same instant on both threads.
   */
  clockOffsetSeconds?: number;
  /** Records the run in the chain of custody as this user (the app); the CLI leaves it out. */
  custodyActor?: string;
  /** After a complete sync, also run the source-drift check. */
  verifySource?: 'sample' | 'full';
}

export type SyncWorkerMessage =
  | { type: 'progress'; progress: SyncProgress }
  | { type: 'done'; result: SyncResult; drift?: VerifySourceReport }
  | { type: 'error'; message: string; kind?: string }
  /** The borrowed session expired: the worker asks for the starter's new one. */
  | SessionRequest;

export type SyncWorkerCommand = { type: 'cancel' } | SessionReply;
