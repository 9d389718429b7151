import { afterEach, describe, expect, it } from 'vitest';
import { cacheLeaseStatus, leaseStatus, readLeaseDays, recordGatewayContact, writeLeaseDays } from '../../../main/core/access/lease';
import { classifyAuthFailure, clearRevocation, markRevoked, revocationOf } from '../../../main/core/access/revocation';
import { listCustody, verifyCustodyChain } from '../../../main/core/custody';
import { GatewayError } from '../../../main/core/gateway/types';
import { createTestCache, tempDir } from '../cache/fixtures';

const DAY = 86_400;
const T0 = 1_764_000_000;

describe('offline lease', () => {
  it('is open for leaseDays after the last contact, then expires', () => {
    expect(leaseStatus({ lastContactAt: T0, now: T0 + DAY / 2 })).toEqual({ ok: true, daysLeft: 29, expiresAt: T0 + 30 * DAY });
    expect(leaseStatus({ lastContactAt: T0, now: T0 + 30 * DAY - 1 }).ok).toBe(true);
    expect(leaseStatus({ lastContactAt: T0, now: T0 + 30 * DAY })).toEqual({ ok: false, daysLeft: 0, expiresAt: T0 + 30 * DAY });
    expect(leaseStatus({ lastContactAt: T0, now: T0 + 8 * DAY, leaseDays: 7 }).ok).toBe(false);
    expect(leaseStatus({ lastContactAt: null, now: T0 })).toEqual({ ok: false, daysLeft: 0, expiresAt: null });
  });

  it('reads its length and last contact from the cache', () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    try {
      expect(readLeaseDays(cache.db)).toBe(30);
      expect(cacheLeaseStatus(cache.db, T0).ok).toBe(false); // never in contact
      recordGatewayContact(cache.db, T0);
      writeLeaseDays(cache.db, 3);
      expect(cacheLeaseStatus(cache.db, T0 + 2 * DAY)).toMatchObject({ ok: true, daysLeft: 1 });
      expect(cacheLeaseStatus(cache.db, T0 + 3 * DAY).ok).toBe(false);
      expect(() => writeLeaseDays(cache.db, 0)).toThrow(/between 1 and 3650/);
    } finally {
      cache.close();
      t.cleanup();
    }
  });
});

describe('revocation', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  it('locks the cache with reason, status and date, logs it, and can be lifted after a new sign-in', () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cache = createTestCache(t.dir);
    try {
      expect(revocationOf(cache.db)).toBeNull();
      markRevoked(cache.db, { reason: 'iam:GetAudit was revoked', at: T0, status: 403 });
      expect(revocationOf(cache.db)).toEqual({ reason: 'iam:GetAudit was revoked', at: T0, status: 403 });
      const entries = listCustody(cache.db, { actions: ['access-revoked'] });
      expect(entries).toHaveLength(1);
      expect(entries[0]!.details).toEqual({ reason: 'iam:GetAudit was revoked', status: 403 });
      expect(clearRevocation(cache.db, T0 + 10, 'auditor')).toBe(true);
      expect(revocationOf(cache.db)).toBeNull();
      expect(verifyCustodyChain(cache.db).ok).toBe(true);
    } finally {
      cache.close();
    }
  });

  it('treats a damaged lock record as still locked', () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cache = createTestCache(t.dir);
    try {
      cache.db.prepare("INSERT INTO meta (key, value) VALUES ('access_revoked', '{not json')").run();
      expect(revocationOf(cache.db)).not.toBeNull();
    } finally {
      cache.close();
    }
  });

  it('classifies gateway refusals', () => {
    expect(classifyAuthFailure(new GatewayError('forbidden', 'no', 403), { duringSignIn: false })).toBe('revoked');
    expect(classifyAuthFailure(new GatewayError('unauthorized', 'no', 401), { duringSignIn: true })).toBe('deleted');
    expect(classifyAuthFailure(new GatewayError('unauthorized', 'no', 401), { duringSignIn: false })).toBe('expired');
    expect(classifyAuthFailure(new GatewayError('unauthorized', 'no'), { duringSignIn: true })).toBe('deleted');
    expect(classifyAuthFailure(new GatewayError('server', 'boom', 503), { duringSignIn: true })).toBeNull();
    expect(classifyAuthFailure(new Error('x'), { duringSignIn: true })).toBeNull();
  });
});
