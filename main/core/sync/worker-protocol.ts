import type { GatewayClientOptions } from '../gateway/types';
import type { SyncProgress } from './progress';
import type { SyncResult } from './sync-cache';
import type { VerifySourceReport } from './verify-source';

/** What the sync worker is started with (structured-clone safe: no functions). */
export interface SyncWorkerInput {
  cacheDir: string;
  /** Raw cache key; the worker opens the cache's single writer connection with it. */
  key: Uint8Array;
  gateway: Pick<GatewayClientOptions, 'baseUrl' | 'credentials' | 'caPem' | 'timeoutMs' | 'maxRetries'>;
  windowSeconds?: number;
  pageSize?: number;
  /** After a complete sync, also run the source-drift check. */
  verifySource?: 'sample' | 'full';
}

export type SyncWorkerMessage =
  | { type: 'progress'; progress: SyncProgress }
  | { type: 'done'; result: SyncResult; drift?: VerifySourceReport }
  | { type: 'error'; message: string; kind?: string };

export type SyncWorkerCommand = { type: 'cancel' };
