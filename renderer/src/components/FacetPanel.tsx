import { useEffect, useState } from 'react';
import type { Output } from '../../../preload/contract';
import { call } from '../api/api';
import { formatCount } from '../lib/format';
import { toggleValue, useQueryStore } from '../state/query-store';

type Facets = Output<'query.facets'>;

const FIELD_TITLES: Record<Facets[number]['field'], string> = {
  operator: 'Operators',
  event_type: 'Event types',
  category: 'Categories',
  ip_address: 'IP addresses',
  resource: 'Resources',
  source: 'Sources',
  status_class: 'Status',
};

const FIELD_TO_FILTER = {
  operator: 'operators',
  event_type: 'eventTypes',
  category: 'categories',
  ip_address: 'ips',
  resource: 'resources',
  source: 'sources',
  status_class: 'statusClasses',
} as const;

/** Top values of each field for the current filter; clicking one adds (or removes) it as a filter. */
export function FacetPanel() {
  const filter = useQueryStore((s) => s.filter);
  const generation = useQueryStore((s) => s.generation);
  const setFilter = useQueryStore((s) => s.setFilter);
  const [facets, setFacets] = useState<Facets | null>(null);

  useEffect(() => {
    let live = true;
    void call('query.facets', { filter, limit: 8 }, { stillWanted: () => live }).then((result) => live && setFacets(result)).catch(() => live && setFacets(null));
    return () => {
      live = false;
    };
  }, [filter, generation]);

  if (!facets) return <aside className="facets" aria-label="Facets" aria-busy="true" />;
  const newest = facets.find((facet) => facet.newest !== undefined)?.newest;
  return (
    <aside className="facets" aria-label="Facets">
      {newest !== undefined && (
        <p className="muted small" data-testid="facets-sampled">
          Counts over the newest {formatCount(newest)} matching records.
        </p>
      )}
      {facets.map((facet) => (
        <section key={facet.field} aria-labelledby={`facet-${facet.field}`}>
          <h3 id={`facet-${facet.field}`}>{FIELD_TITLES[facet.field]}</h3>
          <ul>
            {facet.values.map((value) => {
              const field = FIELD_TO_FILTER[facet.field];
              const active = ((filter[field] as string[] | undefined) ?? []).includes(value.value);
              return (
                <li key={value.value}>
                  <button
                    type="button"
                    className={`facet-value${active ? ' active' : ''}`}
                    aria-pressed={active}
                    disabled={facet.field === 'status_class' && value.value === 'none'}
                    onClick={() => setFilter(toggleValue(filter, field, value.value))}
                    title={value.value}
                  >
                    <span className="facet-label">{value.label}</span>
                    <span className="facet-count">{formatCount(value.count)}</span>
                  </button>
                </li>
              );
            })}
            {facet.values.length === 0 && <li className="muted small">none</li>}
          </ul>
        </section>
      ))}
    </aside>
  );
}
