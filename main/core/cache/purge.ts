import type { Cache } from './cache';
import { readChainHead } from './chain-state';
import { subtractFromSummaries } from './summaries';

export interface PurgeResult {
  purgeId: number | null;
  removed: number;
  minEventTime: number | null;
  maxEventTime: number | null;
  /** chain_hash of the last removed record (by seq); null when nothing was removed. */
  checkpointHash: string | null;
}

/**
 * The records a purge removes, in insertion order. `+seq` keeps SQLite from walking the whole table
 * in seq order to skip a sort: it finds them through the event_time index and sorts the few it
 * found (1M records, nothing to purge — the usual case after each sync: 5.3 s → 2 ms).
 */
export const DOOMED_SQL = 'SELECT seq, chain_hash AS chainHash FROM records WHERE event_time < ? ORDER BY +seq';

/**
 * The retention purge — the only path that deletes audit records. It removes records with
 * event_time < cutoff, records what it removed in `purges`, and for every hole it leaves in the
 * insertion order writes a `purge_gaps` checkpoint (the chain_hash the chain resumes from), so
 * `check` can still verify the remaining chain end to end. All of it is one transaction.
 */
export function purgeOlderThan(cache: Pick<Cache, 'db'>, cutoff: number, reason: string, now = Math.floor(Date.now() / 1000)): PurgeResult {
  const db = cache.db;
  return db.transaction((): PurgeResult => {
    const doomed = db.prepare(DOOMED_SQL).all(cutoff) as Array<{ seq: number; chainHash: string }>;
    if (doomed.length === 0) return { purgeId: null, removed: 0, minEventTime: null, maxEventTime: null, checkpointHash: null };
    const span = db.prepare('SELECT min(event_time) AS minT, max(event_time) AS maxT FROM records WHERE event_time < ?').get(cutoff) as { minT: number; maxT: number };
    const last = doomed[doomed.length - 1]!;
    const purgeId = Number(
      db
        .prepare('INSERT INTO purges (purged_at, cutoff, reason, removed, min_seq, max_seq, min_event_time, max_event_time, checkpoint_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(now, cutoff, reason, doomed.length, doomed[0]!.seq, last.seq, span.minT, span.maxT, last.chainHash).lastInsertRowid,
    );

    subtractFromSummaries(db, cutoff);
    db.prepare('INSERT INTO purge_flag (id) VALUES (1)').run();
    db.prepare('DELETE FROM records WHERE event_time < ?').run(cutoff);
    db.prepare('DELETE FROM purge_flag').run();

    // Each hole: the surviving record before it (or 0) and the hash the chain resumes from — the
    // next survivor's prev_hash, or the chain head when nothing survives after the hole.
    const survivorBefore = db.prepare('SELECT max(seq) AS seq FROM records WHERE seq < ?').pluck();
    const survivorAfter = db.prepare('SELECT seq, prev_hash AS prevHash FROM records WHERE seq > ? ORDER BY seq LIMIT 1');
    const saveGap = db.prepare('INSERT INTO purge_gaps (after_seq, resumes_from, purge_id) VALUES (?, ?, ?) ON CONFLICT (after_seq) DO UPDATE SET resumes_from = excluded.resumes_from, purge_id = excluded.purge_id');
    const head = readChainHead(db).head;
    let i = 0;
    while (i < doomed.length) {
      const start = doomed[i]!.seq;
      const before = (survivorBefore.get(start) as number | null) ?? 0;
      const after = survivorAfter.get(start) as { seq: number; prevHash: string } | undefined;
      saveGap.run(before, after ? after.prevHash : head, purgeId);
      if (!after) break;
      while (i < doomed.length && doomed[i]!.seq < after.seq) i++;
    }
    // Gaps whose surviving anchor was itself purged now belong to an earlier survivor.
    db.prepare('DELETE FROM purge_gaps WHERE after_seq <> 0 AND after_seq NOT IN (SELECT seq FROM records)').run();
    return { purgeId, removed: doomed.length, minEventTime: span.minT, maxEventTime: span.maxT, checkpointHash: last.chainHash };
  }).immediate();
}
