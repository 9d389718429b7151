import type Database from 'better-sqlite3-multiple-ciphers';
import type { FilterModel } from '../../../preload/contract';
import { createIpInFunction } from '../query/ip-match';
import { buildSqlFilter } from '../query/sql-filter';
import { AnnotationError } from './errors';
import type { TargetKind } from './types';
import { validTarget } from './validate';

/** What a bulk action applies to: named ids (the current selection), or every record a filter matches. */
export type BulkTargets = { ids: readonly string[]; kind?: TargetKind } | { filter: FilterModel };

export interface ResolvedTargets {
  kind: TargetKind;
  /** Existing targets, each once, in a stable order. */
  ids: string[];
  /** Named ids that are not in this cache (purged, re-scanned or mistyped). */
  missing: number;
  /** What to record as the batch's scope. */
  scope: unknown;
}

const LOOKUP_CHUNK = 5000;
const withIpFunction = new WeakSet<Database.Database>();

/**
 * Resolves the selection once, up front: a filter like `-tag:checked` would otherwise change its
 * own result while the action tags records, and the progress total must not move.
 */
export function resolveTargets(db: Database.Database, targets: BulkTargets, now: number): ResolvedTargets {
  if ('filter' in targets) {
    if (!withIpFunction.has(db)) {
      // Filters may use CIDR blocks; the query layer's SQL calls ip_in() for those.
      db.function('ip_in', { deterministic: true }, createIpInFunction());
      withIpFunction.add(db);
    }
    const { where, params } = buildSqlFilter(targets.filter, now);
    const ids = db.prepare(`SELECT r.id FROM records r WHERE ${where} ORDER BY r.seq`).pluck().all(...params) as string[];
    return { kind: 'record', ids, missing: 0, scope: { filter: targets.filter } };
  }
  const kind = targets.kind ?? 'record';
  const unique = [...new Set(targets.ids)];
  for (const id of unique) validTarget({ kind, id });
  const lookup = db.prepare(
    kind === 'record'
      ? 'SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?))'
      : 'SELECT id FROM findings WHERE id IN (SELECT value FROM json_each(?))',
  ).pluck();
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    for (const id of lookup.all(JSON.stringify(unique.slice(i, i + LOOKUP_CHUNK))) as string[]) found.add(id);
  }
  const ids = unique.filter((id) => found.has(id));
  return { kind, ids, missing: unique.length - ids.length, scope: { ids: unique.length } };
}

export function requireSomething(resolved: ResolvedTargets): void {
  if (resolved.ids.length > 0) return;
  throw new AnnotationError(
    'not_found',
    resolved.missing > 0
      ? `None of the ${resolved.missing} selected ${resolved.kind}s is in this cache any more; refresh and select again. Nothing was changed.`
      : 'No records match this filter; nothing was changed.',
  );
}
