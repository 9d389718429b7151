import type Database from 'better-sqlite3-multiple-ciphers';
import { statementsFor, type AnnotationStatements } from './statements';
import type { AnnotationKind, AnnotationVersion, Target } from './types';

/** A state row: the current value of one live annotation. */
export interface StateRow {
  annotation_id: string;
  target_kind: string;
  target_id: string;
  kind: AnnotationKind;
  value: string;
  author: string;
  updated_at: number;
  version_id: number;
}

export interface NewVersion {
  annotationId: string;
  target: Target;
  kind: AnnotationKind;
  value: string;
  deleted: boolean;
  author: string;
  at: number;
}

/**
 * THE one way an annotation changes: append a version linked to the previous one, then make
 * annotation_state match it (a tombstone removes the state row). Every write — single, bulk, undo —
 * goes through here, so history and state cannot disagree. The caller holds a transaction, so both
 * writes land together or not at all.
 */
export function appendVersion(s: AnnotationStatements, input: NewVersion): AnnotationVersion {
  const prev = (s.latestVersion.get(input.annotationId) as number | null) ?? null;
  const info = s.insertVersion.run(
    input.annotationId,
    input.target.kind,
    input.target.id,
    input.kind,
    input.value,
    input.author,
    input.at,
    prev,
    input.deleted ? 1 : 0,
  );
  const versionId = Number(info.lastInsertRowid);
  if (input.deleted) s.deleteState.run(input.annotationId);
  else s.upsertState.run(input.annotationId, input.target.kind, input.target.id, input.kind, input.value, input.author, input.at, versionId);
  return {
    version_id: versionId,
    annotation_id: input.annotationId,
    target_kind: input.target.kind,
    target_id: input.target.id,
    kind: input.kind,
    value: input.value,
    author: input.author,
    created_at: input.at,
    prev_version: prev,
    deleted: input.deleted,
  };
}

export function currentState(s: AnnotationStatements, annotationId: string): StateRow | undefined {
  return s.stateById.get(annotationId) as StateRow | undefined;
}

interface RawVersion extends Omit<AnnotationVersion, 'deleted'> {
  deleted: number;
}

export function toVersion(raw: RawVersion): AnnotationVersion {
  return { ...raw, deleted: raw.deleted === 1 };
}

export function versionById(db: Database.Database, versionId: number): AnnotationVersion | undefined {
  const raw = statementsFor(db).versionById.get(versionId) as RawVersion | undefined;
  return raw ? toVersion(raw) : undefined;
}
