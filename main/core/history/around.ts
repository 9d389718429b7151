import type Database from 'better-sqlite3-multiple-ciphers';
import type { AroundChange, ChangesAround } from '../../../preload/contract/history';
import { changeVerb, operatorLabel, type ChangeRow } from './replay';

/** At most this many changes are listed; counts always cover the whole window. */
export const AROUND_MAX_LISTED = 2000;

/** The same `records` columns replay reads, minus the body, plus which resource. */
type AroundRow = Omit<ChangeRow, 'http_method' | 'error_message' | 'request_body'> & { resource_id: string };

/**
 * Every configuration change (create, update, delete — not logins, logouts or exports) within
 * `minutes` of `time`, both ends inclusive, grouped by resource and by operator: the view an
 * auditor opens when the start of a disruption is known. Failed attempts are included (and
 * counted apart): a failed change right before an outage is evidence too.
 */
export function changesAround(db: Database.Database, input: { time: number; minutes: number }, options: { maxListed?: number } = {}): ChangesAround {
  const from = input.time - input.minutes * 60;
  const to = input.time + input.minutes * 60;
  const rows = db
    .prepare(
      `SELECT id, event_time, operator_id, operator_username, operator_email, ip_address, event_type, resource_id,
         resource_name, failed, status_code
       FROM records WHERE event_time BETWEEN ? AND ? ORDER BY event_time, seq`,
    )
    .iterate(from, to) as IterableIterator<AroundRow>;

  const all: AroundChange[] = [];
  for (const row of rows) {
    // The verb comes from the catalog's rule (key prefix), so it cannot be pushed into SQL.
    const verb = changeVerb(row.event_type);
    if (verb === null) continue;
    all.push({
      id: row.id,
      event_time: row.event_time,
      offset_seconds: row.event_time - input.time,
      operator_id: row.operator_id,
      operator: operatorLabel(row),
      ip_address: row.ip_address,
      event_type: row.event_type,
      verb,
      resource_id: row.resource_id,
      resource_name: row.resource_name,
      outcome: row.failed === 1 ? 'failed' : 'applied',
      status_code: row.status_code,
    });
  }

  const maxListed = options.maxListed ?? AROUND_MAX_LISTED;
  const listed = all.length <= maxListed ? all : closestToMoment(all, maxListed);
  return {
    time: input.time,
    minutes: input.minutes,
    from,
    to,
    total: all.length,
    failed: all.filter((c) => c.outcome === 'failed').length,
    truncated: listed.length < all.length,
    changes: listed,
    by_resource: group(all, listed, (c) => c.resource_id || c.resource_name).map(({ items, listedItems }) => ({
      resource_id: items[0]!.resource_id,
      resource_name: lastNonEmpty(items.map((c) => c.resource_name)),
      operators: unique(items.map((c) => c.operator)),
      count: items.length,
      failed: items.filter((c) => c.outcome === 'failed').length,
      changes: listedItems,
    })),
    by_operator: group(all, listed, (c) => c.operator_id || c.operator).map(({ items, listedItems }) => ({
      operator_id: items[0]!.operator_id,
      operator: items[0]!.operator,
      resources: unique(items.map((c) => c.resource_name || c.resource_id).filter((r) => r !== '')),
      count: items.length,
      failed: items.filter((c) => c.outcome === 'failed').length,
      changes: listedItems,
    })),
  };
}

/** The moment of a record, for "changes around this record"; null when it is not in the cache. */
export function recordMoment(db: Database.Database, recordId: string): number | null {
  const row = db.prepare('SELECT event_time FROM records WHERE id = ?').get(recordId) as { event_time: number } | undefined;
  return row?.event_time ?? null;
}

/** Keeps the `n` changes nearest the moment, still in time order. */
function closestToMoment(changes: AroundChange[], n: number): AroundChange[] {
  const nearest = [...changes].sort((a, b) => Math.abs(a.offset_seconds) - Math.abs(b.offset_seconds)).slice(0, n);
  const keep = new Set(nearest);
  return changes.filter((c) => keep.has(c));
}

/** Groups by key; the biggest groups first, then the one whose first change came earliest. */
function group(all: AroundChange[], listed: AroundChange[], keyOf: (c: AroundChange) => string) {
  const listedSet = new Set(listed);
  const groups = new Map<string, { items: AroundChange[]; listedItems: AroundChange[] }>();
  for (const change of all) {
    const key = keyOf(change);
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { items: [], listedItems: [] }));
    entry.items.push(change);
    if (listedSet.has(change)) entry.listedItems.push(change);
  }
  return [...groups.values()].sort((a, b) => b.items.length - a.items.length || a.items[0]!.event_time - b.items[0]!.event_time);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function lastNonEmpty(values: string[]): string {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== '') return values[i]!;
  return '';
}
