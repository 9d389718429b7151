import type { AuditEntry } from '../../core/records/entry';

/** The anomaly rules an injected incident is meant to trigger (ids of issue 6's rule table). */
export type AnomalyRuleId =
  | 'brute_force'
  | 'login_after_failures'
  | 'off_hours'
  | 'new_network'
  | 'privilege_change'
  | 'mass_delete'
  | 'sensitive_change'
  | 'volume_spike'
  | 'dormant_account'
  | 'permission_probing'
  | 'token_multi_ip'
  | 'audit_trail_tampering';

/** One deliberately planted anomaly; `record_ids` are the entries the rule is expected to flag. */
export interface InjectedIncident {
  kind: AnomalyRuleId;
  description: string;
  operator_id?: string;
  username?: string;
  ip?: string;
  record_ids: string[];
  /** Unix seconds of the first and last record. */
  start: number;
  end: number;
}

export interface GenerateOptions {
  seed: number;
  days: number;
  /** Distinct operators: people plus CI service accounts. */
  operators: number;
  /** Exact number of entries to produce. */
  events: number;
  /** End of the history, Unix seconds. Default: a fixed instant, so a seed alone fixes the output. */
  now?: number;
  /** Plant the incident list (needs days >= 30). Default true. */
  incidents?: boolean;
}

/** A summary of who acts in the history, for demos and tests. */
export interface GeneratedOperator {
  id: string;
  username: string;
  kind: 'human' | 'ci';
  role: string;
  token_name: string;
  /** Usual IPv4 /24 networks, e.g. "10.20.1.0/24". */
  networks: string[];
  /** Working window in UTC hours [start, end). */
  hours_utc: [number, number];
}

export interface GeneratedHistory {
  /** Sorted by event_time, then id. */
  entries: AuditEntry[];
  incidents: InjectedIncident[];
  operators: GeneratedOperator[];
  /** Routine-only before this instant (Unix s): incidents all fall in [incident_window_start, now]. */
  incident_window_start: number;
}

/** Fixed default end of history: 2026-01-15T12:00:00Z. */
export const DEFAULT_NOW = 1768478400;
