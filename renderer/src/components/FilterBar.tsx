import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FilterModel } from '../../../preload/contract';
import { call } from '../api/api';
import { useQueryStore } from '../state/query-store';

/**
 * The filter as text (the filter language) and as chips — two views of one model. Typing and
 * pressing Enter parses the text; removing a chip rewrites the text.
 */
export function FilterBar({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  const filter = useQueryStore((s) => s.filter);
  const setFilter = useQueryStore((s) => s.setFilter);
  const [text, setText] = useState('');
  const [error, setError] = useState<{ message: string; position: number } | null>(null);
  const lastApplied = useRef<string>('');

  useEffect(() => {
    let live = true;
    void call('query.formatFilter', { filter }).then(({ text: formatted }) => {
      if (!live) return;
      lastApplied.current = formatted;
      setText(formatted);
    });
    return () => {
      live = false;
    };
  }, [filter]);

  const apply = async (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = await call('query.parseFilter', { text });
    if (!parsed.ok) {
      setError({ message: parsed.message, position: parsed.position });
      return;
    }
    setError(null);
    setFilter(parsed.filter);
  };

  const chips = chipsOf(filter);
  return (
    <div className="filter-bar">
      <form onSubmit={apply} role="search" aria-label="Filter records">
        <input
          ref={inputRef}
          className={error ? 'invalid' : ''}
          aria-label="Filter (e.g. operator:jdoe event:Delete* status:4xx after:2026-10-01 &quot;payments&quot;)"
          aria-invalid={error !== null}
          aria-describedby={error ? 'filter-error' : undefined}
          placeholder='Filter: operator:jdoe event:Delete* ip:203.0.113.0/24 status:4xx last:7d "payments"'
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          data-testid="filter-input"
        />
        <button type="submit">Apply</button>
        {Object.keys(filter).length > 0 && (
          <button type="button" onClick={() => setFilter({})}>
            Clear
          </button>
        )}
      </form>
      {error && (
        <p id="filter-error" className="error" role="alert">
          {error.message} (at character {error.position + 1})
        </p>
      )}
      {chips.length > 0 && (
        <ul className="chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.key} className="chip">
              <span>{chip.label}</span>
              <button type="button" aria-label={`Remove filter ${chip.label}`} onClick={() => setFilter(chip.remove(filter))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface Chip {
  key: string;
  label: string;
  remove(filter: FilterModel): FilterModel;
}

const LIST_FIELDS: { field: keyof FilterModel; label: string }[] = [
  { field: 'operators', label: 'operator' },
  { field: 'eventTypes', label: 'event' },
  { field: 'categories', label: 'category' },
  { field: 'resources', label: 'resource' },
  { field: 'ips', label: 'ip' },
  { field: 'sources', label: 'source' },
  { field: 'tokenNames', label: 'token' },
  { field: 'methods', label: 'method' },
  { field: 'statusClasses', label: 'status' },
  { field: 'severities', label: 'severity' },
  { field: 'findingIds', label: 'finding' },
  { field: 'tags', label: 'tag' },
  { field: 'reviewStatuses', label: 'review' },
  { field: 'annotatedBy', label: 'annotated by' },
  { field: 'text', label: 'text' },
];

function without(filter: FilterModel, field: keyof FilterModel, value?: string): FilterModel {
  const copy = { ...filter } as Record<string, unknown>;
  if (value === undefined) {
    delete copy[field];
  } else {
    const rest = ((copy[field] as string[]) ?? []).filter((v) => v !== value);
    if (rest.length) copy[field] = rest;
    else delete copy[field];
  }
  return copy as FilterModel;
}

export function chipsOf(filter: FilterModel): Chip[] {
  const chips: Chip[] = [];
  if (filter.relative) chips.push({ key: 'relative', label: `last ${filter.relative}`, remove: (f) => without(f, 'relative') });
  if (filter.from !== undefined) chips.push({ key: 'from', label: `after ${new Date(filter.from * 1000).toISOString().slice(0, 16)}Z`, remove: (f) => without(f, 'from') });
  if (filter.to !== undefined) chips.push({ key: 'to', label: `before ${new Date((filter.to + 1) * 1000).toISOString().slice(0, 16)}Z`, remove: (f) => without(f, 'to') });
  if (filter.around) {
    const around = filter.around;
    chips.push({ key: 'around', label: `around ${new Date(around.time * 1000).toISOString().slice(0, 16)}Z ±${around.minutes} min`, remove: (f) => without(f, 'around') });
  }
  for (const { field, label } of LIST_FIELDS) {
    for (const value of (filter[field] as string[] | undefined) ?? []) {
      chips.push({ key: `${field}:${value}`, label: `${label}: ${value}`, remove: (f) => without(f, field, value) });
    }
  }
  for (const [field, values] of Object.entries(filter.not ?? {})) {
    for (const value of values ?? []) {
      chips.push({
        key: `not:${field}:${value}`,
        label: `not ${field}: ${value}`,
        remove: (f) => {
          const not = { ...(f.not ?? {}) } as Record<string, string[]>;
          not[field] = (not[field] ?? []).filter((v) => v !== value);
          if (not[field]!.length === 0) delete not[field];
          const { not: _previous, ...rest } = f;
          return Object.keys(not).length === 0 ? rest : { ...rest, not };
        },
      });
    }
  }
  if (filter.hasError !== undefined) chips.push({ key: 'hasError', label: filter.hasError ? 'failed only' : 'successful only', remove: (f) => without(f, 'hasError') });
  if (filter.hasFinding !== undefined) chips.push({ key: 'hasFinding', label: filter.hasFinding ? 'with findings' : 'without findings', remove: (f) => without(f, 'hasFinding') });
  if (filter.hasComment) chips.push({ key: 'hasComment', label: 'with comments', remove: (f) => without(f, 'hasComment') });
  return chips;
}
