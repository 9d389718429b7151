import { useEffect, useState } from 'react';
import type { FindingView, Output } from '../../../preload/contract';
import { ruleTitle } from '../lib/rules';
import { AnnotationsSection } from './annotations/AnnotationsSection';
import type { HistoryRequest } from './history/HistoryDialog';
import { call, errorMessage } from '../api/api';
import { formatTime } from '../lib/format';
import { usePrefsStore } from '../state/prefs-store';
import { useQueryStore } from '../state/query-store';

type Detail = NonNullable<Output<'query.record'>>;

/**
 * Everything about the selected record. Bodies are pretty-printed JSON inside <pre> as text:
 * whatever a record holds (markup, scripts, formulas) is shown, never interpreted.
 */
export function DetailPanel({ onHistory }: { onHistory(request: HistoryRequest): void }) {
  const selectedId = useQueryStore((s) => s.selectedId);
  const setFilter = useQueryStore((s) => s.setFilter);
  const select = useQueryStore((s) => s.select);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [findings, setFindings] = useState<FindingView[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!selectedId) return;
    let live = true;
    setError(null);
    call('query.record', { id: selectedId })
      .then((d) => live && setDetail(d))
      .catch((e) => live && setError(errorMessage(e)));
    call('findings.forRecord', { id: selectedId })
      .then((f) => live && setFindings(f))
      .catch(() => live && setFindings([]));
    return () => {
      live = false;
    };
  }, [selectedId]);

  if (!selectedId) return null;
  if (error) return <aside className="detail" aria-label="Record detail"><p className="error">{error}</p></aside>;
  if (!detail || detail.row.id !== selectedId) return <aside className="detail" aria-label="Record detail" aria-busy="true" />;

  const { row, entry } = detail;
  const request = (entry.http_request ?? {}) as Record<string, unknown>;
  const response = (entry.http_response ?? {}) as Record<string, unknown>;
  const fields: [string, string][] = [
    ['Time', `${formatTime(row.event_time, timeZone)} (${row.event_time})`],
    ['Event', `${row.event_name} (${row.event_type})`],
    ['Category', row.category],
    ['Operator', [row.operator_username, row.operator_email, row.operator_id && `id ${row.operator_id}`].filter(Boolean).join(' · ') || '(none)'],
    ['Source', row.source + (row.token_name ? ` · token ${row.token_name}` : '')],
    ['Resource', [row.resource_name, row.resource_id].filter(Boolean).join(' · ')],
    ['Gateway group', row.gateway_group_id],
    ['IP address', row.ip_address],
    ['Request', `${row.http_method} ${row.http_uri}`],
    ['Status', row.status_code ? String(row.status_code) : ''],
    ['Error', row.error_message],
    ['User agent', String(request.user_agent ?? '')],
    ['Record id', row.id],
    ['SHA-256', detail.sha256],
  ];

  return (
    <aside className="detail" aria-label="Record detail" data-testid="detail-panel">
      <header className="detail-header">
        <h2>{row.event_name}</h2>
        <button type="button" aria-label="Close detail" onClick={() => select(null, null)}>
          ×
        </button>
      </header>
      {findings.length > 0 && (
        <section className="detail-findings" aria-label="Findings on this record">
          {findings.map((f) => (
            <article key={f.id} className={`finding-card sev-${f.severity}${f.suppressed ? ' suppressed' : ''}`}>
              <header>
                <strong>{ruleTitle(f.rule)}</strong> <span className="badge">{f.severity}</span>
                {f.suppressed && <span className="badge">suppressed</span>}
              </header>
              <p>{f.explanation}</p>
              <button type="button" className="link small" onClick={() => setFilter({ findingIds: [f.id] })}>
                Show its {f.record_count} records
              </button>
            </article>
          ))}
        </section>
      )}
      {row.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {row.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <dl className="fields">
        {fields
          .filter(([, value]) => value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <AnnotationsSection target={{ kind: 'record', id: row.id }} />
      <nav className="more-links" aria-label="Related records">
        {row.operator_id && <button type="button" onClick={() => setFilter({ operators: [row.operator_username || row.operator_id] })}>More from this operator</button>}
        {row.ip_address && <button type="button" onClick={() => setFilter({ ips: [row.ip_address] })}>More from this IP</button>}
        {row.resource_id && <button type="button" onClick={() => setFilter({ resources: [row.resource_id] })}>More on this resource</button>}
        {row.resource_id && (
          <button type="button" onClick={() => onHistory({ kind: 'resource', resourceId: row.resource_id })}>
            History of this resource
          </button>
        )}
        <button type="button" onClick={() => onHistory({ kind: 'around', time: row.event_time, minutes: 30 })}>
          Changes around this time
        </button>
      </nav>
      {/* A long body scrolls inside its box: tabIndex lets keyboard users reach and scroll it. */}
      <h3 id="request-body-title">Request body</h3>
      <pre className="json" tabIndex={0} aria-labelledby="request-body-title">
        {prettyJson(request.body)}
      </pre>
      <h3 id="response-body-title">Response body</h3>
      <pre className="json" tabIndex={0} aria-labelledby="response-body-title">
        {prettyJson(response.body)}
      </pre>
    </aside>
  );
}

function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}
