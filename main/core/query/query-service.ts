import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilterModel, RecordRow, Sort } from '../../../preload/contract';
import { createIpInFunction } from './ip-match';
import { ROW_COLUMNS, toRecordRow, type RawRow } from './row-mapping';
import { HOUR } from '../cache/summaries';
import { FACET_SAMPLE, readFacets } from './facets';
import { readHeatmap } from './heatmap';
import { readHistogram } from './histogram';
import { withinTime, type QueryContext } from './query-context';
import { buildSqlFilter, ftsQuery, type SqlFilterOptions } from './sql-filter';
import { isAllTime, ONE_ROW_PER_RECORD_FIELD, splitByUnit, summaryScope } from './summary-scope';

/** From this many matches on, a condition counts as common and pages walk the sort order. */
const COMMON_MATCHES = 2000;

/**
 * Every read the review workspace, the CLI and exports make, over one (read-only) connection.
 * Plain data in, plain JSON out; in the app it runs on worker threads (see query-threads.ts).
 */
export interface QueryServiceOptions {
  now?: () => number;
  /**
   * Read counts and side panels from the summary tables where the filter allows (default). Off,
   * everything is counted from the records: the reference the summaries are tested against.
   */
  useSummaries?: boolean;
  /** How many of the newest matches facets count when the summaries cannot answer (tests shrink it). */
  facetSample?: number;
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

  // A quick capped count per indexed condition decides between "read the matches through the
  // condition's index, then sort them" and "walk the sort order, test rows" (see buildSqlFilter).
  const isCommon = (sql: string, params: unknown[]) =>
    (prepare(`SELECT count(*) FROM (SELECT 1 FROM ${sql} LIMIT ${COMMON_MATCHES})`).pluck().get(...params) as number) >= COMMON_MATCHES;
  const probe = (filter: FilterModel): SqlFilterOptions['common'] => {
    const one = (part: FilterModel) => {
      const { where, params } = buildSqlFilter(part, now());
      return isCommon(`records r WHERE ${where}`, params);
    };
    const exactIps = filter.ips?.filter((ip) => !ip.includes('/')) ?? [];
    return {
      text: filter.text?.some((t) => t.trim() !== '') ? isCommon('records_fts WHERE records_fts MATCH ?', [ftsQuery(filter.text!)]) : false,
      status: filter.statusClasses?.length ? one({ statusClasses: filter.statusClasses }) : false,
      // CIDR blocks are tested by a function and never use the index; exact addresses do.
      ip: exactIps.length > 0 && exactIps.length === filter.ips!.length ? one({ ips: exactIps }) : false,
      source: filter.sources?.length ? one({ sources: filter.sources }) : false,
      token: filter.tokenNames?.length ? one({ tokenNames: filter.tokenNames }) : false,
    };
  };
  // Side panels and counts read every match anyway, so they keep every index usable.
  const filterSql = (filter: FilterModel) => buildSqlFilter(filter, now());
  const useSummaries = options.useSummaries ?? true;
  const scopeOf = (filter: FilterModel) => (useSummaries ? summaryScope(filter, now()) : null);
  // Scrolling asks for many blocks of the same filter: probe it once, not once per block. A stale
  // verdict after new records arrive can only pick a slower plan, never different rows.
  const probes = new Map<string, SqlFilterOptions['common']>();
  const probeOnce = (filter: FilterModel) => {
    const key = JSON.stringify(filter);
    let common = probes.get(key);
    if (!common) {
      if (probes.size > 100) probes.clear();
      common = probe(filter);
      probes.set(key, common);
    }
    return common;
  };
  const pageFilterSql = (filter: FilterModel) => buildSqlFilter(filter, now(), { common: probeOnce(filter) });
  const ctx: QueryContext = { prepare, now, filterSql, pageFilterSql, scopeOf, facetSample: options.facetSample ?? FACET_SAMPLE };

  const orderBy = (sort: Sort) => {
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    return `${SORT_COLUMNS[sort.column]} ${direction}, r.seq ${direction}`;
  };

  return {
    /** One block of rows at any position of the sorted result. */
    page(filter: FilterModel, sort: Sort, offset: number, limit: number): RecordRow[] {
      const { where, params } = pageFilterSql(filter);
      // Find the block's keys first on the narrow index, then fetch only those rows' columns.
      const sql = `SELECT ${ROW_COLUMNS} FROM records r WHERE r.seq IN (
          SELECT r.seq FROM records r WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?)
        ORDER BY ${orderBy(sort)}`;
      return (prepare(sql).all(...params, limit, offset) as RawRow[]).map(toRecordRow);
    },

    count(filter: FilterModel): number {
      const sql = filterSql(filter);
      const countRecords = (where: string, params: unknown[]) => (prepare(`SELECT count(*) AS n FROM records r WHERE ${where}`).get(...params) as { n: number }).n;
      const scope = scopeOf(filter);
      const onlyText = Object.entries(filter).every(([key, value]) => key === 'text' || value === undefined || (Array.isArray(value) && value.length === 0));
      if (onlyText && filter.text?.some((t) => t.trim() !== '')) {
        return prepare('SELECT count(*) FROM records_fts WHERE records_fts MATCH ?').pluck().get(ftsQuery(filter.text!)) as number;
      }
      if (!scope) return countRecords(sql.where, sql.params);
      if (isAllTime(scope)) {
        return prepare(`SELECT coalesce(sum(s.count), 0) FROM facet_totals s WHERE s.field = ? AND ${scope.where}`)
          .pluck()
          .get(ONE_ROW_PER_RECORD_FIELD, ...scope.params) as number;
      }
      // Whole hours from the summary, the partial hours at the ends from the records.
      const hours = splitByUnit(scope.lo, scope.hi, HOUR);
      let n = 0;
      if (hours.units) {
        n += (prepare(`SELECT coalesce(sum(s.count), 0) FROM activity_hours s WHERE s.hour BETWEEN ? AND ? AND ${scope.where}`)
          .pluck()
          .get(hours.units[0], hours.units[1], ...scope.params) as number);
      }
      for (const [a, b] of hours.edges) {
        const edge = withinTime(sql, a, b);
        n += countRecords(edge.where, edge.params);
      }
      return n;
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
    facets: (filter: FilterModel, limit: number) => readFacets(ctx, filter, limit),

    /** Counts per time bucket over the filter's span, with how many records in each have findings. */
    histogram: (filter: FilterModel, buckets: number) => readHistogram(ctx, filter, buckets),

    /** Operator × hour-of-day activity in a time zone (top operators by volume). */
    heatmap: (filter: FilterModel, timezone: string, limit: number) => readHeatmap(ctx, filter, timezone, limit),
  };
}

export type QueryService = ReturnType<typeof createQueryService>;

