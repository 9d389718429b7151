import type { FilterModel } from '../../../preload/contract';
import { listEventTypes } from '../catalog/catalog';

/**
 * Turns the filter model into a WHERE clause over `records r` with bound parameters only: no
 * value from a user ever becomes SQL text. Column names come from this file alone.
 */
export interface SqlFilter {
  where: string;
  params: unknown[];
  /** True when full-text search is part of the filter (the FTS join is needed). */
  usesFts: boolean;
}

const RELATIVE_SECONDS: Record<NonNullable<FilterModel['relative']>, number> = {
  '1h': 3600,
  '24h': 86_400,
  '7d': 7 * 86_400,
  '30d': 30 * 86_400,
  '90d': 90 * 86_400,
};

/**
 * The filter's time range as inclusive bounds (undefined = open): `relative` wins over from/to, and
 * `around` narrows whatever else is set. One definition for the SQL and the summaries alike.
 */
export function timeBounds(filter: FilterModel, now: number): { lo?: number; hi?: number } {
  let lo: number | undefined;
  let hi: number | undefined;
  if (filter.relative) lo = now - RELATIVE_SECONDS[filter.relative];
  else {
    lo = filter.from;
    hi = filter.to;
  }
  if (filter.around) {
    const start = filter.around.time - filter.around.minutes * 60;
    const end = filter.around.time + filter.around.minutes * 60;
    lo = lo === undefined ? start : Math.max(lo, start);
    hi = hi === undefined ? end : Math.min(hi, end);
  }
  return { ...(lo !== undefined ? { lo } : {}), ...(hi !== undefined ? { hi } : {}) };
}

export interface SqlFilterOptions {
  /**
   * Conditions that match many records (query-service probes them with a capped count). For those,
   * a page is found fastest by walking the sort order's index and testing rows until it is full;
   * a unary `+` keeps SQLite from choosing the condition's own index, which would read every match
   * and sort them all. Rare matches are cheaper the other way round, so they keep their index.
   */
  common?: Partial<Record<ProbedCondition, boolean>>;
}

/** Conditions with an index of their own whose selectivity decides the plan (see `common`). */
export type ProbedCondition = 'text' | 'status' | 'ip' | 'source' | 'token';

export function buildSqlFilter(filter: FilterModel, now: number, options: SqlFilterOptions = {}): SqlFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const plus = (condition: ProbedCondition) => (options.common?.[condition] ? '+' : '');
  const inList = (column: string, values: string[], negate = false) => {
    clauses.push(`${column} ${negate ? 'NOT IN' : 'IN'} (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };

  const { lo, hi } = timeBounds(filter, now);
  if (lo !== undefined) {
    clauses.push('r.event_time >= ?');
    params.push(lo);
  }
  if (hi !== undefined) {
    clauses.push('r.event_time <= ?');
    params.push(hi);
  }

  if (filter.operators?.length) {
    // An operator may be named by id, username or email. The names are first resolved to the
    // operator ids that ever carried them (record_operators, a few hundred rows), which lets SQLite
    // walk the (operator_id, event_time) index; the row test after it keeps the meaning exact.
    const { sql, params: opParams } = operatorMatch(filter.operators, 'r.operator_id', 'r.operator_username', 'r.operator_email');
    const resolved = operatorMatch(filter.operators, 'o.operator_id', 'o.username', 'o.email');
    clauses.push(`r.operator_id IN (SELECT o.operator_id FROM record_operators o WHERE ${resolved.sql}) AND ${sql}`);
    params.push(...resolved.params, ...opParams);
  }
  if (filter.not?.operators?.length) {
    const { sql, params: opParams } = operatorMatch(filter.not.operators, 'r.operator_id', 'r.operator_username', 'r.operator_email');
    clauses.push(`NOT ${sql}`);
    params.push(...opParams);
  }

  const eventTypeClause = (patterns: string[], negate: boolean) => {
    const match = eventTypeMatch(patterns, 'r.event_type');
    clauses.push(`${negate ? 'NOT ' : ''}${match.sql}`);
    params.push(...match.params);
  };
  if (filter.eventTypes?.length) eventTypeClause(filter.eventTypes, false);
  if (filter.not?.eventTypes?.length) eventTypeClause(filter.not.eventTypes, true);

  if (filter.categories?.length) {
    const keys = categoryEventTypes(filter.categories);
    if (keys.length === 0) clauses.push('0');
    else inList('r.event_type', keys);
  }

  if (filter.resources?.length) {
    const marks = filter.resources.map(() => '?').join(',');
    clauses.push(`(r.resource_id IN (${marks}) OR r.resource_name IN (${marks}))`);
    params.push(...filter.resources, ...filter.resources);
  }

  const ipClause = (values: string[], negate: boolean) => {
    const exact = values.filter((v) => !v.includes('/'));
    const blocks = values.filter((v) => v.includes('/'));
    const parts: string[] = [];
    if (exact.length) {
      parts.push(`${plus('ip')}r.ip_address IN (${exact.map(() => '?').join(',')})`);
      params.push(...exact);
    }
    for (const block of blocks) {
      parts.push('ip_in(r.ip_address, ?)');
      params.push(block);
    }
    clauses.push(`${negate ? 'NOT ' : ''}(${parts.join(' OR ')})`);
  };
  if (filter.ips?.length) ipClause(filter.ips, false);
  if (filter.not?.ips?.length) ipClause(filter.not.ips, true);

  if (filter.sources?.length) inList(`${plus('source')}r.source`, filter.sources);
  if (filter.not?.sources?.length) inList('r.source', filter.not.sources, true);
  if (filter.tokenNames?.length) inList(`${plus('token')}r.token_name`, filter.tokenNames);
  if (filter.methods?.length) inList('r.http_method', filter.methods);

  if (filter.statusClasses?.length) {
    const parts = filter.statusClasses.map((cls) => {
      const base = Number(cls[0]) * 100;
      params.push(base, base + 99);
      return `(${plus('status')}r.status_code BETWEEN ? AND ?)`;
    });
    clauses.push(`(${parts.join(' OR ')})`);
  }
  if (filter.hasError !== undefined) clauses.push(filter.hasError ? 'r.failed = 1' : 'r.failed = 0');

  if (filter.hasFinding !== undefined || filter.severities?.length || filter.findingIds?.length) {
    const conditions: string[] = ['fr.record_seq = r.seq', 'f.suppressed = 0'];
    const subParams: unknown[] = [];
    if (filter.severities?.length) {
      conditions.push(`f.severity IN (${filter.severities.map(() => '?').join(',')})`);
      subParams.push(...filter.severities);
    }
    if (filter.findingIds?.length) {
      // An explicitly chosen finding shows its records even when it is suppressed.
      conditions.splice(1, 1);
      conditions.push(`f.id IN (${filter.findingIds.map(() => '?').join(',')})`);
      subParams.push(...filter.findingIds);
    }
    const exists = `EXISTS (SELECT 1 FROM finding_records fr JOIN findings f ON f.id = fr.finding_id WHERE ${conditions.join(' AND ')})`;
    clauses.push(filter.hasFinding === false ? `NOT ${exists}` : exists);
    params.push(...subParams);
  }

  if (filter.tags?.length) {
    clauses.push(`EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'tag' AND a.value IN (${filter.tags.map(() => '?').join(',')}))`);
    params.push(...filter.tags);
  }
  if (filter.reviewStatuses?.length) {
    const wantsUnreviewed = filter.reviewStatuses.includes('unreviewed');
    const statuses = filter.reviewStatuses;
    const exists = `EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'status' AND a.value IN (${statuses.map(() => '?').join(',')}))`;
    params.push(...statuses);
    clauses.push(
      wantsUnreviewed
        ? `(${exists} OR NOT EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'status'))`
        : exists,
    );
  }
  if (filter.hasComment) {
    clauses.push(`EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'comment')`);
  }
  if (filter.annotatedBy?.length) {
    clauses.push(`EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.author IN (${filter.annotatedBy.map(() => '?').join(',')}))`);
    params.push(...filter.annotatedBy);
  }

  let usesFts = false;
  if (filter.text?.length) {
    usesFts = true;
    // With many matches, the sort order's index is walked and each row tested against the matches
    // (SQLite builds a Bloom filter of them) until the page is full.
    clauses.push(`${plus('text')}r.seq IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)`);
    params.push(ftsQuery(filter.text));
  }

  return { where: clauses.length ? clauses.join(' AND ') : '1', params, usesFts };
}

/**
 * Each term becomes an FTS5 phrase (quoted, inner quotes doubled), so user text is always data:
 * FTS operators such as NEAR, OR, column filters or `*` typed by a user are matched literally.
 */
export function ftsQuery(terms: string[]): string {
  return terms
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => `"${t.replace(/"/g, '""')}"`)
    .join(' AND ');
}

/** `id IN (…) OR username IN (…) OR email IN (…)` over the given columns, with its parameters. */
export function operatorMatch(names: readonly string[], idColumn: string, usernameColumn: string, emailColumn: string): { sql: string; params: string[] } {
  const marks = names.map(() => '?').join(',');
  return {
    sql: `(${idColumn} IN (${marks}) OR ${usernameColumn} IN (${marks}) OR ${emailColumn} IN (${marks}))`,
    params: [...names, ...names, ...names],
  };
}

/** Event type keys, where a trailing `*` means "starts with", over the given column. */
export function eventTypeMatch(patterns: readonly string[], column: string): { sql: string; params: string[] } {
  const exact = patterns.filter((p) => !p.endsWith('*'));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  const parts: string[] = [];
  const params: string[] = [];
  if (exact.length) {
    parts.push(`${column} IN (${exact.map(() => '?').join(',')})`);
    params.push(...exact);
  }
  for (const prefix of prefixes) {
    // Range comparison keeps an (event_type, …) index usable, unlike LIKE.
    parts.push(`(${column} >= ? AND ${column} < ?)`);
    params.push(prefix, `${prefix}\uffff`);
  }
  return { sql: `(${parts.join(' OR ')})`, params };
}

/** Event type keys of the catalog categories named (none → an empty list). */
export function categoryEventTypes(categories: readonly string[]): string[] {
  const wanted = new Set(categories);
  return listEventTypes().filter((e) => wanted.has(e.category)).map((e) => e.key);
}
