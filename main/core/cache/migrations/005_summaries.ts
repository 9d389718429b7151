import { rebuildSummaries } from '../summaries';
import type { Migration } from './migration';

/**
 * Schema v5 — summaries that make a million records feel small (derived data, see summaries.ts).
 *
 * record_operators — every distinct (operator_id, username, email) seen in records, numbered.
 *   The operator filter resolves a name, an e-mail or an id to these numbers first, so it can use
 *   the (operator_id, event_time) index instead of testing three columns on every row.
 * activity_hours — records per (UTC hour = event_time / 3600, operator number, event type). Gives
 *   counts, the operator and event-type facets, the timeline and the heatmap for any filter made
 *   of a time range, operators and event types/categories.
 * facet_days — records per (field, UTC day, operator number, event type, value) for the facets that
 *   have many values (ip_address, resource = name or else id, source, status_class).
 * facet_totals — the same without the day, for filters with no time bound (a facet like resource has
 *   tens of thousands of values; summing them over every day would be slow).
 *
 * The count tables are only ever changed in the transaction that inserts records or by the
 * retention purge (which subtracts what it removes), so they stay exact. Building them for an
 * existing cache reads every record once.
 */
export const migration005: Migration = {
  version: 5,
  name: 'summaries',
  up(db) {
    db.exec(`
      CREATE TABLE record_operators (
        id INTEGER PRIMARY KEY,
        operator_id TEXT NOT NULL,
        username TEXT NOT NULL,
        email TEXT NOT NULL,
        UNIQUE (operator_id, username, email)
      );
      CREATE TABLE activity_hours (
        hour INTEGER NOT NULL,
        op INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (hour, op, event_type)
      ) WITHOUT ROWID;
      CREATE TABLE facet_days (
        field TEXT NOT NULL,
        day INTEGER NOT NULL,
        op INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        value TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (field, day, op, event_type, value)
      ) WITHOUT ROWID;
      CREATE TABLE facet_totals (
        field TEXT NOT NULL,
        op INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        value TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (field, op, event_type, value)
      ) WITHOUT ROWID;
    `);
    rebuildSummaries(db);
  },
};
