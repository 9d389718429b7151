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

export function buildSqlFilter(filter: FilterModel, now: number): SqlFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: string[], negate = false) => {
    clauses.push(`${column} ${negate ? 'NOT IN' : 'IN'} (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };

  if (filter.relative) {
    clauses.push('r.event_time >= ?');
    params.push(now - RELATIVE_SECONDS[filter.relative]);
  } else {
    if (filter.from !== undefined) {
      clauses.push('r.event_time >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      clauses.push('r.event_time <= ?');
      params.push(filter.to);
    }
  }

  if (filter.around) {
    // Applies on top of any other time bounds: both must hold.
    clauses.push('r.event_time BETWEEN ? AND ?');
    params.push(filter.around.time - filter.around.minutes * 60, filter.around.time + filter.around.minutes * 60);
  }

  if (filter.operators?.length) {
    // An operator may be named by id, username or email.
    const marks = filter.operators.map(() => '?').join(',');
    clauses.push(`(r.operator_id IN (${marks}) OR r.operator_username IN (${marks}) OR r.operator_email IN (${marks}))`);
    params.push(...filter.operators, ...filter.operators, ...filter.operators);
  }
  if (filter.not?.operators?.length) {
    const marks = filter.not.operators.map(() => '?').join(',');
    clauses.push(`NOT (r.operator_id IN (${marks}) OR r.operator_username IN (${marks}) OR r.operator_email IN (${marks}))`);
    params.push(...filter.not.operators, ...filter.not.operators, ...filter.not.operators);
  }

  const eventTypeClause = (patterns: string[], negate: boolean) => {
    const exact = patterns.filter((p) => !p.endsWith('*'));
    const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
    const parts: string[] = [];
    if (exact.length) {
      parts.push(`r.event_type IN (${exact.map(() => '?').join(',')})`);
      params.push(...exact);
    }
    for (const prefix of prefixes) {
      // Range comparison keeps the (event_type, event_time) index usable, unlike LIKE.
      parts.push('(r.event_type >= ? AND r.event_type < ?)');
      params.push(prefix, `${prefix}\uffff`);
    }
    clauses.push(`${negate ? 'NOT ' : ''}(${parts.join(' OR ')})`);
  };
  if (filter.eventTypes?.length) eventTypeClause(filter.eventTypes, false);
  if (filter.not?.eventTypes?.length) eventTypeClause(filter.not.eventTypes, true);

  if (filter.categories?.length) {
    const wanted = new Set(filter.categories);
    const keys = listEventTypes().filter((e) => wanted.has(e.category)).map((e) => e.key);
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
      parts.push(`r.ip_address IN (${exact.map(() => '?').join(',')})`);
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

  if (filter.sources?.length) inList('r.source', filter.sources);
  if (filter.not?.sources?.length) inList('r.source', filter.not.sources, true);
  if (filter.tokenNames?.length) inList('r.token_name', filter.tokenNames);
  if (filter.methods?.length) inList('r.http_method', filter.methods);

  if (filter.statusClasses?.length) {
    const parts = filter.statusClasses.map((cls) => {
      const base = Number(cls[0]) * 100;
      params.push(base, base + 99);
      return '(r.status_code BETWEEN ? AND ?)';
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
    clauses.push('r.seq IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)');
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
