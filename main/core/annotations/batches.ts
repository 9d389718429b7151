import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { TargetKind } from './types';

/** A bulk action (or the undo of one) as recorded in annotation_batches (see migration 003). */
export type BatchAction = 'addTag' | 'removeTag' | 'setStatus' | 'undo';

export interface AnnotationBatch {
  id: string;
  action: BatchAction;
  value: string;
  reason: string | null;
  target_kind: TargetKind;
  /** {filter} or {ids: n} for a bulk action, {undoes: id} for an undo. */
  scope: unknown;
  author: string;
  created_at: number;
  total: number;
  /** Bulk: targets changed. Undo: versions restored. */
  affected: number;
  finished_at: number | null;
  cancelled: boolean;
  undoes: string | null;
  /** The undo batch that reversed this one, if any. */
  undone_by: string | null;
}

export interface NewBatch {
  action: BatchAction;
  value: string;
  reason: string | null;
  targetKind: TargetKind;
  scope: unknown;
  author: string;
  at: number;
  total: number;
  undoes?: string;
}

export function createBatch(db: Database.Database, batch: NewBatch): string {
  const id = randomUUID();
  db.prepare(
    `INSERT INTO annotation_batches (id, action, value, reason, target_kind, scope, author, created_at, total, undoes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, batch.action, batch.value, batch.reason, batch.targetKind, JSON.stringify(batch.scope), batch.author, batch.at, batch.total, batch.undoes ?? null);
  return id;
}

/** Called inside each chunk's transaction, so the count always matches the versions committed. */
export function countAffected(db: Database.Database, batchId: string, delta: number): void {
  if (delta > 0) db.prepare('UPDATE annotation_batches SET affected = affected + ? WHERE id = ?').run(delta, batchId);
}

export function finishBatch(db: Database.Database, batchId: string, at: number, cancelled: boolean): void {
  db.prepare('UPDATE annotation_batches SET finished_at = ?, cancelled = ? WHERE id = ?').run(at, cancelled ? 1 : 0, batchId);
}

interface BatchRow extends Omit<AnnotationBatch, 'scope' | 'cancelled'> {
  scope: string;
  cancelled: number;
}

const SELECT_BATCH = `SELECT b.*, (SELECT u.id FROM annotation_batches u WHERE u.undoes = b.id) AS undone_by FROM annotation_batches b`;

function toBatch(row: BatchRow): AnnotationBatch {
  return { ...row, scope: JSON.parse(row.scope) as unknown, cancelled: row.cancelled === 1 };
}

export function getBatch(db: Database.Database, batchId: string): AnnotationBatch | undefined {
  const row = db.prepare(`${SELECT_BATCH} WHERE b.id = ?`).get(batchId) as BatchRow | undefined;
  return row ? toBatch(row) : undefined;
}

/** Recent bulk actions and undos, newest first (for an "undo" offer and the activity log). */
export function listBatches(db: Database.Database, limit = 20): AnnotationBatch[] {
  return (db.prepare(`${SELECT_BATCH} ORDER BY b.created_at DESC, b.rowid DESC LIMIT ?`).all(Math.max(1, Math.min(limit, 500))) as BatchRow[]).map(toBatch);
}
