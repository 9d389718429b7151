import { deserialize, serialize } from 'node:v8';
import { resolveAnomalyConfig, type AnomalyConfig, type AnomalyConfigInput } from './config';
import type { AnomalyEvent } from './event';
import { compareFindings, type Finding } from './finding';
import { flagsOf } from './flags';
import type { Group } from './group';
import { createLocalClock, weekdayOfDay } from './local-clock';
import { pruneActivity, recordActiveDay, type ActivityState } from './operator-activity';
import type { EventContext, Rule, RuleEnv } from './rule';
import { RULE_IDS, type RuleId } from './rule-ids';
import { RULE_FACTORIES } from './rules';

export interface DetectorOptions {
  /** Partial settings; defaults per issue 6 fill the rest. */
  config?: AnomalyConfigInput;
  /** Rules to run (default: all). */
  rules?: readonly RuleId[];
  /** Resume from `snapshot()` of an earlier detector with the same config and rules. */
  snapshot?: Uint8Array;
}

/**
 * Streaming anomaly detection. Push events in event_time order, then flush.
 *
 * Incremental scans, two ways:
 *  - snapshot: after a scan, keep `snapshot()`; after the next sync, `createDetector({snapshot})`
 *    and push only the new events (they must not be older than `lastEventTime`). Cheapest.
 *  - replay: push the history (`requiredHistorySeconds(config)` before the oldest new event) with
 *    `emit = false`, seed `seedLastSeen` for dormant accounts, then the new events with `emit = true`.
 *    Works for any mix of old and new events (e.g. late-arriving records).
 * Either way flush() reports only findings that contain at least one event pushed with emit=true
 * in this session; a finding that grew keeps its id, so callers upsert by id.
 */
export interface AnomalyDetector {
  readonly config: AnomalyConfig;
  readonly rules: readonly RuleId[];
  /** Event time of the last event pushed (or restored), if any. */
  readonly lastEventTime: number | undefined;
  push(event: AnomalyEvent, emit?: boolean): void;
  /** Tells dormant_account when an operator was last seen before the events pushed here. */
  seedLastSeen(operatorId: string, eventTime: number): void;
  /**
   * Findings closed since the last flush plus those still open (reported as they stand; they may
   * come again, grown, with the same id). Sorted by first event, rule, id. Pushing may continue.
   */
  flush(): Finding[];
  /** The detector's whole state, for resuming later. Take it after flush(). */
  snapshot(): Buffer;
}

/** Thrown when a snapshot cannot be resumed (other settings, rules or format): run a full scan. */
export class SnapshotMismatchError extends Error {
  constructor(reason: string) {
    super(`the saved anomaly state cannot be reused (${reason}); run a full scan instead`);
    this.name = 'SnapshotMismatchError';
  }
}

const SNAPSHOT_FORMAT = 'audit-review/anomaly-detector';
/** Bump when any rule's state shape changes, so old snapshots are refused rather than misread. */
const SNAPSHOT_VERSION = 1;

interface Snapshot {
  format: string;
  version: number;
  fingerprint: string;
  epoch: number;
  lastTime: number | undefined;
  lastDay: number | undefined;
  activity: ActivityState;
  rules: Record<string, object>;
  pending: Finding[];
}

/** How much history a replay must feed before the first new event so every baseline is complete. */
export function requiredHistorySeconds(config?: AnomalyConfigInput): number {
  const resolved = resolveAnomalyConfig(config);
  // Baselines are whole local days before the event's day, so up to baselineDays + 1 days back;
  // one more day absorbs time-zone offsets and the 24 h coverage of new_network findings.
  return (resolved.baselineDays + 2) * 86_400;
}

export function createDetector(options: DetectorOptions = {}): AnomalyDetector {
  const config = resolveAnomalyConfig(options.config);
  const ruleIds = RULE_IDS.filter((id) => options.rules === undefined || options.rules.includes(id));
  const fingerprint = JSON.stringify({ config, rules: ruleIds });
  const clock = createLocalClock(config.timezone);

  let saved: Snapshot | undefined;
  if (options.snapshot !== undefined) saved = readSnapshot(options.snapshot, fingerprint);

  const epoch = saved ? saved.epoch + 1 : 1;
  let lastTime = saved?.lastTime;
  let lastDay = saved?.lastDay;
  const activity: ActivityState = saved?.activity ?? new Map();
  let pending: Finding[] = saved?.pending ?? [];

  const env: RuleEnv = {
    config,
    clock,
    close(rule: Rule, group: Group<unknown>) {
      // Groups made only of history (emit=false, or an earlier session) were reported before.
      if (group.epoch !== epoch) return;
      const finding = rule.render(group);
      if (finding !== undefined) pending.push(finding);
    },
  };
  const rules: Rule[] = ruleIds.map((id) => RULE_FACTORIES[id](env, saved?.rules[id]));
  const dormant = rules.find((r) => r.id === 'dormant_account') as (Rule & { seed(id: string, t: number): void }) | undefined;
  const baselineDays = config.baselineDays;
  // One context object, refilled per event: a million short-lived objects per scan cost more in
  // garbage collection than all rules together. Rules copy what they keep.
  const ctx: EventContext = { day: 0, hour: 0, weekday: 0, hourIndex: 0, flags: 0, authenticated: false, priorActiveDays: 0, epoch: 0 };

  return {
    config,
    rules: ruleIds,
    get lastEventTime() {
      return lastTime;
    },
    push(event, emit = true) {
      const t = event.event_time;
      if (lastTime !== undefined && t < lastTime) {
        throw new Error(
          `anomaly events must arrive in event_time order: record ${event.id} at ${t} came after one at ${lastTime}`,
        );
      }
      lastTime = t;
      const local = t + clock.offsetAt(t);
      const day = Math.floor(local / 86_400);
      const hourIndex = Math.floor(local / 3600);
      if (day !== lastDay) {
        if (lastDay !== undefined) {
          for (const rule of rules) rule.sweep(t, day);
          pruneActivity(activity, day, baselineDays);
        }
        lastDay = day;
      }
      const authenticated = event.operator_id !== '';
      ctx.day = day;
      ctx.hour = hourIndex - day * 24;
      ctx.weekday = weekdayOfDay(day);
      ctx.hourIndex = hourIndex;
      ctx.flags = flagsOf(event.event_type);
      ctx.authenticated = authenticated;
      ctx.priorActiveDays = authenticated ? recordActiveDay(activity, event.operator_id, day, baselineDays) : 0;
      ctx.epoch = emit ? epoch : 0;
      for (let i = 0; i < rules.length; i++) rules[i]!.push(event, ctx);
    },
    seedLastSeen(operatorId, eventTime) {
      dormant?.seed(operatorId, eventTime);
    },
    flush() {
      const out = pending;
      pending = [];
      for (const rule of rules) {
        for (const group of rule.openGroups()) {
          if (group.epoch !== epoch) continue;
          const finding = rule.render(group);
          if (finding !== undefined) out.push(finding);
        }
      }
      return out.sort(compareFindings);
    },
    snapshot() {
      const snap: Snapshot = {
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        fingerprint,
        epoch,
        lastTime,
        lastDay,
        activity,
        rules: Object.fromEntries(rules.map((r) => [r.id, r.state])),
        pending,
      };
      return serialize(snap);
    },
  };
}

function readSnapshot(bytes: Uint8Array, fingerprint: string): Snapshot {
  let snap: Snapshot;
  try {
    snap = deserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Snapshot;
  } catch {
    throw new SnapshotMismatchError('it is not a detector snapshot or is damaged');
  }
  if (snap?.format !== SNAPSHOT_FORMAT) throw new SnapshotMismatchError('it is not a detector snapshot');
  if (snap.version !== SNAPSHOT_VERSION) throw new SnapshotMismatchError(`it was written by format version ${snap.version}`);
  if (snap.fingerprint !== fingerprint) throw new SnapshotMismatchError('the anomaly settings or rules changed since');
  return snap;
}
