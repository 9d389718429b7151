import type Database from 'better-sqlite3-multiple-ciphers';
import type { ResourceChange, ResourceHistory, ResourceState } from '../../../preload/contract/history';
import { INITIAL_STATE, operatorLabel, replayStep, resourceRows, type ReplayStep } from './replay';

export const DEFAULT_HISTORY_LIMIT = 500;

/**
 * Every configuration change recorded for one resource, oldest first, each with the state it left
 * and a diff against the state before (see replay.ts for how PATCH, failures and deletions count).
 * The whole log of the resource is replayed (a state depends on everything before it), but only
 * the latest `limit` changes are returned, so a route re-applied by CI every few minutes for
 * months cannot produce an enormous answer.
 */
export function resourceHistory(db: Database.Database, resourceId: string, options: { limit?: number } = {}): ResourceHistory {
  const limit = Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT);
  const names: string[] = [];
  const seenNames = new Set<string>();
  let kept: ReplayStep[] = [];
  let total = 0;
  let state = INITIAL_STATE;
  for (const row of resourceRows(db, resourceId)) {
    if (row.resource_name !== '' && !seenNames.has(row.resource_name)) {
      seenNames.add(row.resource_name);
      names.push(row.resource_name);
    }
    const step = replayStep(state, row);
    if (step === null) continue;
    state = step.state;
    total++;
    kept.push(step);
    // Trim in batches: shifting one item at a time would make long histories quadratic.
    if (kept.length >= limit * 2) kept = kept.slice(-limit);
  }
  if (kept.length > limit) kept = kept.slice(-limit);
  return { resource_id: resourceId, names, total, changes: kept.map(toChange), truncated: total > kept.length };
}

/** "What did it look like at T?": the state after every applied change at or before `time`. */
export function stateAt(db: Database.Database, resourceId: string, time: number): ResourceState {
  let state = INITIAL_STATE;
  for (const row of resourceRows(db, resourceId, time)) {
    state = replayStep(state, row)?.state ?? state;
  }
  const last = state.lastApplied;
  return {
    resource_id: resourceId,
    time,
    exists: state.exists,
    state: state.exists ? state.body() : null,
    partial: state.partial,
    as_of: last ? { id: last.id, event_time: last.event_time, event_type: last.event_type, operator: operatorLabel(last) } : null,
  };
}

function toChange(step: ReplayStep): ResourceChange {
  const { row } = step;
  return {
    id: row.id,
    event_time: row.event_time,
    operator_id: row.operator_id,
    operator: operatorLabel(row),
    ip_address: row.ip_address,
    event_type: row.event_type,
    verb: step.verb,
    http_method: row.http_method,
    outcome: step.applied ? 'applied' : 'failed',
    status_code: row.status_code,
    error_message: row.error_message,
    resource_name: row.resource_name,
    request_body: step.requestBody(),
    state_after: step.state.exists ? step.state.body() : null,
    partial: step.state.partial,
    diff: step.diff(),
    note: step.note,
  };
}
