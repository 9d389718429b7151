import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilterModel } from '../../../preload/contract';
import type { SqlFilter } from './sql-filter';
import type { SummaryScope } from './summary-scope';

/** What the side-panel readers share with the query service: its statement cache, clock and filter SQL. */
export interface QueryContext {
  prepare(sql: string): Database.Statement;
  now(): number;
  /** buildSqlFilter with the full-text strategy already chosen for this filter. */
  filterSql(filter: FilterModel): SqlFilter;
  /** The same, planned for reading in time order and stopping early (see SqlFilterOptions.common). */
  pageFilterSql(filter: FilterModel): SqlFilter;
  /** See FACET_SAMPLE. */
  facetSample: number;
  /** The summary scope of a filter, or null when the records must be read (see summary-scope.ts). */
  scopeOf(filter: FilterModel): SummaryScope | null;
}

/** `WHERE`-ready condition for records in [lo, hi] on top of a filter's own. */
export function withinTime(sql: SqlFilter, lo: number, hi: number): { where: string; params: unknown[] } {
  return { where: `(${sql.where}) AND r.event_time BETWEEN ? AND ?`, params: [...sql.params, lo, hi] };
}

/** Records that carry a finding that is not suppressed (a short list, even at a million records). */
export const FLAGGED_RECORDS = 'r.seq IN (SELECT fr.record_seq FROM finding_records fr JOIN findings f ON f.id = fr.finding_id WHERE f.suppressed = 0)';
