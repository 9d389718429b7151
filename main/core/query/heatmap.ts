import type { FilterModel } from '../../../preload/contract';
import { HOUR } from '../cache/summaries';
import { FLAGGED_RECORDS, withinTime, type QueryContext } from './query-context';
import { splitByUnit } from './summary-scope';


/** Operator × hour-of-day activity in a time zone (top operators by volume). */
export function readHeatmap(ctx: QueryContext, filter: FilterModel, timezone: string, limit: number) {
  const sql = ctx.filterSql(filter);
  const scope = ctx.scopeOf(filter);
  // (operator, absolute hour bucket) → records; summed from activity_hours where the filter allows.
  const cells = new Map<string, Map<number, number>>();
  const add = (rows: Array<[string, number, number]>) => {
    for (const [operator, hour, n] of rows) {
      const byHour = cells.get(operator) ?? new Map<number, number>();
      byHour.set(hour, (byHour.get(hour) ?? 0) + n);
      cells.set(operator, byHour);
    }
  };
  const fromRecords = (where: string, params: unknown[]) =>
    ctx
      .prepare(`SELECT r.operator_username, r.event_time / 3600, count(*) FROM records r WHERE ${where} AND r.operator_username != '' GROUP BY 1, 2`)
      .raw()
      .all(...params) as Array<[string, number, number]>;

  if (scope) {
    const hours = splitByUnit(scope.lo, scope.hi, HOUR);
    if (hours.units) {
      // Grouped in the table's own (hour, op) order, named afterwards: no sort over every row.
      const names = new Map(ctx.prepare("SELECT id, username FROM record_operators WHERE username != ''").raw().all() as Array<[number, string]>);
      const rows = ctx
        .prepare(`SELECT s.hour, s.op, sum(s.count) FROM activity_hours s WHERE s.hour BETWEEN ? AND ? AND ${scope.where} GROUP BY s.hour, s.op`)
        .raw()
        .all(hours.units[0], hours.units[1], ...scope.params) as Array<[number, number, number]>;
      add(rows.flatMap(([hour, op, n]) => (names.has(op) ? [[names.get(op)!, hour, n] as [string, number, number]] : [])));
    }
    for (const [a, b] of hours.edges) {
      const edge = withinTime(sql, a, b);
      add(fromRecords(edge.where, edge.params));
    }
  } else {
    add(fromRecords(`(${sql.where})`, sql.params));
  }

  const totals = [...cells.entries()].map(([operator, byHour]) => ({ operator, byHour, total: [...byHour.values()].reduce((a, b) => a + b, 0) }));
  const chosen = totals.sort((a, b) => b.total - a.total || (a.operator < b.operator ? -1 : 1)).slice(0, limit);
  const flagged = new Map<string, Map<number, number>>();
  for (const [operator, hour, n] of fromRecords(`${FLAGGED_RECORDS} AND (${sql.where})`, sql.params)) {
    const byHour = flagged.get(operator) ?? new Map<number, number>();
    byHour.set(hour, n);
    flagged.set(operator, byHour);
  }

  const hourOfDay = hourOffsetFunction(timezone);
  return {
    timezone,
    operators: chosen.map(({ operator, byHour, total }) => {
      const hours = new Array<number>(24).fill(0);
      const findingHours = new Array<number>(24).fill(0);
      for (const [bucket, n] of byHour) hours[hourOfDay(bucket)]! += n;
      for (const [bucket, n] of flagged.get(operator) ?? []) findingHours[hourOfDay(bucket)]! += n;
      return { operator, hours, findingHours, total };
    }),
  };
}

/** Maps an absolute hour bucket (Unix seconds / 3600) to the hour of day in `timezone`. */
function hourOffsetFunction(timezone: string): (hourBucket: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23' });
  } catch {
    format = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', hourCycle: 'h23' });
  }
  const cache = new Map<number, number>();
  return (hourBucket) => {
    let hour = cache.get(hourBucket);
    if (hour === undefined) {
      hour = Number(format.format(new Date(hourBucket * 3_600_000))) % 24;
      cache.set(hourBucket, hour);
    }
    return hour;
  };
}
