import type Database from 'better-sqlite3-multiple-ciphers';
import type { ChangeNote, JsonDiff } from '../../../preload/contract/history';
import { verbOf } from '../catalog/catalog';
import { diffJson } from './diff';
import { parseStoredJson } from './json';
import { applyMergePatch } from './merge-patch';

/**
 * Rebuilds a resource's configuration by replaying, oldest first, the request bodies of the
 * changes the audit log recorded for it. The log holds what was *sent*, not what the gateway
 * stored, so the state is the best reconstruction the log allows:
 *
 * - create (Add/Create/Invite…) and a full update (PUT, POST): the state becomes the body sent;
 * - PATCH: the body is merged onto the previous state (JSON Merge Patch). When no earlier state is
 *   in the cache (e.g. the creation was purged by retention), the merge starts from `{}` and the
 *   state is marked `partial`;
 * - an update that sent no body, or that was a POST (an action on the resource such as
 *   PublishService, whose body is not the resource's configuration), leaves the state as it was;
 * - delete: the resource no longer exists;
 * - a failed attempt (HTTP >= 400 or an error message) changes nothing.
 */
export interface ChangeRow {
  id: string;
  event_time: number;
  operator_id: string;
  operator_username: string;
  operator_email: string;
  ip_address: string;
  event_type: string;
  http_method: string;
  status_code: number;
  failed: number;
  error_message: string;
  resource_name: string;
  request_body: string | null;
}

export interface ReplayState {
  /** Some applied change has been seen. */
  seen: boolean;
  exists: boolean;
  /** Whether the body is known (false: it exists but the log never showed its content). */
  bodyKnown: boolean;
  /**
   * The resource's configuration (null when it does not exist or is unknown). Parsed on first use:
   * a route re-applied 50 000 times needs its states replayed, but only a few of them read.
   */
  body: () => unknown;
  partial: boolean;
  lastAppliedVerb: 'create' | 'update' | 'delete' | null;
  lastApplied: ChangeRow | null;
}

const NOTHING = () => null;

export const INITIAL_STATE: ReplayState = { seen: false, exists: false, bodyKnown: false, body: NOTHING, partial: false, lastAppliedVerb: null, lastApplied: null };

export interface ReplayStep {
  row: ChangeRow;
  verb: 'create' | 'update' | 'delete';
  applied: boolean;
  /** The request body as sent (null when none), parsed on demand. */
  requestBody: () => unknown;
  state: ReplayState;
  note: ChangeNote;
  /**
   * The diff against the previous applied state, computed on demand: replaying a long life (or
   * answering stateAt) needs every state but only the diffs that will be shown.
   */
  diff(): JsonDiff | null;
}

const PAGE_ROWS = 2000;

/**
 * Rows of one resource, oldest first; `seq` breaks ties within a second (insertion order). Read in
 * pages by key (the (resource_id, event_time) index ends in the rowid, so each page is an index
 * range): `all()` per page is several times faster than a row-by-row cursor, and memory stays
 * bounded by the page size however long the resource's life.
 */
export function* resourceRows(db: Database.Database, resourceId: string, until?: number, pageRows = PAGE_ROWS): Generator<ChangeRow> {
  const page = db.prepare(
    `SELECT seq, id, event_time, operator_id, operator_username, operator_email, ip_address, event_type, http_method,
        status_code, failed, error_message, resource_name, request_body
      FROM records
      WHERE resource_id = ? AND event_time <= ? AND (event_time > ? OR (event_time = ? AND seq > ?))
      ORDER BY event_time, seq LIMIT ?`,
  );
  const last = until ?? Number.MAX_SAFE_INTEGER;
  let after = { event_time: Number.MIN_SAFE_INTEGER, seq: 0 };
  for (;;) {
    const rows = page.all(resourceId, last, after.event_time, after.event_time, after.seq, pageRows) as (ChangeRow & { seq: number })[];
    yield* rows;
    if (rows.length < pageRows) return;
    const tail = rows[rows.length - 1]!;
    after = { event_time: tail.event_time, seq: tail.seq };
  }
}

/** The verb of a row if it is a configuration change, else null (logins, exports, …). */
export function changeVerb(eventType: string): 'create' | 'update' | 'delete' | null {
  const verb = verbOf(eventType);
  return verb === 'other' ? null : verb;
}

/** Applies one row to the state; rows that are not configuration changes give null. */
export function replayStep(previous: ReplayState, row: ChangeRow): ReplayStep | null {
  const verb = changeVerb(row.event_type);
  if (verb === null) return null;
  const requestBody = memo(() => parseStoredJson(row.request_body));
  if (row.failed === 1) {
    return { row, verb, applied: false, requestBody, state: previous, note: 'failed attempt', diff: NOTHING };
  }
  const hadBody = previous.exists && previous.bodyKnown;
  const before = hadBody ? previous.body : () => undefined;
  const base = { seen: true, lastAppliedVerb: verb, lastApplied: row } as const;

  if (verb === 'delete') {
    const state: ReplayState = { ...base, exists: false, bodyKnown: true, body: NOTHING, partial: false };
    return { row, verb, applied: true, requestBody, state, note: 'deleted', diff: () => (hadBody ? diffJson(before(), undefined) : null) };
  }

  if (verb === 'create') {
    const state: ReplayState = { ...base, exists: true, bodyKnown: true, body: requestBody, partial: false };
    const note: ChangeNote = previous.lastAppliedVerb === 'delete' ? 're-created' : 'created';
    // A creation starts from nothing unless the cache shows the resource alive just before.
    return { row, verb, applied: true, requestBody, state, note, diff: () => diffJson(before(), requestBody()) };
  }

  let state: ReplayState;
  if (row.http_method.toUpperCase() === 'PATCH' && row.request_body !== null) {
    // Merged now, not lazily: a run of PATCHes would otherwise chain thunks as deep as the run.
    const merged = applyMergePatch(hadBody ? previous.body() : {}, requestBody());
    state = { ...base, exists: true, bodyKnown: true, body: () => merged, partial: !hadBody || previous.partial };
  } else if (row.request_body !== null && row.http_method.toUpperCase() !== 'POST') {
    state = { ...base, exists: true, bodyKnown: true, body: requestBody, partial: false };
  } else {
    state = { ...base, exists: true, bodyKnown: hadBody, body: previous.exists ? previous.body : NOTHING, partial: previous.partial };
  }
  const after = state;
  return { row, verb, applied: true, requestBody, state, note: 'updated', diff: () => (hadBody && after.bodyKnown ? diffJson(before(), after.body()) : null) };
}

/** Evaluates `compute` once, on first call. */
function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** What to show for who acted: username, else email, else id. */
export function operatorLabel(row: { operator_id: string; operator_username: string; operator_email: string }): string {
  return row.operator_username || row.operator_email || row.operator_id || '(unknown)';
}
