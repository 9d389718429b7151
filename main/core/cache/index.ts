// The encrypted read-only cache: open/create, insert, read, check, purge.
export { openCache, openReader, cacheDbPath, type Cache, type CacheOwner, type OpenCacheOptions } from './cache';
export { CacheError, type CacheErrorKind } from './errors';
export { cacheDirFor, normalizeGatewayUrl, DB_FILE, KEYS_FILE } from './paths';
export {
  createCacheKey,
  unlockWithPassphrase,
  unlockWithWrapper,
  addKeyWrapper,
  removeKeyWrapper,
  changePassphrase,
  hasKeyFile,
  DEFAULT_SCRYPT,
  type KeyWrapper,
  type ScryptParams,
} from './keys';
export { insertEntries, type InsertResult, type InsertOptions } from './insert';
export { readSyncCursor, type SyncCursor, type CursorUpdate } from './sync-state';
export { readChainHead, type ChainHead } from './chain-state';
export { checkCache, checkOpenDb, verifyChain, type CheckResult, type BrokenRecord } from './check';
export { purgeOlderThan, type PurgeResult } from './purge';
export { getMeta, setMeta, accessRevoked, markAccessRevoked, type AccessRevoked } from './meta';
export { migrate, schemaVersion, LATEST_SCHEMA_VERSION } from './migrate';
export { WARNING_SECRET_MASKED } from './record-row';
