import { useCallback, useEffect, useState } from 'react';
import type { FindingView, Output } from '../../../../preload/contract';
import { call, errorMessage, on } from '../../api/api';
import { formatCount, formatTime } from '../../lib/format';
import { ruleTitle } from '../../lib/rules';
import { usePrefsStore } from '../../state/prefs-store';
import { useQueryStore } from '../../state/query-store';
import { SuppressForm } from './SuppressForm';

type Summary = Output<'findings.summary'>;

/**
 * Findings grouped by rule and severity with counts. Opening a group lists its findings with their
 * explanations; choosing one filters the table to its records. Suppressed findings stay reachable.
 */
export function FindingsPanel() {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [showSuppressed, setShowSuppressed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** High-severity findings that arrived (live watch) since the panel was last looked at. */
  const [unseen, setUnseen] = useState(0);
  const generation = useQueryStore((s) => s.generation);

  const load = useCallback(() => {
    call('findings.summary', {})
      .then((s) => {
        setSummary(s);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load, generation]);
  useEffect(
    () =>
      on('findings.new', ({ high }) => {
        load();
        setUnseen((n) => n + high.length);
      }),
    [load],
  );

  const rescan = async () => {
    setBusy(true);
    try {
      await call('findings.rescan', { full: true });
      load();
      useQueryStore.getState().refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const groups = (summary ?? []).filter((g) => g.count > 0 || (showSuppressed && g.suppressed > 0));
  const total = (summary ?? []).reduce((n, g) => n + g.count, 0);
  return (
    <section className="findings-panel" aria-labelledby="findings-title">
      <header className="panel-header">
        <h2 id="findings-title">
          Findings {summary && <span className="muted">({formatCount(total)})</span>}
          {unseen > 0 && (
            <span className="badge new-badge" data-testid="new-findings-badge">
              {unseen} new
            </span>
          )}
        </h2>
        <button type="button" onClick={() => void rescan()} disabled={busy} title="Run every rule over the whole cache again">
          {busy ? 'Scanning…' : 'Rescan'}
        </button>
      </header>
      <label className="check small">
        <input type="checkbox" checked={showSuppressed} onChange={(e) => setShowSuppressed(e.target.checked)} /> show suppressed
      </label>
      {error && <p className="error small">{error}</p>}
      {summary && groups.length === 0 && <p className="muted small">No findings. Rules run after every sync.</p>}
      <ul className="finding-groups">
        {groups.map((g) => {
          const key = `${g.rule}:${g.severity}`;
          return (
            <li key={key}>
              <button
                type="button"
                className={`finding-group sev-${g.severity}`}
                aria-expanded={open === key}
                onClick={() => {
                  setOpen(open === key ? null : key);
                  setUnseen(0);
                }}
              >
                <span className={`dot sev-${g.severity}`} aria-hidden="true" />
                <span className="facet-label">{ruleTitle(g.rule)}</span>
                <span className="facet-count" aria-label={`${g.count} ${g.severity}`}>
                  {formatCount(g.count)}
                  {showSuppressed && g.suppressed > 0 ? ` +${g.suppressed}` : ''}
                </span>
              </button>
              {open === key && <FindingList rule={g.rule} severity={g.severity as FindingView['severity']} suppressed={showSuppressed ? undefined : false} onChanged={load} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function FindingList({ rule, severity, suppressed, onChanged }: { rule: string; severity: FindingView['severity']; suppressed?: boolean; onChanged(): void }) {
  const [findings, setFindings] = useState<FindingView[] | null>(null);
  const [suppressing, setSuppressing] = useState<string | null>(null);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const setFilter = useQueryStore((s) => s.setFilter);
  const selectedFinding = useQueryStore((s) => s.filter.findingIds?.[0]);

  const load = useCallback(() => {
    void call('findings.list', { rule, severity, ...(suppressed !== undefined ? { suppressed } : {}), offset: 0, limit: 100 }).then((r) => setFindings(r.findings));
  }, [rule, severity, suppressed]);
  useEffect(load, [load]);

  if (!findings) return <p className="muted small">Loading…</p>;
  return (
    <ul className="finding-list">
      {findings.map((f) => (
        <li key={f.id} className={f.id === selectedFinding ? 'active' : ''}>
          <button type="button" className="finding-item" onClick={() => setFilter({ findingIds: [f.id] })} aria-pressed={f.id === selectedFinding}>
            <span className="finding-explanation">{f.explanation}</span>
            <span className="muted small">
              {f.operator || '(no operator)'} · {formatTime(f.first_event_time, timeZone)} · {formatCount(f.record_count)} records
              {f.suppressed ? ' · suppressed' : ''}
            </span>
          </button>
          {!f.suppressed && (
            <button type="button" className="link small" onClick={() => setSuppressing(suppressing === f.id ? null : f.id)}>
              Suppress similar…
            </button>
          )}
          {suppressing === f.id && (
            <SuppressForm
              finding={f}
              onDone={() => {
                setSuppressing(null);
                load();
                onChanged();
                useQueryStore.getState().refresh();
              }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
