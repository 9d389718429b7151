import type { FilterModel } from '../../../preload/contract';
import { HOUR } from '../cache/summaries';
import { FLAGGED_RECORDS, withinTime, type QueryContext } from './query-context';
import type { SqlFilter } from './sql-filter';
import { splitByUnit, type SummaryScope } from './summary-scope';


/**
 * Counts per time bucket over the filter's span, with how many records in each have findings.
 * Buckets of whole hours come from activity_hours (plus the partial hours at the ends) when the
 * filter allows it; shorter spans are cheap to count from the event_time index directly.
 */
export function readHistogram(ctx: QueryContext, filter: FilterModel, buckets: number) {
  // Only the time of each match is needed: for common full-text terms, walking the (covering)
  // event_time index and testing each row beats looking every match up in the table.
  const sql = filter.text?.length ? ctx.pageFilterSql(filter) : ctx.filterSql(filter);
  const scope = ctx.scopeOf(filter);
  const span = scope ? summarySpan(ctx, scope, sql) : recordSpan(ctx, sql);
  if (!span) return { bucketSeconds: 3600, buckets: [] };
  const bucketSeconds = niceBucket(Math.max(1, Math.ceil((span.hi - span.lo + 1) / buckets)));
  const start = Math.floor(span.lo / bucketSeconds) * bucketSeconds;
  const counts = new Map<number, number>();
  const add = (rows: Array<[number, number]>) => {
    for (const [bucket, n] of rows) counts.set(bucket, (counts.get(bucket) ?? 0) + n);
  };
  // Parameters bind as REAL; the CAST keeps the bucket index whole (integer division).
  const recordBuckets = (where: string, params: unknown[]) =>
    ctx.prepare(`SELECT CAST((r.event_time - ?) / ? AS INTEGER) AS b, count(*) FROM records r WHERE ${where} GROUP BY b`).raw().all(start, bucketSeconds, ...params) as Array<[number, number]>;

  if (scope && bucketSeconds % HOUR === 0) {
    const hours = splitByUnit(scope.lo, scope.hi, HOUR);
    if (hours.units) {
      add(
        ctx
          .prepare(`SELECT CAST((s.hour * 3600 - ?) / ? AS INTEGER) AS b, sum(s.count) FROM activity_hours s WHERE s.hour BETWEEN ? AND ? AND ${scope.where} GROUP BY b`)
          .raw()
          .all(start, bucketSeconds, hours.units[0], hours.units[1], ...scope.params) as Array<[number, number]>,
      );
    }
    for (const [a, b] of hours.edges) {
      const edge = withinTime(sql, a, b);
      add(recordBuckets(edge.where, edge.params));
    }
  } else {
    add(recordBuckets(sql.where, sql.params));
  }
  const flagged = new Map(recordBuckets(`${FLAGGED_RECORDS} AND (${sql.where})`, sql.params));
  return {
    bucketSeconds,
    buckets: [...counts.entries()]
      .filter(([, count]) => count > 0)
      .sort((a, b) => a[0] - b[0])
      .map(([bucket, count]) => ({ start: start + bucket * bucketSeconds, count, findings: flagged.get(bucket) ?? 0 })),
  };
}

function recordSpan(ctx: QueryContext, sql: SqlFilter): { lo: number; hi: number } | null {
  const span = ctx.prepare(`SELECT min(r.event_time) AS lo, max(r.event_time) AS hi FROM records r WHERE ${sql.where}`).get(...sql.params) as {
    lo: number | null;
    hi: number | null;
  };
  return span.lo === null || span.hi === null ? null : { lo: span.lo, hi: span.hi };
}

/** The exact first and last event time, found through the summaries instead of a full scan. */
function summarySpan(ctx: QueryContext, scope: SummaryScope, sql: SqlFilter): { lo: number; hi: number } | null {
  const hours = splitByUnit(scope.lo, scope.hi, HOUR);
  const ranges: Array<[number, number]> = [...hours.edges];
  if (hours.units) {
    const found = ctx
      .prepare(`SELECT min(s.hour), max(s.hour) FROM activity_hours s WHERE s.hour BETWEEN ? AND ? AND s.count > 0 AND ${scope.where}`)
      .raw()
      .get(hours.units[0], hours.units[1], ...scope.params) as [number | null, number | null];
    if (found[0] !== null && found[1] !== null) ranges.push([found[0] * HOUR, found[0] * HOUR + HOUR - 1], [found[1] * HOUR, found[1] * HOUR + HOUR - 1]);
  }
  let lo: number | null = null;
  let hi: number | null = null;
  for (const [a, b] of ranges) {
    const span = recordSpan(ctx, { ...sql, ...withinTime(sql, a, b) });
    if (!span) continue;
    lo = lo === null ? span.lo : Math.min(lo, span.lo);
    hi = hi === null ? span.hi : Math.max(hi, span.hi);
  }
  return lo === null || hi === null ? null : { lo, hi };
}

/** Bucket sizes people read easily: 1/5/15/30 min, 1/3/6/12 h, 1/7 d. */
function niceBucket(seconds: number): number {
  const steps = [60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800];
  return steps.find((s) => s >= seconds) ?? Math.ceil(seconds / 604_800) * 604_800;
}
