// Incremental sync from the gateway into the cache, and the source-drift check.
export { syncCache, DEFAULT_PAGE_SIZE, type SyncOptions, type SyncResult, type SyncOutcome } from './sync-cache';
export type { SyncProgress } from './progress';
export { inProcessPageSource, PageReaderStopped, type PageSource, type RowPage } from './page-source';
export { startPageReader, type PageReader, type PageReaderOptions } from './page-reader';
export type { PageReaderInput } from './page-reader-protocol';
export { windowsBetween, parseDuration, DEFAULT_HORIZON_SECONDS, DEFAULT_WINDOW_SECONDS, type TimeWindow } from './windows';
export { verifySource, type VerifySourceOptions, type VerifySourceReport, type DriftedRecord } from './verify-source';
export { startSyncWorker, type RunningSync } from './start-sync-worker';
export type { SyncWorkerInput, SyncWorkerMessage } from './worker-protocol';
