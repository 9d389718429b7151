import { reviewStatuses } from '../../../preload/contract/annotations';

/**
 * What reviewers attach to the evidence. Plain data shared by the annotation functions, the
 * contract handlers and exports. The storage is described in cache/migrations/002_review.ts.
 */
export type TargetKind = 'record' | 'finding';

/** A record (by its gateway entry id) or a finding (by its id). */
export interface Target {
  kind: TargetKind;
  id: string;
}

export type AnnotationKind = 'comment' | 'tag' | 'status';

/**
 * Review statuses, stored exactly as written here. The filter language writes them with dashes
 * (`status:needs-follow-up`) and turns the dashes into spaces, so these must use spaces.
 */
export const REVIEW_STATUSES = reviewStatuses;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** One row of `annotations`: a version of an annotation. `deleted` marks a tombstone. */
export interface AnnotationVersion {
  version_id: number;
  annotation_id: string;
  target_kind: TargetKind;
  target_id: string;
  kind: AnnotationKind;
  value: string;
  author: string;
  /** Unix seconds. */
  created_at: number;
  prev_version: number | null;
  deleted: boolean;
}

export interface CurrentStatus {
  value: string;
  author: string;
  updated_at: number;
  version_id: number;
}

export interface CurrentTag {
  annotation_id: string;
  value: string;
  author: string;
  updated_at: number;
  version_id: number;
}

export interface CurrentComment {
  annotation_id: string;
  value: string;
  /** Who wrote the current text, and when it was first written / last changed. */
  author: string;
  created_at: number;
  updated_at: number;
  version_id: number;
  edited: boolean;
}

/** The live annotations of one target (what the table and the detail panel show). */
export interface CurrentAnnotations {
  status: CurrentStatus | null;
  tags: CurrentTag[];
  comments: CurrentComment[];
}
