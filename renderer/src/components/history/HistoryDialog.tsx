import { useEffect, useRef, useState } from 'react';
import type { ChangesAround, ResourceHistory } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { formatTime } from '../../lib/format';
import { usePrefsStore } from '../../state/prefs-store';
import { useQueryStore } from '../../state/query-store';
import { DiffView } from './DiffView';

export type HistoryRequest = { kind: 'resource'; resourceId: string } | { kind: 'around'; time: number; minutes: number };

/**
 * The two investigations: every change to one resource with what each change did (JSON diff), and
 * every configuration change around a moment, grouped by resource and operator.
 */
export function HistoryDialog({ request, onClose }: { request: HistoryRequest; onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  const [current, setCurrent] = useState<HistoryRequest>(request);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="history-title">
      <div className="overlay-card wide">
        {current.kind === 'resource' ? (
          <ResourceTimeline resourceId={current.resourceId} />
        ) : (
          <AroundView time={current.time} minutes={current.minutes} onResource={(resourceId) => setCurrent({ kind: 'resource', resourceId })} onMinutes={(minutes) => setCurrent({ ...current, minutes })} />
        )}
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function ResourceTimeline({ resourceId }: { resourceId: string }) {
  const [history, setHistory] = useState<ResourceHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const timeZone = usePrefsStore((s) => s.timeZone);
  useEffect(() => {
    call('history.resource', { resourceId, limit: 500 })
      .then((h) => {
        setHistory(h);
        setOpen(h.changes.at(-1)?.id ?? null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [resourceId]);

  return (
    <section aria-labelledby="history-title" data-testid="resource-history">
      <h2 id="history-title">
        History of {history?.names.at(-1) ?? resourceId} <span className="muted small">({resourceId})</span>
      </h2>
      {error && <p className="error">{error}</p>}
      {history && (
        <>
          <p className="muted small">
            {history.total} changes{history.truncated ? ' (older ones not shown)' : ''}
            {history.names.length > 1 ? ` · also named ${history.names.slice(0, -1).join(', ')}` : ''}
          </p>
          <ol className="timeline-list">
            {[...history.changes].reverse().map((change) => (
              <li key={change.id} className={`change ${change.outcome}`}>
                <button type="button" className="change-head" aria-expanded={open === change.id} onClick={() => setOpen(open === change.id ? null : change.id)}>
                  <span className={`badge note-${change.note.replace(' ', '-')}`}>{change.note}</span>
                  <span>{formatTime(change.event_time, timeZone)}</span>
                  <span>{change.operator}</span>
                  <span className="muted">{change.event_type}</span>
                  <span className="muted">{change.ip_address}</span>
                  {change.outcome === 'failed' && <span className="error">failed {change.status_code}</span>}
                </button>
                {open === change.id && (
                  <div className="change-body">
                    {change.outcome === 'failed' && <p className="small">Not applied: {change.error_message || `status ${change.status_code}`}.</p>}
                    {change.diff ? <DiffView diff={change.diff} /> : change.outcome === 'applied' && <p className="muted small">No earlier state in the cache to compare with.</p>}
                    <details>
                      <summary className="small">{change.state_after === null ? 'Deleted: no state after this change' : `State after this change${change.partial ? ' (partial: only what a PATCH sent)' : ''}`}</summary>
                      {change.state_after !== null && (
                        <pre className="json" tabIndex={0} aria-label="State after this change (JSON)">
                          {JSON.stringify(change.state_after, null, 2)}
                        </pre>
                      )}
                    </details>
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function AroundView({ time, minutes, onResource, onMinutes }: { time: number; minutes: number; onResource(id: string): void; onMinutes(m: number): void }) {
  const [around, setAround] = useState<ChangesAround | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const setFilter = useQueryStore((s) => s.setFilter);
  useEffect(() => {
    call('history.around', { time, minutes })
      .then(setAround)
      .catch((e) => setError(errorMessage(e)));
  }, [time, minutes]);

  return (
    <section aria-labelledby="history-title" data-testid="changes-around">
      <h2 id="history-title">
        Changes around {formatTime(time, timeZone)} (±{minutes} min)
      </h2>
      <div className="inline small">
        Window:
        {[5, 15, 30, 60, 240].map((m) => (
          <button key={m} type="button" aria-pressed={m === minutes} onClick={() => onMinutes(m)}>
            ±{m} min
          </button>
        ))}
        <button type="button" onClick={() => setFilter({ around: { time, minutes } })}>
          Show in table
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {around && (
        <>
          <p className="small">
            {around.total} configuration changes, {around.failed} failed, by {around.by_operator.length} operators on {around.by_resource.length} resources.
          </p>
          <div className="around-columns">
            <section aria-label="By resource">
              <h3>By resource</h3>
              <ul className="checks">
                {around.by_resource.map((r) => (
                  <li key={r.resource_id}>
                    <button type="button" className="link" onClick={() => onResource(r.resource_id)}>
                      {r.resource_name || r.resource_id}
                    </button>{' '}
                    <span className="muted small">
                      {r.count} changes by {r.operators.join(', ')}
                      {r.failed ? `, ${r.failed} failed` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-label="By operator">
              <h3>By operator</h3>
              <ul className="checks">
                {around.by_operator.map((o) => (
                  <li key={o.operator_id || o.operator}>
                    <strong>{o.operator}</strong> <span className="muted small">{o.count} changes on {o.resources.length} resources{o.failed ? `, ${o.failed} failed` : ''}</span>
                  </li>
                ))}
              </ul>
            </section>
          </div>
          <h3>In order</h3>
          <ol className="checks">
            {around.changes.map((c) => (
              <li key={c.id}>
                <span className="muted small">{c.offset_seconds >= 0 ? `+${Math.round(c.offset_seconds / 60)}` : Math.round(c.offset_seconds / 60)} min</span> {formatTime(c.event_time, timeZone)} <strong>{c.operator}</strong> {c.event_type}{' '}
                <button type="button" className="link" onClick={() => onResource(c.resource_id)}>
                  {c.resource_name || c.resource_id}
                </button>
                {c.outcome === 'failed' && <span className="error"> failed {c.status_code}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
