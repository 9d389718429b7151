import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setStatus, type Actor } from '../../../main/core/annotations';
import {
  archiveCampaign,
  campaignsForExport,
  coverage,
  createCampaign,
  getCampaign,
  listCampaigns,
  percentDown,
  updateCampaign,
} from '../../../main/core/campaigns';
import { addFinding, reviewCache, T0, tickingClock } from '../../unit/annotations/fixtures';

const record = (id: string) => ({ kind: 'record' as const, id });
const NOW = 1_765_000_000;

describe('review campaigns and their coverage', () => {
  let fixture: ReturnType<typeof reviewCache>;
  let alice: Actor;
  let bob: Actor;
  beforeEach(() => {
    // r-0001…r-0020, one minute apart; even ids are DeleteRoute by asmith.
    fixture = reviewCache(20);
    alice = { author: 'alice', now: tickingClock(NOW) };
    bob = { author: 'bob', now: tickingClock(NOW + 1000) };
  });
  afterEach(() => fixture.remove());

  /** Scope: DeleteRoute in the first ten minutes → r-0002, r-0004, r-0006, r-0008, r-0010. */
  const deletesCampaign = () =>
    createCampaign(fixture.cache.db, { name: 'Deletes, first 10 minutes', filter: { eventTypes: ['DeleteRoute'] }, periodFrom: T0, periodTo: T0 + 9 * 60, reviewers: ['alice', 'carol', 'alice'] }, alice);

  it('counts records and findings in scope (filter ∩ period) by current status and reviewer', () => {
    const db = fixture.cache.db;
    const campaign = deletesCampaign();
    setStatus(db, record('r-0002'), 'reviewed', alice);
    setStatus(db, record('r-0004'), 'false positive', bob);
    setStatus(db, record('r-0006'), 'reviewed', alice);
    setStatus(db, record('r-0006'), 'unreviewed', alice); // taken back: counts as left to do
    setStatus(db, record('r-0012'), 'reviewed', alice); // outside the period
    setStatus(db, record('r-0001'), 'reviewed', alice); // outside the filter
    addFinding(db, 'f-1', ['r-0002', 'r-0004']);
    addFinding(db, 'f-2', ['r-0010', 'r-0012']); // partly in scope: it is in scope
    addFinding(db, 'f-3', ['r-0012']); // outside the period
    addFinding(db, 'f-4', ['r-0002'], { suppressed: true });
    setStatus(db, { kind: 'finding', id: 'f-1' }, 'escalated', bob);
    setStatus(db, { kind: 'finding', id: 'f-3' }, 'reviewed', bob);

    expect(coverage(db, campaign.id, NOW)).toEqual({
      campaign_id: campaign.id,
      records_in_scope: 5,
      records_with_status: 2,
      by_status: { reviewed: 1, 'false positive': 1, unreviewed: 3 },
      by_reviewer: { alice: 1, carol: 0, bob: 1 },
      findings_in_scope: 2,
      findings_with_status: 1,
      findings_by_status: { escalated: 1, unreviewed: 1 },
      percent_records: 40,
      percent_findings: 50,
      computed_at: NOW,
    });
  });

  it('coverage moves as reviewers work, and reaches exactly 100 only when nothing is left', () => {
    const db = fixture.cache.db;
    const campaign = deletesCampaign();
    const ids = ['r-0002', 'r-0004', 'r-0006', 'r-0008', 'r-0010'];
    const seen = ids.map((id) => {
      setStatus(db, record(id), 'reviewed', alice);
      return coverage(db, campaign.id, NOW).percent_records;
    });
    expect(seen).toEqual([20, 40, 60, 80, 100]);
    expect(percentDown(2, 3)).toBe(66.6);
    expect(percentDown(9_999, 10_000)).toBe(99.9);
    expect(percentDown(0, 0)).toBeNull();
  });

  it('an empty scope reports null percentages, not a vacuous 100 %', () => {
    const db = fixture.cache.db;
    const campaign = createCampaign(db, { name: 'Nothing', filter: { operators: ['nobody'] }, periodFrom: T0, periodTo: T0 + 3600, reviewers: [] }, alice);
    expect(coverage(db, campaign.id, NOW)).toMatchObject({ records_in_scope: 0, percent_records: null, percent_findings: null, by_status: { unreviewed: 0 } });
  });

  it('create / list / update / archive', () => {
    const db = fixture.cache.db;
    const campaign = deletesCampaign();
    expect(campaign).toMatchObject({ name: 'Deletes, first 10 minutes', scope_text: 'event:DeleteRoute', reviewers: ['alice', 'carol'], created_by: 'alice', archived_at: null });
    expect(getCampaign(db, campaign.id)).toEqual(campaign);
    const renamed = updateCampaign(db, campaign.id, { name: ' Q4 deletes ', reviewers: ['dave'] }, () => NOW + 5);
    expect(renamed).toMatchObject({ name: 'Q4 deletes', reviewers: ['dave'], updated_at: NOW + 5, scope_filter: { eventTypes: ['DeleteRoute'] } });
    const archived = archiveCampaign(db, campaign.id, () => NOW + 9);
    expect(archived.archived_at).toBe(NOW + 9);
    expect(archiveCampaign(db, campaign.id, () => NOW + 99).archived_at).toBe(NOW + 9);
    expect(listCampaigns(db)).toEqual([]);
    expect(listCampaigns(db, { includeArchived: true }).map((c) => c.id)).toEqual([campaign.id]);
    expect(() => updateCampaign(db, campaign.id, { name: 'x' }, () => NOW)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => getCampaign(db, 'nope')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => createCampaign(db, { name: 'bad', filter: {}, periodFrom: 10, periodTo: 5, reviewers: [] }, alice)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => createCampaign(db, { name: '  ', filter: {}, periodFrom: 1, periodTo: 5, reviewers: [] }, alice)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('exports every campaign with its coverage and a one-line summary', () => {
    const db = fixture.cache.db;
    const campaign = deletesCampaign();
    setStatus(db, record('r-0002'), 'reviewed', alice);
    archiveCampaign(db, createCampaign(db, { name: 'Old', filter: {}, periodFrom: 0, periodTo: 1, reviewers: [] }, alice).id, () => NOW);
    const exported = campaignsForExport(db, NOW);
    expect(exported.map((c) => c.name).sort()).toEqual(['Deletes, first 10 minutes', 'Old']);
    const deletes = exported.find((c) => c.id === campaign.id)!;
    expect(deletes.coverage.records_with_status).toBe(1);
    expect(deletes.summary).toBe('Deletes, first 10 minutes [2025-11-25 – 2025-11-25, event:DeleteRoute]: 1 of 5 records reviewed (20%); 0 of 0 findings reviewed');
  });
});
