import type { FilterModel } from '../../../preload/contract';

/**
 * A review campaign: who reviews what, over which period. Records are in scope when they match
 * `scope_filter` and their event_time is within [period_from, period_to] (Unix seconds, inclusive).
 */
export interface Campaign {
  id: string;
  name: string;
  scope_filter: FilterModel;
  /** The scope in the filter language, as people read it. */
  scope_text: string;
  period_from: number;
  period_to: number;
  reviewers: string[];
  created_by: string;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface NewCampaign {
  name: string;
  filter: FilterModel;
  periodFrom: number;
  periodTo: number;
  reviewers: string[];
}

export interface CampaignChanges {
  name?: string;
  reviewers?: string[];
}

/** How far a campaign's review has come. Counts are of targets, by their current status. */
export interface CampaignCoverage {
  campaign_id: string;
  records_in_scope: number;
  /** Records whose status is anything but "unreviewed". */
  records_with_status: number;
  /** Current status → records in scope ("unreviewed" includes records with no status at all). */
  by_status: Record<string, number>;
  /** Who set the current status → records; every listed reviewer appears, with 0 if none yet. */
  by_reviewer: Record<string, number>;
  /** Unsuppressed findings with at least one record in scope. */
  findings_in_scope: number;
  findings_with_status: number;
  findings_by_status: Record<string, number>;
  /** 0–100, rounded DOWN to one decimal so 99.96 % never reads as 100 %; null when nothing is in scope. */
  percent_records: number | null;
  percent_findings: number | null;
  /** Unix seconds the numbers were computed at. */
  computed_at: number;
}
