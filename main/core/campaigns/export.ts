import type Database from 'better-sqlite3-multiple-ciphers';
import { listCampaigns } from './campaigns';
import { coverageOf } from './coverage';
import type { Campaign, CampaignCoverage } from './types';

export interface ExportedCampaign extends Campaign {
  coverage: CampaignCoverage;
  /** One line for the XLSX summary and reports, e.g. "Q4 privilege changes: 340 of 340 records reviewed (100%) …". */
  summary: string;
}

/** Every campaign (archived ones too) with its coverage as of `now`, for export packages. */
export function campaignsForExport(db: Database.Database, now: number): ExportedCampaign[] {
  return listCampaigns(db, { includeArchived: true }).map((campaign) => {
    const coverage = coverageOf(db, campaign, now);
    return { ...campaign, coverage, summary: coverageSummary(campaign, coverage) };
  });
}

export function coverageSummary(campaign: Campaign, coverage: CampaignCoverage): string {
  const part = (done: number, total: number, percent: number | null, what: string) =>
    `${done} of ${total} ${what} reviewed${percent === null ? '' : ` (${percent}%)`}`;
  const period = `${isoDay(campaign.period_from)} – ${isoDay(campaign.period_to)}`;
  return `${campaign.name} [${period}${campaign.scope_text ? `, ${campaign.scope_text}` : ''}]: ${part(coverage.records_with_status, coverage.records_in_scope, coverage.percent_records, 'records')}; ${part(coverage.findings_with_status, coverage.findings_in_scope, coverage.percent_findings, 'findings')}`;
}

function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
