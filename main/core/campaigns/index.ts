/** Review campaigns: a scope (saved filter) + period + reviewers, and how much of it is reviewed. */
export { createCampaign, listCampaigns, getCampaign, updateCampaign, archiveCampaign } from './campaigns';
export { coverage, coverageOf, percentDown } from './coverage';
export { campaignsForExport, coverageSummary, type ExportedCampaign } from './export';
export type { Campaign, CampaignChanges, CampaignCoverage, NewCampaign } from './types';
