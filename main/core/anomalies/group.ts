import type { AnomalyEvent } from './event';
import { findingId, type Finding, type Severity } from './finding';
import type { RuleId } from './rule-ids';

/**
 * The records a finding is being built from, while its rule may still add to it. Plain data only
 * (Sets and arrays), so a detector's state can be snapshotted with structured clone.
 */
export interface Group<D = undefined> {
  key: string;
  operator_id: string;
  operator: string;
  ids: string[];
  first: number;
  last: number;
  /** Largest scan epoch among its records; the group is reported only when it holds the current one. */
  epoch: number;
  /** OR of the catalog flag bits of its records. */
  flags: number;
  ips: Set<string>;
  eventTypes: Set<string>;
  tokens: Set<string>;
  /** For rules fed by a sliding window: absolute index of the last window entry already added. */
  lastAbs: number;
  data: D;
}

export function openGroup<D>(key: string, first: AnomalyEvent, data: D): Group<D> {
  return {
    key,
    operator_id: first.operator_id,
    operator: first.username,
    ids: [],
    first: first.event_time,
    last: first.event_time,
    epoch: 0,
    flags: 0,
    ips: new Set(),
    eventTypes: new Set(),
    tokens: new Set(),
    lastAbs: -1,
    data,
  };
}

export function addToGroup(group: Group<unknown>, event: AnomalyEvent, epoch: number, flags: number): void {
  group.ids.push(event.id);
  if (group.ids.length === 1) group.first = event.event_time;
  group.last = event.event_time;
  if (epoch > group.epoch) group.epoch = epoch;
  group.flags |= flags;
  if (event.ip !== '') group.ips.add(event.ip);
  group.eventTypes.add(event.event_type);
  if (event.token_name !== '') group.tokens.add(event.token_name);
}

export function groupToFinding(
  rule: RuleId,
  group: Group<unknown>,
  severity: Severity,
  explanation: string,
  evidence: Record<string, unknown>,
): Finding {
  return {
    id: findingId(rule, group.key, group.ids[0] ?? ''),
    rule,
    severity,
    operator_id: group.operator_id,
    operator: group.operator,
    first_event_time: group.first,
    last_event_time: group.last,
    record_ids: [...group.ids],
    explanation,
    evidence: {
      count: group.ids.length,
      ...evidence,
      ips: [...group.ips].sort(),
      event_types: [...group.eventTypes].sort(),
      token_names: [...group.tokens].sort(),
    },
  };
}
