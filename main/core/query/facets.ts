import type { z } from 'zod';
import type { FilterModel } from '../../../preload/contract';
import type { facetSchema } from '../../../preload/contract/query';
import { eventType } from '../catalog/catalog';
import { DAILY_FACET_FIELDS, DAY, HOUR, resourceOf, statusClassOf, type DailyFacetField } from '../cache/summaries';
import { withinTime, type QueryContext } from './query-context';
import { isAllTime, ONE_ROW_PER_RECORD_FIELD, splitByUnit } from './summary-scope';

type CountedField = 'operator' | 'event_type' | DailyFacetField;
type Counts = Record<CountedField, Map<string, number>>;

const FACET_COLUMNS = 'r.event_time, r.operator_username, r.event_type, r.ip_address, r.resource_name, r.resource_id, r.source, r.status_code';
type FacetRow = [number, string, string, string, string, string, string, number];

/**
 * Filters the summaries cannot answer are counted over at most this many of the newest matching
 * records (and the facets say so): reading every match of a broad filter costs seconds per 100k.
 */
export const FACET_SAMPLE = 50_000;

/** Values whose summary counts are looked up per statement (bounded parameter size). */
const LOOKUP_CHUNK = 500;

/**
 * Top values per field for the current filter (the facet side panel). From the summary tables plus
 * the partial hours/days at the ends of the range when the filter allows it, otherwise in ONE pass
 * over the matching records (not one query per field).
 */
export function readFacets(ctx: QueryContext, filter: FilterModel, limit: number) {
  const scope = ctx.scopeOf(filter);
  const counts = emptyCounts();

  if (!scope) {
    // Newest first, planned like a page (common conditions walk the time index), so a bounded
    // read stops early instead of collecting every match first.
    const sql = ctx.pageFilterSql(filter);
    const rows = ctx
      .prepare(`SELECT ${FACET_COLUMNS} FROM records r WHERE ${sql.where} ORDER BY r.event_time DESC, r.seq DESC LIMIT ?`)
      .raw()
      .all(...sql.params, ctx.facetSample) as FacetRow[];
    countRows(rows, counts, () => true);
    const facets = facetsFrom(counts, limit);
    return rows.length < ctx.facetSample ? facets : facets.map((facet) => ({ ...facet, newest: ctx.facetSample }));
  }
  const sql = ctx.filterSql(filter);

  if (isAllTime(scope)) {
    const totals = (column: string, field: string) =>
      ctx
        .prepare(`SELECT ${column} AS value, sum(s.count) AS count FROM facet_totals s JOIN record_operators o ON o.id = s.op WHERE s.field = ? AND ${scope.where} GROUP BY 1`)
        .raw()
        .all(field, ...scope.params) as Array<[string, number]>;
    addAll(counts.operator, totals('o.username', ONE_ROW_PER_RECORD_FIELD));
    addAll(counts.event_type, totals('s.event_type', ONE_ROW_PER_RECORD_FIELD));
    for (const field of DAILY_FACET_FIELDS) {
      addAll(
        counts[field],
        ctx
          .prepare(`SELECT s.value, sum(s.count) FROM facet_totals s WHERE s.field = ? AND ${scope.where} GROUP BY s.value ORDER BY 2 DESC, 1 LIMIT ?`)
          .raw()
          .all(field, ...scope.params, limit) as Array<[string, number]>,
      );
    }
    return facetsFrom(counts, limit);
  }

  const hours = splitByUnit(scope.lo, scope.hi, HOUR);
  const days = splitByUnit(scope.lo, scope.hi, DAY);
  // Day edges always contain the hour edges, so one pass over them serves both kinds of field.
  const inHourEdge = (time: number) => hours.edges.some(([a, b]) => time >= a && time <= b);
  for (const [a, b] of days.edges) {
    const edge = withinTime(sql, a, b);
    countRows(ctx.prepare(`SELECT ${FACET_COLUMNS} FROM records r WHERE ${edge.where}`).raw().iterate(...edge.params) as Iterable<FacetRow>, counts, inHourEdge);
  }

  if (hours.units) {
    const byHour = (column: string) =>
      ctx
        .prepare(
          `SELECT ${column} AS value, sum(s.count) AS count FROM activity_hours s JOIN record_operators o ON o.id = s.op
            WHERE s.hour BETWEEN ? AND ? AND ${scope.where} GROUP BY 1`,
        )
        .raw()
        .all(hours.units![0], hours.units![1], ...scope.params) as Array<[string, number]>;
    addAll(counts.operator, byHour('o.username'));
    addAll(counts.event_type, byHour('s.event_type'));
  }

  if (days.units) {
    const [firstDay, lastDay] = days.units;
    for (const field of DAILY_FACET_FIELDS) {
      const base = `FROM facet_days s WHERE s.field = ? AND s.day BETWEEN ? AND ? AND ${scope.where}`;
      const params = [field, firstDay, lastDay, ...scope.params];
      const summed = new Map<string, number>(
        ctx.prepare(`SELECT s.value, sum(s.count) ${base} GROUP BY s.value ORDER BY 2 DESC, 1 LIMIT ?`).raw().all(...params, limit) as Array<[string, number]>,
      );
      // A value outside the summary's top list can still make the top once the edges' counts are
      // added, but only if it occurs in an edge: look those up too, so the result stays exact.
      const missing = [...counts[field].keys()].filter((value) => !summed.has(value));
      for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
        const chunk = JSON.stringify(missing.slice(i, i + LOOKUP_CHUNK));
        for (const [value, count] of ctx
          .prepare(`SELECT s.value, sum(s.count) ${base} AND s.value IN (SELECT value FROM json_each(?)) GROUP BY s.value`)
          .raw()
          .all(...params, chunk) as Array<[string, number]>) {
          summed.set(value, count);
        }
      }
      addAll(counts[field], [...summed.entries()]);
    }
  }
  return facetsFrom(counts, limit);
}

function emptyCounts(): Counts {
  return { operator: new Map(), event_type: new Map(), ip_address: new Map(), resource: new Map(), source: new Map(), status_class: new Map() };
}

function bump(map: Map<string, number>, value: string, by = 1): void {
  map.set(value, (map.get(value) ?? 0) + by);
}

function addAll(map: Map<string, number>, rows: Iterable<[string, number]>): void {
  for (const [value, count] of rows) bump(map, value, count);
}

/** Counts every field of each row; operator and event type only where `hourFields(time)` says so. */
function countRows(rows: Iterable<FacetRow>, counts: Counts, hourFields: (time: number) => boolean): void {
  for (const [time, operator, type, ip, resourceName, resourceId, source, status] of rows) {
    if (hourFields(time)) {
      bump(counts.operator, operator);
      bump(counts.event_type, type);
    }
    bump(counts.ip_address, ip);
    bump(counts.resource, resourceOf(resourceName, resourceId));
    bump(counts.source, source);
    bump(counts.status_class, statusClassOf(status));
  }
}

/** Most frequent first; equal counts by value, as SQL's `ORDER BY count DESC, value` would. */
function top(map: Map<string, number>, limit: number): Array<[string, number]> {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
}

function facetsFrom(counts: Counts, limit: number): Array<z.infer<typeof facetSchema>> {
  const plain = (map: Map<string, number>) => top(map, limit).map(([value, count]) => ({ value, label: value === '' ? '(none)' : value, count }));
  const categories = new Map<string, number>();
  for (const [type, count] of counts.event_type) bump(categories, eventType(type).category, count);
  return [
    { field: 'operator', values: plain(counts.operator) },
    { field: 'event_type', values: top(counts.event_type, limit).map(([value, count]) => ({ value, label: eventType(value).name, count })) },
    { field: 'category', values: top(categories, limit).map(([value, count]) => ({ value, label: value, count })) },
    { field: 'ip_address', values: plain(counts.ip_address) },
    { field: 'resource', values: plain(counts.resource) },
    { field: 'source', values: plain(counts.source) },
    { field: 'status_class', values: plain(counts.status_class) },
  ];
}
