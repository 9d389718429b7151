import type { AnomalyConfig } from './config';
import type { AnomalyEvent } from './event';
import type { Finding } from './finding';
import type { Group } from './group';
import type { LocalClock } from './local-clock';
import type { RuleId } from './rule-ids';

/** What the detector works out once per event and every rule may read; valid only during push (it is reused). */
export interface EventContext {
  /** Local calendar day (days since 1970-01-01 in the configured zone). */
  day: number;
  /** Local hour of day, 0–23. */
  hour: number;
  /** 0 = Sunday … 6 = Saturday, local. */
  weekday: number;
  /** Local clock hour as hours since the local epoch: equal for events in the same clock hour. */
  hourIndex: number;
  /** Catalog flag bits of the event type (flags.ts). */
  flags: number;
  /** operator_id is non-empty. */
  authenticated: boolean;
  /** The operator's active days in the prior `baselineDays` days (0 when not authenticated). */
  priorActiveDays: number;
  /** Scan epoch the event belongs to; 0 for history fed with emit=false. */
  epoch: number;
}

export interface RuleEnv {
  config: AnomalyConfig;
  clock: LocalClock;
  /** A rule calls this when a group can no longer grow; the detector decides whether to report it. */
  close(rule: Rule, group: Group<unknown>): void;
}

/**
 * A streaming detector for one rule. Events arrive in time order; per-key state stays bounded
 * because windows expire and `sweep` (called once per local day) forgets idle keys.
 */
export interface Rule {
  readonly id: RuleId;
  /** Plain data (Maps, Sets, arrays, objects) only, so it survives structured clone. */
  readonly state: object;
  push(event: AnomalyEvent, ctx: EventContext): void;
  /** Close groups that can no longer grow and drop idle keys, as of time `now` on local day `day`. */
  sweep(now: number, day: number): void;
  /** Groups that may still grow (reported provisionally by flush). */
  openGroups(): Iterable<Group<unknown>>;
  /** Undefined when the group duplicates another finding (the rule explains why in its file). */
  render(group: Group<unknown>): Finding | undefined;
}

export type RuleFactory = (env: RuleEnv, state?: object) => Rule;
