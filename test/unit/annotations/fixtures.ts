import type Database from 'better-sqlite3-multiple-ciphers';
import { createTestCache, entry } from '../../helpers/temp-cache';

export const T0 = 1_764_061_200; // 2025-11-25T09:00:00Z

/** A fixed clock that moves one second per reading, so versions get distinct, predictable times. */
export function tickingClock(start = 1_765_000_000): () => number {
  let t = start - 1;
  return () => ++t;
}

/**
 * A small review cache: `count` records r-0001… one minute apart, alternating operators (jdoe /
 * asmith) and event types (UpdateRoute / DeleteRoute).
 */
export function reviewCache(count = 20) {
  const entries = Array.from({ length: count }, (_, i) =>
    entry({
      id: `r-${String(i + 1).padStart(4, '0')}`,
      event_time: T0 + i * 60,
      event_type: i % 2 === 0 ? 'UpdateRoute' : 'DeleteRoute',
      operator: i % 2 === 0 ? { id: 'u-1', username: 'jdoe', email: 'jdoe@example.com' } : { id: 'u-2', username: 'asmith', email: 'asmith@example.com' },
    }),
  );
  return createTestCache(entries);
}

/** Adds a finding over the given record ids (findings are derived data the scanner normally writes). */
export function addFinding(db: Database.Database, id: string, recordIds: string[], options: { suppressed?: boolean } = {}): void {
  const seqs = recordIds.map((rid) => db.prepare('SELECT seq FROM records WHERE id = ?').pluck().get(rid) as number);
  db.prepare(
    `INSERT INTO findings (id, rule, severity, operator_id, operator, first_event_time, last_event_time, explanation, evidence, record_count, suppressed, detected_at)
     VALUES (?, 'mass_delete', 'high', 'u-2', 'asmith', ?, ?, 'test finding', '{}', ?, ?, ?)`,
  ).run(id, T0, T0 + 3600, seqs.length, options.suppressed ? 1 : 0, T0 + 7200);
  for (const seq of seqs) db.prepare('INSERT INTO finding_records (finding_id, record_seq) VALUES (?, ?)').run(id, seq);
}

/**
 * Rebuilds what annotation_state must hold from the history alone (the latest version of each
 * annotation, unless it is a tombstone) and returns both, sorted, for comparison.
 */
export function stateVersusHistory(db: Database.Database) {
  const derived = db
    .prepare(
      `SELECT a.annotation_id, a.target_kind, a.target_id, a.kind, a.value, a.author, a.created_at AS updated_at, a.version_id
         FROM annotations a
        WHERE a.version_id = (SELECT max(b.version_id) FROM annotations b WHERE b.annotation_id = a.annotation_id) AND a.deleted = 0
        ORDER BY a.annotation_id`,
    )
    .all();
  const stored = db
    .prepare('SELECT annotation_id, target_kind, target_id, kind, value, author, updated_at, version_id FROM annotation_state ORDER BY annotation_id')
    .all();
  return { derived, stored };
}
