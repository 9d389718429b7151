import type Database from 'better-sqlite3-multiple-ciphers';
import { appendCustody } from '../custody/custody-log';
import { deleteMeta, getMeta, setMeta } from './meta';
import { purgeOlderThan, type PurgeResult } from './purge';

/**
 * Retention: records older than the retention period leave the cache through the one allowed
 * deletion path (purgeOlderThan), and every purge is written to the custody log with what went
 * (count, time range, chain checkpoint). A legal hold, recorded with who and why, pauses purging.
 */
export const DEFAULT_RETENTION_DAYS = 180;
export const RETENTION_DAYS_META = 'retention_days';
export const LEGAL_HOLD_META = 'legal_hold';
const DAY_SECONDS = 86_400;

export interface LegalHold {
  reason: string;
  by: string;
  /** Unix seconds. */
  at: number;
}

export type RetentionOutcome =
  | { status: 'held'; hold: LegalHold; cutoff: number }
  | { status: 'purged'; cutoff: number; purge: PurgeResult };

export function readRetentionDays(db: Database.Database): number {
  const stored = Number(getMeta(db, RETENTION_DAYS_META));
  return Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_RETENTION_DAYS;
}

export function writeRetentionDays(db: Database.Database, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new RangeError('the retention period must be a whole number of days between 1 and 36500');
  setMeta(db, RETENTION_DAYS_META, String(days));
}

export function legalHoldOf(db: Database.Database): LegalHold | null {
  const value = getMeta(db, LEGAL_HOLD_META);
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(value) as Partial<LegalHold>;
    if (typeof parsed.reason === 'string' && typeof parsed.by === 'string' && typeof parsed.at === 'number') return parsed as LegalHold;
  } catch {
    // fall through: an unreadable hold still holds — purging is the irreversible choice
  }
  return { reason: 'legal hold (its record is unreadable)', by: 'unknown', at: 0 };
}

export function setLegalHold(db: Database.Database, hold: LegalHold): void {
  if (hold.reason.trim() === '') throw new RangeError('a legal hold needs a reason');
  db.transaction(() => {
    setMeta(db, LEGAL_HOLD_META, JSON.stringify({ reason: hold.reason, by: hold.by, at: hold.at }));
    appendCustody(db, { actor: hold.by, action: 'legal-hold-set', details: { reason: hold.reason }, at: hold.at });
  }).immediate();
}

/** Lifts the hold; false when there was none (nothing logged). */
export function releaseLegalHold(db: Database.Database, release: { by: string; at: number; reason: string }): boolean {
  const previous = legalHoldOf(db);
  if (!previous) return false;
  db.transaction(() => {
    deleteMeta(db, LEGAL_HOLD_META);
    appendCustody(db, { actor: release.by, action: 'legal-hold-released', details: { reason: release.reason, hold_reason: previous.reason, held_since: previous.at }, at: release.at });
  }).immediate();
  return true;
}

/**
 * Purges records with event_time before now − retentionDays (default: the cache's setting, else
 * 180), unless a legal hold is set. Run after each sync. The purge and its custody entry are one
 * transaction, so a purge is never unlogged.
 */
export function applyRetention(db: Database.Database, options: { now: number; retentionDays?: number; actor: string }): RetentionOutcome {
  const days = options.retentionDays ?? readRetentionDays(db);
  const cutoff = options.now - days * DAY_SECONDS;
  const hold = legalHoldOf(db);
  if (hold) return { status: 'held', hold, cutoff };
  const purge = db.transaction((): PurgeResult => {
    const result = purgeOlderThan({ db }, cutoff, `retention ${days} days`, options.now);
    if (result.removed > 0) {
      appendCustody(db, {
        actor: options.actor,
        action: 'purge',
        details: {
          removed: result.removed,
          retention_days: days,
          cutoff,
          min_event_time: result.minEventTime,
          max_event_time: result.maxEventTime,
          checkpoint_hash: result.checkpointHash,
          purge_id: result.purgeId,
        },
        at: options.now,
      });
    }
    return result;
  }).immediate();
  return { status: 'purged', cutoff, purge };
}
