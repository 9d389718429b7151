import { useEffect, useState } from 'react';
import type { Output } from '../../../preload/contract';
import { call } from '../api/api';
import { usePrefsStore } from '../state/prefs-store';
import { toggleValue, useQueryStore } from '../state/query-store';

type HeatmapData = Output<'query.heatmap'>;

/** Operator × hour-of-day activity (in the chosen time zone): unusual hours stand out at a glance. */
export function Heatmap() {
  const filter = useQueryStore((s) => s.filter);
  const generation = useQueryStore((s) => s.generation);
  const setFilter = useQueryStore((s) => s.setFilter);
  const timeZoneMode = usePrefsStore((s) => s.timeZone);
  const timezone = timeZoneMode === 'utc' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [data, setData] = useState<HeatmapData | null>(null);

  useEffect(() => {
    let live = true;
    void call('query.heatmap', { filter, timezone, limit: 20 }, { stillWanted: () => live })
      .then((d) => live && setData(d))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [filter, generation, timezone]);

  if (!data) return <div className="heatmap" aria-busy="true" />;
  const max = Math.max(1, ...data.operators.flatMap((o) => o.hours));
  return (
    <div className="heatmap">
      <table aria-label={`Activity by operator and hour (${data.timezone})`}>
        <thead>
          <tr>
            <th scope="col">Operator</th>
            {Array.from({ length: 24 }, (_, h) => (
              <th key={h} scope="col">
                {String(h).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.operators.map((o) => (
            <tr key={o.operator}>
              <th scope="row">
                <button type="button" className="link" onClick={() => setFilter(toggleValue(filter, 'operators', o.operator))}>
                  {o.operator}
                </button>
              </th>
              {o.hours.map((n, h) => {
                const flagged = o.findingHours[h] ?? 0;
                return (
                  <td
                    key={h}
                    title={`${o.operator}, ${String(h).padStart(2, '0')}:00: ${n} records${flagged ? `, ${flagged} in findings` : ''}`}
                    className={`heat${flagged ? ' flagged' : ''}`}
                  >
                    <span className="heat-fill" style={{ opacity: n === 0 ? 0.08 : 0.25 + 0.75 * (n / max) }} />
                    <span className="visually-hidden">
                      {n}
                      {flagged ? `, ${flagged} in findings` : ''}
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Hours in {data.timezone}. Outlined cells hold records of findings. Click an operator to filter.</p>
    </div>
  );
}
