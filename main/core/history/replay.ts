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
 * - an update that sent no body (e.g. PublishService, RegenerateToken) leaves the state as it was;
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
  /** Whether `body` is known (false: it exists but the log never showed its content). */
  bodyKnown: boolean;
  body: unknown;
  partial: boolean;
  lastAppliedVerb: 'create' | 'update' | 'delete' | null;
  lastApplied: ChangeRow | null;
}

export const INITIAL_STATE: ReplayState = { seen: false, exists: false, bodyKnown: false, body: null, partial: false, lastAppliedVerb: null, lastApplied: null };

export interface ReplayStep {
  row: ChangeRow;
  verb: 'create' | 'update' | 'delete';
  applied: boolean;
  requestBody: unknown;
  state: ReplayState;
  note: ChangeNote;
  diff: JsonDiff | null;
}

/** Rows of one resource, oldest first; `seq` breaks ties within a second (insertion order). */
export function* resourceRows(db: Database.Database, resourceId: string, until?: number): Generator<ChangeRow> {
  const sql = `SELECT id, event_time, operator_id, operator_username, operator_email, ip_address, event_type, http_method,
      status_code, failed, error_message, resource_name, request_body
    FROM records WHERE resource_id = ? ${until === undefined ? '' : 'AND event_time <= ?'} ORDER BY event_time, seq`;
  const params = until === undefined ? [resourceId] : [resourceId, until];
  yield* db.prepare(sql).iterate(...params) as IterableIterator<ChangeRow>;
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
  const requestBody = parseStoredJson(row.request_body);
  if (row.failed === 1) {
    return { row, verb, applied: false, requestBody, state: previous, note: 'failed attempt', diff: null };
  }
  const before = previous.exists && previous.bodyKnown ? previous.body : undefined;
  const base = { seen: true, lastAppliedVerb: verb, lastApplied: row } as const;

  if (verb === 'delete') {
    const state: ReplayState = { ...base, exists: false, bodyKnown: true, body: null, partial: false };
    const diff = before === undefined ? null : diffJson(before, undefined);
    return { row, verb, applied: true, requestBody, state, note: 'deleted', diff };
  }

  if (verb === 'create') {
    const state: ReplayState = { ...base, exists: true, bodyKnown: true, body: requestBody, partial: false };
    const note: ChangeNote = previous.lastAppliedVerb === 'delete' ? 're-created' : 'created';
    // A creation starts from nothing unless the cache shows the resource alive just before.
    return { row, verb, applied: true, requestBody, state, note, diff: diffJson(before, requestBody) };
  }

  let state: ReplayState;
  if (row.http_method.toUpperCase() === 'PATCH' && row.request_body !== null) {
    const known = previous.exists && previous.bodyKnown;
    state = { ...base, exists: true, bodyKnown: true, body: applyMergePatch(known ? previous.body : {}, requestBody), partial: !known || previous.partial };
  } else if (row.request_body !== null) {
    state = { ...base, exists: true, bodyKnown: true, body: requestBody, partial: false };
  } else {
    state = { ...base, exists: true, bodyKnown: previous.exists && previous.bodyKnown, body: previous.exists ? previous.body : null, partial: previous.partial };
  }
  const diff = before === undefined || !state.bodyKnown ? null : diffJson(before, state.body);
  return { row, verb, applied: true, requestBody, state, note: 'updated', diff };
}

/** What to show for who acted: username, else email, else id. */
export function operatorLabel(row: { operator_id: string; operator_username: string; operator_email: string }): string {
  return row.operator_username || row.operator_email || row.operator_id || '(unknown)';
}
