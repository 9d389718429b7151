import type Database from 'better-sqlite3-multiple-ciphers';
import { getMeta, setMeta } from '../cache/meta';
import { readSyncCursor } from '../cache/sync-state';

/**
 * The offline lease: a cache may be opened without the gateway for a limited time after the last
 * successful contact, so a laptop that never reconnects (stolen, or kept by someone whose access
 * ended) stops showing records on its own. After that, the user must sign in again.
 */
export const DEFAULT_LEASE_DAYS = 30;
export const LEASE_DAYS_META = 'offline_lease_days';
const DAY_SECONDS = 86_400;

export interface LeaseInput {
  /** Unix seconds of the last successful contact with the gateway; null when there never was one. */
  lastContactAt: number | null;
  /** Unix seconds. */
  now: number;
  leaseDays?: number;
}

export interface LeaseStatus {
  ok: boolean;
  /** Whole days left, rounded down; 0 once expired (never negative). */
  daysLeft: number;
  /** Unix seconds when the lease ends; null when there was never a contact. */
  expiresAt: number | null;
}

export function leaseStatus(input: LeaseInput): LeaseStatus {
  const leaseDays = input.leaseDays ?? DEFAULT_LEASE_DAYS;
  if (input.lastContactAt === null) return { ok: false, daysLeft: 0, expiresAt: null };
  const expiresAt = input.lastContactAt + leaseDays * DAY_SECONDS;
  const remaining = expiresAt - input.now;
  return { ok: remaining > 0, daysLeft: remaining > 0 ? Math.floor(remaining / DAY_SECONDS) : 0, expiresAt };
}

/** The cache's lease length in days (meta 'offline_lease_days'), or the default. */
export function readLeaseDays(db: Database.Database): number {
  const stored = Number(getMeta(db, LEASE_DAYS_META));
  return Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_LEASE_DAYS;
}

export function writeLeaseDays(db: Database.Database, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new RangeError('the offline lease must be a whole number of days between 1 and 3650');
  setMeta(db, LEASE_DAYS_META, String(days));
}

export const LAST_CONTACT_META = 'last_contact_at';

/** Call after every successful sign-in or sync: it starts the lease over. */
export function recordGatewayContact(db: Database.Database, at: number): void {
  setMeta(db, LAST_CONTACT_META, String(at));
}

/**
 * Unix seconds of the last successful contact; falls back to the last completed sync for caches
 * written before contacts were recorded.
 */
export function lastGatewayContact(db: Database.Database): number | null {
  const candidates = [Number(getMeta(db, LAST_CONTACT_META)), readSyncCursor(db).lastSyncCompletedAt ?? 0].filter((n) => Number.isFinite(n) && n > 0);
  return candidates.length > 0 ? Math.max(...candidates) : null;
}

/** The lease of an open cache, from what it records. */
export function cacheLeaseStatus(db: Database.Database, now: number): LeaseStatus {
  return leaseStatus({ lastContactAt: lastGatewayContact(db), now, leaseDays: readLeaseDays(db) });
}
