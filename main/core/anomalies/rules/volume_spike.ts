import type { AnomalyEvent } from '../event';
import { formatHour, plural, quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';

/**
 * volume_spike — an operator's authenticated events in one local clock hour exceed
 * max(`minCount`, `baselineFactor` × their `percentile`th-percentile hourly count over active hours
 * in the prior `baselineDays` days); with fewer than `minActiveDays` active days the threshold is
 * `fallbackThreshold`. Medium. The finding covers all of that hour's events.
 *
 * Per operator we keep the counts of their active clock hours per local day (≤ 24 × 29 numbers)
 * and, for the hour in progress, its events until the threshold is crossed (so the finding can
 * include the ones before the crossing). The percentile is the nearest-rank one.
 */
interface OperatorState {
  hourIndex: number;
  hourDay: number;
  count: number;
  pending: AnomalyEvent[];
  pendingEpochs: number[];
  pendingFlags: number[];
  group: Group<Data> | undefined;
  /** Local day → counts of that day's active clock hours. */
  hourly: Map<number, number[]>;
  thresholdDay: number;
  threshold: number;
  percentileValue: number | undefined;
  priorActiveDays: number;
}

interface Data {
  hourStart: number;
  hour: number;
  threshold: number;
  percentileValue: number | undefined;
  priorActiveDays: number;
}

type State = Map<string, OperatorState>;

export function volumeSpike(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.volume_spike;
  const days = env.config.baselineDays;
  const state: State = (saved as State | undefined) ?? new Map();

  const endHour = (op: OperatorState) => {
    if (op.count > 0) {
      const list = op.hourly.get(op.hourDay);
      if (list === undefined) op.hourly.set(op.hourDay, [op.count]);
      else list.push(op.count);
    }
    if (op.group !== undefined) env.close(rule, op.group as Group<unknown>);
    op.group = undefined;
    op.count = 0;
    op.pending = [];
    op.pendingEpochs = [];
    op.pendingFlags = [];
  };

  // Thresholds are worked out per operator and day (thousands of times in a long history), so the
  // counts go into one reused typed array, which sorts numerically without a comparator call.
  let counts = new Float64Array(1024);
  const updateThreshold = (op: OperatorState, day: number, priorActiveDays: number) => {
    let n = 0;
    for (const [d, list] of op.hourly) {
      if (d < day - days) op.hourly.delete(d);
      else if (d < day) {
        if (n + list.length > counts.length) {
          const larger = new Float64Array(Math.max(counts.length * 2, n + list.length));
          larger.set(counts.subarray(0, n));
          counts = larger;
        }
        for (let i = 0; i < list.length; i++) counts[n++] = list[i]!;
      }
    }
    op.priorActiveDays = priorActiveDays;
    if (priorActiveDays >= settings.minActiveDays && n > 0) {
      op.percentileValue = nearestRank(counts.subarray(0, n), settings.percentile);
      op.threshold = Math.max(settings.minCount, settings.baselineFactor * op.percentileValue);
    } else {
      op.percentileValue = undefined;
      op.threshold = settings.fallbackThreshold;
    }
    op.thresholdDay = day;
  };

  const rule: Rule = {
    id: 'volume_spike',
    state,
    push(e, ctx) {
      if (!ctx.authenticated) return;
      let op = state.get(e.operator_id);
      if (op === undefined) {
        op = {
          hourIndex: ctx.hourIndex,
          hourDay: ctx.day,
          count: 0,
          pending: [],
          pendingEpochs: [],
          pendingFlags: [],
          group: undefined,
          hourly: new Map(),
          thresholdDay: Number.NaN,
          threshold: 0,
          percentileValue: undefined,
          priorActiveDays: 0,
        };
        state.set(e.operator_id, op);
      }
      if (op.hourIndex !== ctx.hourIndex) {
        endHour(op);
        op.hourIndex = ctx.hourIndex;
        op.hourDay = ctx.day;
      }
      if (op.thresholdDay !== ctx.day) updateThreshold(op, ctx.day, ctx.priorActiveDays);
      op.count++;
      if (op.group !== undefined) {
        addToGroup(op.group as Group<unknown>, e, ctx.epoch, ctx.flags);
        return;
      }
      op.pending.push(e);
      op.pendingEpochs.push(ctx.epoch);
      op.pendingFlags.push(ctx.flags);
      if (op.count <= op.threshold) return;
      const g = openGroup<Data>(`operator:${e.operator_id}`, op.pending[0]!, {
        hourStart: op.pending[0]!.event_time,
        hour: ctx.hour,
        threshold: op.threshold,
        percentileValue: op.percentileValue,
        priorActiveDays: op.priorActiveDays,
      });
      for (let i = 0; i < op.pending.length; i++) addToGroup(g as Group<unknown>, op.pending[i]!, op.pendingEpochs[i]!, op.pendingFlags[i]!);
      op.pending = [];
      op.pendingEpochs = [];
      op.pendingFlags = [];
      op.group = g;
    },
    sweep(now, day) {
      const hourIndex = Math.floor((now + env.clock.offsetAt(now)) / 3600);
      for (const [id, op] of state) {
        if (op.hourIndex !== hourIndex && (op.count > 0 || op.group !== undefined)) endHour(op);
        for (const d of op.hourly.keys()) if (d < day - days) op.hourly.delete(d);
        if (op.count === 0 && op.hourly.size === 0) state.delete(id);
      }
    },
    *openGroups() {
      for (const op of state.values()) if (op.group) yield op.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const clock = env.clock;
      const hourText = `${clock.formatDate(g.first)} ${formatHour(g.data.hour)}–${formatHour((g.data.hour + 1) % 24)} ${clock.timeZone}`;
      const baseline =
        g.data.percentileValue === undefined
          ? `default threshold as only ${plural(g.data.priorActiveDays, 'active day')} in the prior ${days} (baseline needs ${settings.minActiveDays})`
          : `max(${settings.minCount}, ${settings.baselineFactor} × ${g.data.percentileValue}, their p${settings.percentile} events per active hour in the prior ${days} days)`;
      const explanation = `${plural(g.ids.length, 'event')} by ${quote(g.operator)} in the hour ${hourText}, above the threshold of ${g.data.threshold} (${baseline})`;
      return groupToFinding('volume_spike', group, 'medium', explanation, {
        threshold: g.data.threshold,
        percentile: settings.percentile,
        percentile_hourly_count: g.data.percentileValue ?? null,
        prior_active_days: g.data.priorActiveDays,
        baseline_days: days,
      });
    },
  };
  return rule;
}

/**
 * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
 * Sorts `values` in place.
 */
export function nearestRank(values: Float64Array, percentile: number): number {
  values.sort();
  const rank = Math.max(1, Math.ceil((percentile / 100) * values.length));
  return values[rank - 1]!;
}
