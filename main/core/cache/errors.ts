/**
 * Errors from opening, unlocking or checking a cache. `kind` lets the CLI and UI choose what to
 * offer next (ask the passphrase again, suggest `audit-review check`, sign in as the right user).
 */
export type CacheErrorKind =
  | 'not_found' // no cache in the folder yet
  | 'wrong_passphrase' // the passphrase (or another key wrapper) does not unwrap the key
  | 'damaged' // the database or key file cannot be read as what we wrote
  | 'wrong_owner' // the cache belongs to another gateway URL or user
  | 'too_new' // written by a newer version of the app
  | 'read_only'; // a write was attempted on audit records outside the retention purge

export class CacheError extends Error {
  constructor(
    readonly kind: CacheErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CacheError';
  }
}
