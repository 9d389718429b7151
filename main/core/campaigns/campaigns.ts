import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { filterModelSchema, type FilterModel } from '../../../preload/contract';
import type { Actor } from '../annotations/actor';
import { AnnotationError } from '../annotations/errors';
import { validAuthor } from '../annotations/validate';
import { formatFilter } from '../query/filter-language';
import type { Campaign, CampaignChanges, NewCampaign } from './types';

const MAX_NAME = 120;
const MAX_REVIEWERS = 50;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function createCampaign(db: Database.Database, input: NewCampaign, actor: Actor): Campaign {
  const author = validAuthor(actor.author);
  const filter = validFilter(input.filter);
  if (!Number.isInteger(input.periodFrom) || !Number.isInteger(input.periodTo) || input.periodFrom < 0 || input.periodTo < input.periodFrom) {
    throw new AnnotationError('invalid_input', 'A campaign period needs a start before its end.');
  }
  const at = actor.now();
  const campaign: Campaign = {
    id: randomUUID(),
    name: validName(input.name),
    scope_filter: filter,
    // Always derived from the model, so the text people read is exactly what is counted.
    scope_text: formatFilter(filter),
    period_from: input.periodFrom,
    period_to: input.periodTo,
    reviewers: validReviewers(input.reviewers),
    created_by: author,
    created_at: at,
    updated_at: at,
    archived_at: null,
  };
  db.prepare(
    `INSERT INTO campaigns (id, name, scope_filter, scope_text, period_from, period_to, reviewers, created_by, created_at, updated_at, archived_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  ).run(
    campaign.id,
    campaign.name,
    JSON.stringify(campaign.scope_filter),
    campaign.scope_text,
    campaign.period_from,
    campaign.period_to,
    JSON.stringify(campaign.reviewers),
    campaign.created_by,
    campaign.created_at,
    campaign.updated_at,
  );
  return campaign;
}

/** Campaigns, active first then archived, newest first within each. */
export function listCampaigns(db: Database.Database, options: { includeArchived?: boolean } = {}): Campaign[] {
  const where = options.includeArchived ? '' : 'WHERE archived_at IS NULL';
  return (db.prepare(`SELECT * FROM campaigns ${where} ORDER BY archived_at IS NOT NULL, created_at DESC, rowid DESC`).all() as CampaignRow[]).map(toCampaign);
}

export function getCampaign(db: Database.Database, id: string): Campaign {
  const row = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
  if (!row) throw new AnnotationError('not_found', 'No such campaign; refresh the list.');
  return toCampaign(row);
}

/** Renames a campaign or changes its reviewers. Scope and period stay fixed: coverage is about them. */
export function updateCampaign(db: Database.Database, id: string, changes: CampaignChanges, now: () => number): Campaign {
  return db.transaction(() => {
    const campaign = getCampaign(db, id);
    if (campaign.archived_at !== null) throw new AnnotationError('conflict', 'This campaign is archived; archived campaigns do not change.');
    const name = changes.name === undefined ? campaign.name : validName(changes.name);
    const reviewers = changes.reviewers === undefined ? campaign.reviewers : validReviewers(changes.reviewers);
    db.prepare('UPDATE campaigns SET name = ?, reviewers = ?, updated_at = ? WHERE id = ?').run(name, JSON.stringify(reviewers), now(), id);
    return getCampaign(db, id);
  }).immediate();
}

/** Archives a campaign (kept, with its coverage, for reports); archiving twice changes nothing. */
export function archiveCampaign(db: Database.Database, id: string, now: () => number): Campaign {
  return db.transaction(() => {
    const campaign = getCampaign(db, id);
    if (campaign.archived_at !== null) return campaign;
    const at = now();
    db.prepare('UPDATE campaigns SET archived_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
    return getCampaign(db, id);
  }).immediate();
}

interface CampaignRow extends Omit<Campaign, 'scope_filter' | 'reviewers'> {
  scope_filter: string;
  reviewers: string;
}

function toCampaign(row: CampaignRow): Campaign {
  return { ...row, scope_filter: JSON.parse(row.scope_filter) as FilterModel, reviewers: JSON.parse(row.reviewers) as string[] };
}

function validName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || trimmed.length > MAX_NAME || CONTROL.test(trimmed)) {
    throw new AnnotationError('invalid_input', `A campaign needs a name of 1–${MAX_NAME} characters, on one line.`);
  }
  return trimmed;
}

function validReviewers(reviewers: string[]): string[] {
  if (!Array.isArray(reviewers) || reviewers.length > MAX_REVIEWERS) {
    throw new AnnotationError('invalid_input', `A campaign can have at most ${MAX_REVIEWERS} reviewers.`);
  }
  const names = reviewers.map((r) => (typeof r === 'string' ? r.trim() : ''));
  if (names.some((n) => n === '' || n.length > 256 || CONTROL.test(n))) {
    throw new AnnotationError('invalid_input', 'Reviewers are named by their gateway usernames; one of them is empty or not a valid name.');
  }
  return [...new Set(names)];
}

function validFilter(filter: FilterModel): FilterModel {
  const parsed = filterModelSchema.safeParse(filter);
  if (!parsed.success) throw new AnnotationError('invalid_input', `The campaign scope is not a valid filter: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}
