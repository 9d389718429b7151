import { cacheDbPath } from '../cache/cache';
import { openEncryptedDb } from '../cache/connection';
import { DEFAULT_SCRYPT, changePassphrase, unlockWithPassphrase, type ScryptParams } from '../cache/keys';
import { recoverInterruptedRekey } from '../cache/rekey';
import { appendCustody } from '../custody/custody-log';

export interface ChangePassphraseOptions {
  /** Unix seconds, for the custody entry. */
  now: () => number;
  actor: string;
  scrypt?: ScryptParams;
}

/**
 * Changes the cache passphrase: the same database key is wrapped again (keys.json only), so this
 * is instant whatever the cache size. The custody log records that it happened, never with what.
 * Other wrappers (safeStorage) keep working: they wrap the same key.
 */
export function changeCachePassphrase(dir: string, oldPassphrase: string, newPassphrase: string, options: ChangePassphraseOptions): void {
  recoverInterruptedRekey(dir, oldPassphrase);
  changePassphrase(dir, oldPassphrase, newPassphrase, options.scrypt ?? DEFAULT_SCRYPT);
  const key = unlockWithPassphrase(dir, newPassphrase);
  const db = openEncryptedDb(cacheDbPath(dir), key, { readonly: false, create: false });
  try {
    appendCustody(db, { actor: options.actor, action: 'passphrase-changed', details: {}, at: options.now() });
  } finally {
    db.close();
  }
}
