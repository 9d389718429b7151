import type Database from 'better-sqlite3-multiple-ciphers';
import { createIpInFunction } from '../query/ip-match';
import { buildSqlFilter } from '../query/sql-filter';
import { getCampaign } from './campaigns';
import type { Campaign, CampaignCoverage } from './types';

const withIpFunction = new WeakSet<Database.Database>();

/**
 * Coverage of a campaign, computed by SQLite in a few set-based queries (no per-record work in JS)
 * so it stays quick on a million records. A record or finding counts as reviewed when its current
 * status is anything but "unreviewed"; `now` anchors relative scopes such as last:30d.
 */
export function coverage(db: Database.Database, campaignId: string, now: number): CampaignCoverage {
  return coverageOf(db, getCampaign(db, campaignId), now);
}

export function coverageOf(db: Database.Database, campaign: Campaign, now: number): CampaignCoverage {
  if (!withIpFunction.has(db)) {
    // A scope may name CIDR blocks; the filter SQL calls ip_in() for them.
    db.function('ip_in', { deterministic: true }, createIpInFunction());
    withIpFunction.add(db);
  }
  const filter = buildSqlFilter(campaign.scope_filter, now);
  const inScope = `(${filter.where}) AND r.event_time BETWEEN ? AND ?`;
  const params = [...filter.params, campaign.period_from, campaign.period_to];

  const recordsInScope = db.prepare(`SELECT count(*) FROM records r WHERE ${inScope}`).pluck().get(...params) as number;
  const statusRows = db
    .prepare(
      `SELECT s.value AS status, s.author AS author, count(*) AS n
         FROM annotation_state s JOIN records r ON r.id = s.target_id
        WHERE s.target_kind = 'record' AND s.kind = 'status' AND ${inScope}
        GROUP BY s.value, s.author`,
    )
    .all(...params) as { status: string; author: string; n: number }[];

  const byStatus: Record<string, number> = {};
  const byReviewer: Record<string, number> = Object.fromEntries(campaign.reviewers.map((r) => [r, 0]));
  let recordsWithStatus = 0;
  for (const row of statusRows) {
    if (row.status === 'unreviewed') continue;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
    byReviewer[row.author] = (byReviewer[row.author] ?? 0) + row.n;
    recordsWithStatus += row.n;
  }
  byStatus.unreviewed = recordsInScope - recordsWithStatus;

  const findingRows = db
    .prepare(
      `WITH scoped AS (
         SELECT DISTINCT fr.finding_id AS id FROM finding_records fr JOIN records r ON r.seq = fr.record_seq WHERE ${inScope})
       SELECT coalesce(s.value, 'unreviewed') AS status, count(*) AS n
         FROM scoped JOIN findings f ON f.id = scoped.id AND f.suppressed = 0
         LEFT JOIN annotation_state s ON s.target_kind = 'finding' AND s.target_id = f.id AND s.kind = 'status'
        GROUP BY 1`,
    )
    .all(...params) as { status: string; n: number }[];
  const findingsByStatus: Record<string, number> = {};
  let findingsInScope = 0;
  for (const row of findingRows) {
    findingsByStatus[row.status] = row.n;
    findingsInScope += row.n;
  }
  const findingsWithStatus = findingsInScope - (findingsByStatus.unreviewed ?? 0);
  findingsByStatus.unreviewed = findingsByStatus.unreviewed ?? 0;

  return {
    campaign_id: campaign.id,
    records_in_scope: recordsInScope,
    records_with_status: recordsWithStatus,
    by_status: byStatus,
    by_reviewer: byReviewer,
    findings_in_scope: findingsInScope,
    findings_with_status: findingsWithStatus,
    findings_by_status: findingsByStatus,
    percent_records: percentDown(recordsWithStatus, recordsInScope),
    percent_findings: percentDown(findingsWithStatus, findingsInScope),
    computed_at: now,
  };
}

/** Rounded down to one decimal: a report must never claim 100 % while something is left. */
export function percentDown(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.floor((part * 1000) / whole) / 10;
}
