import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CampaignCoverageInfo, CampaignInfo } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { formatCount } from '../../lib/format';
import { useQueryStore } from '../../state/query-store';

/**
 * Review campaigns: a scope (the current filter), a period and reviewers, with coverage —
 * "how much of this has a review status, by whom" — that compliance officers can report.
 */
export function CampaignsMenu() {
  const filter = useQueryStore((s) => s.filter);
  const setFilter = useQueryStore((s) => s.setFilter);
  const generation = useQueryStore((s) => s.generation);
  const [campaigns, setCampaigns] = useState<CampaignInfo[]>([]);
  const [coverage, setCoverage] = useState<Record<string, CampaignCoverageInfo>>({});
  const [name, setName] = useState('');
  const [from, setFrom] = useState(() => new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const [reviewers, setReviewers] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const list = await call('campaigns.list', { includeArchived: false });
      setCampaigns(list);
      const entries = await Promise.all(list.map(async (c) => [c.id, await call('campaigns.coverage', { id: c.id })] as const));
      setCoverage(Object.fromEntries(entries));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, generation]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await call('campaigns.create', {
        name: name.trim(),
        filter,
        periodFrom: Math.floor(Date.parse(`${from}T00:00:00Z`) / 1000),
        periodTo: Math.floor(Date.parse(`${to}T23:59:59Z`) / 1000),
        reviewers: reviewers
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      });
      setName('');
      setError(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <details className="menu" data-testid="campaigns-menu">
      <summary>Campaigns</summary>
      <div className="menu-body wide">
        <ul className="campaigns" aria-label="Campaigns">
          {campaigns.map((c) => {
            const cov = coverage[c.id];
            return (
              <li key={c.id} className="campaign">
                <div className="campaign-head">
                  <strong>{c.name}</strong>
                  <button type="button" className="link small" onClick={() => setFilter({ ...c.scope_filter, from: c.period_from, to: c.period_to })}>
                    show scope
                  </button>
                </div>
                <p className="muted small">{c.scope_text || 'all records'}</p>
                {cov && (
                  <>
                    <progress max={100} value={cov.percent_records ?? 0} aria-label={`${c.name} coverage`} />
                    <p className="small" data-testid="campaign-coverage">
                      {cov.percent_records ?? 0}% of {formatCount(cov.records_in_scope)} records reviewed
                      {cov.findings_in_scope > 0 ? ` · ${cov.percent_findings ?? 0}% of ${formatCount(cov.findings_in_scope)} findings` : ''}
                    </p>
                    {Object.keys(cov.by_reviewer).length > 0 && (
                      <p className="muted small">
                        by {Object.entries(cov.by_reviewer).map(([who, n]) => `${who} ${formatCount(n)}`).join(', ')}
                      </p>
                    )}
                  </>
                )}
              </li>
            );
          })}
          {campaigns.length === 0 && <li className="muted small">No campaigns yet.</li>}
        </ul>
        <form onSubmit={create} aria-label="New campaign">
          <h3 className="small">New campaign over the current filter</h3>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="Q4 privilege changes" />
          </label>
          <div className="inline">
            <label>
              From
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              To
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
          </div>
          <label>
            Reviewers (comma-separated)
            <input value={reviewers} onChange={(e) => setReviewers(e.target.value)} />
          </label>
          {error && <p className="error small">{error}</p>}
          <button type="submit" disabled={!name.trim()}>
            Create campaign
          </button>
        </form>
      </div>
    </details>
  );
}
