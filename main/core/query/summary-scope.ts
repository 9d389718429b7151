import type { FilterModel } from '../../../preload/contract';
import { DAY } from '../cache/summaries';
import { categoryEventTypes, eventTypeMatch, operatorMatch, timeBounds } from './sql-filter';

/**
 * When can the side panels read the summary tables (cache/summaries.ts) instead of the records?
 * When the filter is made only of a time range, operators and event types/categories — what the
 * workspace shows on opening and what people narrow by first. Anything else (an IP, a status,
 * full text, annotations…) is not summarised and goes to the records.
 */
export interface SummaryScope {
  /** Inclusive time bounds in Unix seconds (very wide when the filter has none). */
  lo: number;
  hi: number;
  /** Conditions over a summary table aliased `s` (columns op, event_type), with parameters. */
  where: string;
  params: unknown[];
}

/** Stands for "no bound": whole days far outside any real event time (also ms-scaled ones). */
const UNBOUNDED = 1e9 * DAY;

const SUMMARISED_KEYS = new Set(['from', 'to', 'relative', 'around', 'operators', 'eventTypes', 'categories', 'not']);
const SUMMARISED_NOT_KEYS = new Set(['operators', 'eventTypes']);

export function summaryScope(filter: FilterModel, now: number): SummaryScope | null {
  for (const [key, value] of Object.entries(filter)) {
    if (isEmpty(value)) continue;
    if (!SUMMARISED_KEYS.has(key)) return null;
  }
  for (const [key, value] of Object.entries(filter.not ?? {})) {
    if (!isEmpty(value) && !SUMMARISED_NOT_KEYS.has(key)) return null;
  }

  const bounds = timeBounds(filter, now);
  const lo = bounds.lo ?? -UNBOUNDED;
  const hi = bounds.hi ?? UNBOUNDED - 1;

  const clauses: string[] = [];
  const params: unknown[] = [];
  const operatorsNamed = (names: string[]) => {
    const match = operatorMatch(names, 'o.operator_id', 'o.username', 'o.email');
    params.push(...match.params);
    return `(SELECT o.id FROM record_operators o WHERE ${match.sql})`;
  };
  if (filter.operators?.length) clauses.push(`s.op IN ${operatorsNamed(filter.operators)}`);
  if (filter.not?.operators?.length) clauses.push(`s.op NOT IN ${operatorsNamed(filter.not.operators)}`);
  if (filter.eventTypes?.length) {
    const match = eventTypeMatch(filter.eventTypes, 's.event_type');
    clauses.push(match.sql);
    params.push(...match.params);
  }
  if (filter.not?.eventTypes?.length) {
    const match = eventTypeMatch(filter.not.eventTypes, 's.event_type');
    clauses.push(`NOT ${match.sql}`);
    params.push(...match.params);
  }
  if (filter.categories?.length) {
    const keys = categoryEventTypes(filter.categories);
    if (keys.length === 0) clauses.push('0');
    else {
      clauses.push(`s.event_type IN (${keys.map(() => '?').join(',')})`);
      params.push(...keys);
    }
  }
  return { lo, hi, where: clauses.length ? clauses.join(' AND ') : '1', params };
}

/** No time bound at all: facet_totals answers without summing days. */
export function isAllTime(scope: SummaryScope): boolean {
  return scope.lo === -UNBOUNDED && scope.hi === UNBOUNDED - 1;
}

export { ONE_ROW_PER_RECORD_FIELD } from '../cache/summaries';

function isEmpty(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

/**
 * Splits [lo, hi] into the whole units (hours or days) a summary table covers and the partial
 * stretches at either end that must be read from the records.
 */
export interface SummarySplit {
  /** First and last whole unit number (Unix seconds / unit), or null when there is none. */
  units: [number, number] | null;
  /** Inclusive time ranges left over at the ends. */
  edges: Array<[number, number]>;
}

export function splitByUnit(lo: number, hi: number, unit: number): SummarySplit {
  const first = Math.ceil(lo / unit);
  const last = Math.floor((hi + 1) / unit) - 1;
  if (first > last) return { units: null, edges: lo <= hi ? [[lo, hi]] : [] };
  const edges: Array<[number, number]> = [];
  if (lo < first * unit) edges.push([lo, first * unit - 1]);
  if (hi > (last + 1) * unit - 1) edges.push([(last + 1) * unit, hi]);
  return { units: [first, last], edges };
}
