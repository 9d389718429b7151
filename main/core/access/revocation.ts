import type Database from 'better-sqlite3-multiple-ciphers';
import { getMeta, setMeta } from '../cache/meta';
import { appendCustody } from '../custody/custody-log';
import { GatewayError } from '../gateway/types';

/**
 * Revocation: when the gateway says the account is gone (401 on a fresh sign-in) or lost its audit
 * permission (403), the cache is locked with the reason and date. A locked cache shows no records;
 * the user can only sign in again (which clears the lock when the gateway agrees) or delete it.
 * Stored in meta 'access_revoked' — the same key sync already writes on a 403 — plus a custody entry.
 */
export const REVOKED_META = 'access_revoked';

export interface Revocation {
  reason: string;
  /** Unix seconds. */
  at: number;
  /** The gateway's answer; absent in records written before the status was kept. */
  status?: 401 | 403;
}

export function markRevoked(db: Database.Database, revocation: { reason: string; at: number; status: 401 | 403 }, actor = 'system'): Revocation {
  const stored: Revocation = { reason: revocation.reason, at: revocation.at, status: revocation.status };
  db.transaction(() => {
    setMeta(db, REVOKED_META, JSON.stringify(stored));
    appendCustody(db, { actor, action: 'access-revoked', details: { reason: stored.reason, status: stored.status }, at: stored.at });
  }).immediate();
  return stored;
}

/** The lock, or null when the cache may be opened. An unreadable value counts as locked. */
export function revocationOf(db: Database.Database): Revocation | null {
  const value = getMeta(db, REVOKED_META);
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(value) as Partial<Revocation>;
    if (typeof parsed.reason === 'string' && typeof parsed.at === 'number') {
      return { reason: parsed.reason, at: parsed.at, ...(parsed.status === 401 || parsed.status === 403 ? { status: parsed.status } : {}) };
    }
  } catch {
    // fall through: a damaged lock must not unlock the cache
  }
  return { reason: 'access was revoked (the record of why is unreadable)', at: 0 };
}

/** After the gateway accepted a new sign-in with the audit permission: lift the lock, say so. */
export function clearRevocation(db: Database.Database, at: number, actor: string): boolean {
  if (getMeta(db, REVOKED_META) === undefined) return false;
  db.transaction(() => {
    db.prepare('DELETE FROM meta WHERE key = ?').run(REVOKED_META);
    appendCustody(db, { actor, action: 'access-restored', details: {}, at });
  }).immediate();
  return true;
}

export type AuthFailure = 'deleted' | 'revoked' | 'expired';

/**
 * What a gateway refusal means for the cache:
 * - 403 → 'revoked': the account exists but lost the permission; lock the cache.
 * - 401 while signing in afresh (the credentials themselves were sent) → 'deleted': the account
 *   is gone or its credentials were withdrawn; lock the cache.
 * - 401 on a call with an existing session/token → 'expired': sign in again, no lock yet.
 * Anything else (network, 5xx, ...) is not an access decision: null.
 */
export function classifyAuthFailure(error: unknown, context: { duringSignIn: boolean }): AuthFailure | null {
  if (!(error instanceof GatewayError)) return null;
  const status = error.status ?? (error.kind === 'forbidden' ? 403 : error.kind === 'unauthorized' ? 401 : undefined);
  if (status === 403) return 'revoked';
  if (status === 401) return context.duringSignIn ? 'deleted' : 'expired';
  return null;
}
