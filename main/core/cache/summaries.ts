import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Activity summaries: small count tables kept in step with `records` so the review workspace's
 * side panels (counts, facets, timeline, heatmap) over a time range, operators and event types
 * read thousands of summary rows instead of scanning a million fat records
 * (see migrations/005_summaries.ts for the tables).
 *
 * They are derived data, changed only in the transactions that change records: inserts add, the
 * retention purge subtracts what it removes, and `rebuildSummaries` recomputes them from scratch.
 */

export const HOUR = 3600;
export const DAY = 86_400;

/** The facet fields summarised per day (operator and event type come from activity_hours). */
export type DailyFacetField = 'ip_address' | 'resource' | 'source' | 'status_class';
export const DAILY_FACET_FIELDS: readonly DailyFacetField[] = ['ip_address', 'resource', 'source', 'status_class'];

/**
 * Every record adds exactly one row per field, so one field's rows of facet_totals (or facet_days)
 * count records per (operator, event type): the small table behind all-time counts.
 */
export const ONE_ROW_PER_RECORD_FIELD: DailyFacetField = 'source';

/** The columns of a record the summaries need. */
export interface SummaryInput {
  event_time: number;
  operator_id: string;
  operator_username: string;
  operator_email: string;
  event_type: string;
  ip_address: string;
  source: string;
  status_code: number;
  resource_id: string;
  resource_name: string;
}

/** How the status facet names a code: 'none' when the entry had no response, else '4xx' etc. */
export function statusClassOf(statusCode: number): string {
  return statusCode === 0 ? 'none' : `${Math.floor(statusCode / 100)}xx`;
}

/** The resource facet shows a resource by name when it has one, else by id. */
export function resourceOf(resourceName: string, resourceId: string): string {
  return resourceName !== '' ? resourceName : resourceId;
}

const SEP = '\u0000';

/**
 * Collects counts for a batch of records and adds them to the summary tables in one go (one
 * UPSERT per distinct key, not per record). Use inside the transaction that stores the records.
 */
export function createSummaryBatch(db: Database.Database, options: { subtract?: boolean } = {}) {
  const statements = prepared(db);
  const step = options.subtract ? -1 : 1;
  const operatorIds = new Map<string, number>();
  const hours = new Map<string, number>();
  const days = new Map<string, number>();
  const totals = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + step);

  const operatorKey = (row: SummaryInput): number => {
    const triple = row.operator_id + SEP + row.operator_username + SEP + row.operator_email;
    let id = operatorIds.get(triple);
    if (id === undefined) {
      statements.addOperator.run(row.operator_id, row.operator_username, row.operator_email);
      id = statements.operatorId.get(row.operator_id, row.operator_username, row.operator_email) as number;
      operatorIds.set(triple, id);
    }
    return id;
  };

  return {
    add(row: SummaryInput): void {
      const op = operatorKey(row);
      const hour = Math.floor(row.event_time / HOUR);
      const day = Math.floor(row.event_time / DAY);
      bump(hours, hour + SEP + op + SEP + row.event_type);
      const values: Array<[DailyFacetField, string]> = [
        ['ip_address', row.ip_address],
        ['resource', resourceOf(row.resource_name, row.resource_id)],
        ['source', row.source],
        ['status_class', statusClassOf(row.status_code)],
      ];
      const dims = SEP + op + SEP + row.event_type + SEP;
      for (const [field, value] of values) {
        bump(days, field + SEP + day + dims + value);
        bump(totals, field + dims + value);
      }
    },
    /** Writes the collected counts; the batch can be reused afterwards. */
    flush(): void {
      for (const [key, count] of hours) {
        const [hour, op, eventType] = key.split(SEP);
        statements.addHour.run(Number(hour), Number(op), eventType, count);
      }
      for (const [key, count] of days) {
        const [field, day, op, eventType, value] = key.split(SEP);
        statements.addDay.run(field, Number(day), Number(op), eventType, value, count);
      }
      for (const [key, count] of totals) {
        const [field, op, eventType, value] = key.split(SEP);
        statements.addTotal.run(field, Number(op), eventType, value, count);
      }
      if (step < 0) {
        // Subtracting (the retention purge) leaves zero rows behind; they would only slow reads.
        statements.dropEmptyHours.run();
        statements.dropEmptyDays.run();
        statements.dropEmptyTotals.run();
      }
      hours.clear();
      days.clear();
      totals.clear();
    },
  };
}

const SUMMARY_COLUMNS =
  'event_time, operator_id, operator_username, operator_email, event_type, ip_address, source, status_code, resource_id, resource_name';

/** Recomputes every summary from the records (the migration that adds them). Run inside a transaction. */
export function rebuildSummaries(db: Database.Database): void {
  db.exec('DELETE FROM activity_hours; DELETE FROM facet_days; DELETE FROM facet_totals;');
  const batch = createSummaryBatch(db);
  // Chunks by seq rather than one iterator: the batch writes between reads, which SQLite does not
  // allow while a statement on the same connection is still stepping.
  const chunk = db.prepare(`SELECT seq, ${SUMMARY_COLUMNS} FROM records WHERE seq > ? ORDER BY seq LIMIT 20000`);
  for (let after = 0; ; ) {
    const rows = chunk.all(after) as Array<SummaryInput & { seq: number }>;
    if (rows.length === 0) break;
    for (const row of rows) batch.add(row);
    batch.flush();
    after = rows[rows.length - 1]!.seq;
  }
}

/** Takes the records with event_time < cutoff out of the summaries (before the purge deletes them). */
export function subtractFromSummaries(db: Database.Database, cutoff: number): void {
  const batch = createSummaryBatch(db, { subtract: true });
  const chunk = db.prepare(`SELECT seq, ${SUMMARY_COLUMNS} FROM records WHERE event_time < ? AND +seq > ? ORDER BY seq LIMIT 20000`);
  for (let after = 0; ; ) {
    const rows = chunk.all(cutoff, after) as Array<SummaryInput & { seq: number }>;
    if (rows.length === 0) break;
    for (const row of rows) batch.add(row);
    batch.flush();
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * How many records the cache holds, from the summaries (instant) rather than count(*) (a walk
 * over a million index entries on every session refresh).
 */
export function storedRecordCount(db: Database.Database): number {
  return db.prepare('SELECT coalesce(sum(count), 0) FROM facet_totals WHERE field = ?').pluck().get(ONE_ROW_PER_RECORD_FIELD) as number;
}

/**
 * Recounts the summaries from the records (read-only) and names the first difference, or returns
 * null when they agree. Someone holding the key could otherwise edit a count table so that the side
 * panels hide activity the records still show; `audit-review check` runs this after the chain.
 */
export function summaryMismatch(db: Database.Database): string | null {
  const operators = new Map<string, number>();
  for (const [id, operatorId, username, email] of db.prepare('SELECT id, operator_id, username, email FROM record_operators').raw().all() as Array<
    [number, string, string, string]
  >) {
    operators.set(operatorId + SEP + username + SEP + email, id);
  }
  const hours = new Map<string, number>();
  const totals = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const row of db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM records`).iterate() as IterableIterator<SummaryInput>) {
    const op = operators.get(row.operator_id + SEP + row.operator_username + SEP + row.operator_email);
    if (op === undefined) return `operator ${row.operator_username || row.operator_id || '(none)'} of a stored record is missing from record_operators`;
    bump(hours, Math.floor(row.event_time / HOUR) + SEP + op + SEP + row.event_type);
    const dims = SEP + op + SEP + row.event_type + SEP;
    bump(totals, 'ip_address' + dims + row.ip_address);
    bump(totals, 'resource' + dims + resourceOf(row.resource_name, row.resource_id));
    bump(totals, 'source' + dims + row.source);
    bump(totals, 'status_class' + dims + statusClassOf(row.status_code));
  }
  const compare = (table: string, sql: string, expected: Map<string, number>): string | null => {
    const left = new Map(expected);
    for (const row of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
      const count = row[row.length - 1] as number;
      const key = row.slice(0, -1).join(SEP);
      if (left.get(key) !== count) return `${table} says ${count} for (${row.slice(0, -1).join(', ')}) but the records give ${left.get(key) ?? 0}`;
      left.delete(key);
    }
    const [missing] = left.keys();
    return missing === undefined ? null : `${table} lacks (${missing.split(SEP).join(', ')}), which the records give ${left.get(missing)}`;
  };
  return (
    compare('activity_hours', 'SELECT hour, op, event_type, count FROM activity_hours', hours) ??
    compare('facet_totals', 'SELECT field, op, event_type, value, count FROM facet_totals', totals) ??
    compare('facet_days', 'SELECT field, op, event_type, value, sum(count) FROM facet_days GROUP BY 1, 2, 3, 4', totals)
  );
}

const statementCache = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepared(db: Database.Database) {
  let s = statementCache.get(db);
  if (!s) {
    s = prepare(db);
    statementCache.set(db, s);
  }
  return s;
}

function prepare(db: Database.Database) {
  return {
    addOperator: db.prepare('INSERT INTO record_operators (operator_id, username, email) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    operatorId: db.prepare('SELECT id FROM record_operators WHERE operator_id = ? AND username = ? AND email = ?').pluck(),
    addHour: db.prepare(
      'INSERT INTO activity_hours (hour, op, event_type, count) VALUES (?, ?, ?, ?) ON CONFLICT (hour, op, event_type) DO UPDATE SET count = count + excluded.count',
    ),
    addTotal: db.prepare(
      'INSERT INTO facet_totals (field, op, event_type, value, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT (field, op, event_type, value) DO UPDATE SET count = count + excluded.count',
    ),
    dropEmptyHours: db.prepare('DELETE FROM activity_hours WHERE count = 0'),
    dropEmptyDays: db.prepare('DELETE FROM facet_days WHERE count = 0'),
    dropEmptyTotals: db.prepare('DELETE FROM facet_totals WHERE count = 0'),
    addDay: db.prepare(
      'INSERT INTO facet_days (field, day, op, event_type, value, count) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (field, day, op, event_type, value) DO UPDATE SET count = count + excluded.count',
    ),
  };
}
