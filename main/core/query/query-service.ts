import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilterModel, RecordRow, Sort } from '../../../preload/contract';
import { eventType } from '../catalog/catalog';
import { createIpInFunction } from './ip-match';
import { ROW_COLUMNS, toRecordRow, type RawRow } from './row-mapping';
import { buildSqlFilter } from './sql-filter';

/**
 * Every read the review workspace, the CLI and exports make, over one (read-only) connection.
 * Plain data in, plain JSON out; it runs in a worker thread in the app (see query-worker).
 */
export interface QueryServiceOptions {
  now?: () => number;
}

const SORT_COLUMNS: Record<Sort['column'], string> = {
  event_time: 'r.event_time',
  operator_username: 'r.operator_username',
  event_type: 'r.event_type',
  resource_id: 'r.resource_id',
  resource_name: 'r.resource_name',
  ip_address: 'r.ip_address',
  source: 'r.source',
  status_code: 'r.status_code',
  http_method: 'r.http_method',
  token_name: 'r.token_name',
};

export function createQueryService(db: Database.Database, options: QueryServiceOptions = {}) {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  db.function('ip_in', { deterministic: true }, createIpInFunction());
  const statements = new Map<string, Database.Statement>();
  // Filters vary, but a session reuses a handful of shapes: cache the prepared statements by SQL.
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size > 200) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const orderBy = (sort: Sort) => {
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    return `${SORT_COLUMNS[sort.column]} ${direction}, r.seq ${direction}`;
  };

  return {
    /** One block of rows at any position of the sorted result. */
    page(filter: FilterModel, sort: Sort, offset: number, limit: number): RecordRow[] {
      const { where, params } = buildSqlFilter(filter, now());
      // Find the block's keys first on the narrow index, then fetch only those rows' columns.
      const sql = `SELECT ${ROW_COLUMNS} FROM records r WHERE r.seq IN (
          SELECT r.seq FROM records r WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?)
        ORDER BY ${orderBy(sort)}`;
      return (prepare(sql).all(...params, limit, offset) as RawRow[]).map(toRecordRow);
    },

    count(filter: FilterModel): number {
      const { where, params } = buildSqlFilter(filter, now());
      return (prepare(`SELECT count(*) AS n FROM records r WHERE ${where}`).get(...params) as { n: number }).n;
    },

    /** The whole stored entry, its hash and chain link. */
    record(id: string): { row: RecordRow; entry: Record<string, unknown>; sha256: string; chain_hash: string } | null {
      const raw = prepare(`SELECT ${ROW_COLUMNS}, r.canonical, r.sha256, r.chain_hash FROM records r WHERE r.id = ?`).get(id) as
        | (RawRow & { canonical: string; sha256: string; chain_hash: string })
        | undefined;
      if (!raw) return null;
      return { row: toRecordRow(raw), entry: JSON.parse(raw.canonical) as Record<string, unknown>, sha256: raw.sha256, chain_hash: raw.chain_hash };
    },

    /** Top values per field for the current filter (the facet side panel). */
    facets(filter: FilterModel, limit: number) {
      const { where, params } = buildSqlFilter(filter, now());
      const top = (expression: string) =>
        prepare(`SELECT ${expression} AS value, count(*) AS count FROM records r WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?`).all(
          ...params,
          limit,
        ) as { value: string | number; count: number }[];
      const plain = (rows: { value: string | number; count: number }[]) =>
        rows.map((row) => ({ value: String(row.value), label: String(row.value) === '' ? '(none)' : String(row.value), count: row.count }));
      const categories = new Map<string, number>();
      const eventTypes = top('r.event_type');
      for (const row of prepare(`SELECT r.event_type AS value, count(*) AS count FROM records r WHERE ${where} GROUP BY 1`).all(...params) as {
        value: string;
        count: number;
      }[]) {
        const category = eventType(row.value).category;
        categories.set(category, (categories.get(category) ?? 0) + row.count);
      }
      return [
        { field: 'operator' as const, values: plain(top('r.operator_username')) },
        {
          field: 'event_type' as const,
          values: eventTypes.map((row) => ({ value: String(row.value), label: eventType(String(row.value)).name, count: row.count })),
        },
        {
          field: 'category' as const,
          values: [...categories.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, limit)
            .map(([value, count]) => ({ value, label: value, count })),
        },
        { field: 'ip_address' as const, values: plain(top('r.ip_address')) },
        { field: 'resource' as const, values: plain(top("coalesce(nullif(r.resource_name, ''), r.resource_id)")) },
        { field: 'source' as const, values: plain(top('r.source')) },
        {
          field: 'status_class' as const,
          values: plain(top("CASE WHEN r.status_code = 0 THEN 'none' ELSE (r.status_code / 100) || 'xx' END")),
        },
      ];
    },

    /** Counts per time bucket over the filter's span, with how many records in each have findings. */
    histogram(filter: FilterModel, buckets: number) {
      const { where, params } = buildSqlFilter(filter, now());
      const span = prepare(`SELECT min(r.event_time) AS lo, max(r.event_time) AS hi FROM records r WHERE ${where}`).get(...params) as {
        lo: number | null;
        hi: number | null;
      };
      if (span.lo === null || span.hi === null) return { bucketSeconds: 3600, buckets: [] };
      const bucketSeconds = niceBucket(Math.max(1, Math.ceil((span.hi - span.lo + 1) / buckets)));
      const start = Math.floor(span.lo / bucketSeconds) * bucketSeconds;
      // Parameters bind as REAL; the CAST keeps the bucket index whole (integer division).
      const rows = prepare(
        `SELECT CAST((r.event_time - ?) / ? AS INTEGER) AS b, count(*) AS count,
                sum(EXISTS (SELECT 1 FROM finding_records fr JOIN findings f ON f.id = fr.finding_id WHERE fr.record_seq = r.seq AND f.suppressed = 0)) AS findings
           FROM records r WHERE ${where} GROUP BY b ORDER BY b`,
      ).all(start, bucketSeconds, ...params) as { b: number; count: number; findings: number }[];
      return { bucketSeconds, buckets: rows.map((row) => ({ start: start + row.b * bucketSeconds, count: row.count, findings: row.findings })) };
    },

    /** Operator × hour-of-day activity in a time zone (top operators by volume). */
    heatmap(filter: FilterModel, timezone: string, limit: number) {
      const { where, params } = buildSqlFilter(filter, now());
      const offsetOf = hourOffsetFunction(timezone);
      const rows = prepare(
        `SELECT r.operator_username AS operator, r.event_time / 3600 AS hour_bucket, count(*) AS n,
                sum(EXISTS (SELECT 1 FROM finding_records fr JOIN findings f ON f.id = fr.finding_id WHERE fr.record_seq = r.seq AND f.suppressed = 0)) AS flagged
           FROM records r WHERE ${where} AND r.operator_username != '' AND r.operator_username IN (
             SELECT r.operator_username FROM records r WHERE ${where} AND r.operator_username != ''
             GROUP BY 1 ORDER BY count(*) DESC LIMIT ?)
          GROUP BY 1, 2`,
      ).all(...params, ...params, limit) as { operator: string; hour_bucket: number; n: number; flagged: number }[];
      const byOperator = new Map<string, { hours: number[]; findingHours: number[] }>();
      for (const row of rows) {
        const cells = byOperator.get(row.operator) ?? { hours: new Array<number>(24).fill(0), findingHours: new Array<number>(24).fill(0) };
        const hour = offsetOf(row.hour_bucket);
        cells.hours[hour] = (cells.hours[hour] ?? 0) + row.n;
        cells.findingHours[hour] = (cells.findingHours[hour] ?? 0) + row.flagged;
        byOperator.set(row.operator, cells);
      }
      return {
        timezone,
        operators: [...byOperator.entries()]
          .map(([operator, cells]) => ({ operator, ...cells, total: cells.hours.reduce((a, b) => a + b, 0) }))
          .sort((a, b) => b.total - a.total),
      };
    },
  };
}

export type QueryService = ReturnType<typeof createQueryService>;

/** Bucket sizes people read easily: 1/5/15/30 min, 1/3/6/12 h, 1/7 d. */
function niceBucket(seconds: number): number {
  const steps = [60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800];
  return steps.find((s) => s >= seconds) ?? Math.ceil(seconds / 604_800) * 604_800;
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
