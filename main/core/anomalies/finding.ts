import { createHash } from 'node:crypto';
import { RULE_IDS, type RuleId } from './rule-ids';

export type Severity = 'low' | 'medium' | 'high';

/**
 * What a rule reports. `evidence` always holds `count`, `ips`, `event_types` and `token_names`
 * (the distinct values over the finding's records, which suppressions match against) plus the
 * rule's own numbers (thresholds, baselines).
 */
export interface Finding {
  id: string;
  rule: RuleId;
  severity: Severity;
  /** '' when the records are unauthenticated (e.g. failed logins for an unknown user). */
  operator_id: string;
  /** The operator's username, or the attempted username for failed logins. */
  operator: string;
  first_event_time: number;
  last_event_time: number;
  /** In event-time order. */
  record_ids: string[];
  explanation: string;
  evidence: Record<string, unknown>;
}

/**
 * Stable across rescans: the same rule, key (operator, username, network…) and first record give
 * the same id, so annotations and UI state keyed by it survive a rescan, and an incremental scan
 * that extends an open finding replaces it rather than adding a second one.
 */
export function findingId(rule: RuleId, key: string, firstRecordId: string): string {
  const digest = createHash('sha256').update(`${rule}\u0000${key}\u0000${firstRecordId}`).digest('hex');
  return `${rule}-${digest.slice(0, 20)}`;
}

const RULE_ORDER = new Map<string, number>(RULE_IDS.map((rule, index) => [rule, index]));

/** Deterministic output order: by first event, then rule, then id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.first_event_time - b.first_event_time ||
    ruleRank(a.rule) - ruleRank(b.rule) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function ruleRank(rule: string): number {
  return RULE_ORDER.get(rule) ?? 0;
}

