import type Database from 'better-sqlite3-multiple-ciphers';
import { entry } from '../../helpers/temp-cache';
import type { AuditEntry } from '../../../main/core/records/entry';

/**
 * 40 records over 40 hours; inserted out of time order so the export's event_time ordering is
 * really tested. Operators alternate jdoe / asmith; every 4th record is a DeleteRoute.
 */
export function sampleEntries(): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < 40; i++) {
    const jdoe = i % 2 === 0;
    out.push(
      entry({
        id: `rec-${String(i).padStart(3, '0')}`,
        event_time: 1_764_000_000 + ((i * 7) % 40) * 3600,
        event_type: i % 4 === 0 ? 'DeleteRoute' : 'UpdateRoute',
        operator: jdoe ? { id: 'u-1', username: 'jdoe', email: 'jdoe@example.com' } : { id: 'u-2', username: 'asmith', email: 'asmith@example.com' },
        ip_address: jdoe ? '203.0.113.24' : '198.51.100.7',
      }),
    );
  }
  return out;
}

/** Two findings (one suppressed) and annotations with history, as the anomaly and annotation features store them. */
export function seedReview(db: Database.Database): void {
  const seqOf = (id: string) => (db.prepare('SELECT seq FROM records WHERE id = ?').pluck().get(id) as number);
  db.prepare(
    "INSERT INTO suppressions (id, rule, match, reason, author, created_at) VALUES ('sup-1', 'off_hours', '{\"operator_id\":\"u-2\"}', 'on-call rota', 'lead', 1764000000)",
  ).run();
  const addFinding = db.prepare(
    `INSERT INTO findings (id, rule, severity, operator_id, operator, first_event_time, last_event_time, explanation, evidence, record_count, suppressed, suppression_id, detected_at)
     VALUES (?, ?, ?, ?, ?, 0, 0, ?, '{"window":600}', ?, ?, ?, 1764100000)`,
  );
  const link = db.prepare('INSERT INTO finding_records (finding_id, record_seq) VALUES (?, ?)');
  addFinding.run('f-delete-burst', 'delete_burst', 'high', 'u-1', 'jdoe', 'many deletes', 2, 0, null);
  link.run('f-delete-burst', seqOf('rec-000'));
  link.run('f-delete-burst', seqOf('rec-004'));
  addFinding.run('f-off-hours', 'off_hours', 'low', 'u-2', 'asmith', 'late change', 1, 1, 'sup-1');
  link.run('f-off-hours', seqOf('rec-001'));

  const note = db.prepare(
    'INSERT INTO annotations (annotation_id, target_kind, target_id, kind, value, author, created_at, prev_version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  note.run('a-1', 'record', 'rec-000', 'comment', 'checked with jdoe', 'auditor', 1764100000, null, 0);
  note.run('a-1', 'record', 'rec-000', 'comment', 'checked with jdoe; ticket 42', 'auditor', 1764100100, 1, 0);
  note.run('a-2', 'record', 'rec-001', 'tag', 'follow-up', 'auditor', 1764100200, null, 0);
  note.run('a-3', 'finding', 'f-delete-burst', 'status', 'confirmed', 'auditor', 1764100300, null, 0);
}
