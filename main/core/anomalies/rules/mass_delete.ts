import { closeIfStale, isIdle, newBurstKey, takeWindow, type BurstKey } from '../burst';
import { DESTRUCTIVE } from '../flags';
import { formatDuration, plural, quote } from '../format';
import { groupToFinding, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';
import { windowExpire, windowPush, windowSize } from '../window';

/**
 * mass_delete — an operator's successful destructive events within any `windowMinutes` exceed
 * max(`minCount`, `baselineFactor` × their largest `windowMinutes` count in the prior
 * `baselineDays` days). High.
 *
 * The "largest count" baseline is kept as one maximum per local day (≤ baselineDays + 1 numbers
 * per operator), so a routine daily bulk job raises its own bar after its first day.
 */
interface OperatorState {
  burst: BurstKey<Data>;
  /** Local day → largest window count that day. */
  dailyMax: Map<number, number>;
  thresholdDay: number;
  threshold: number;
  baselineMax: number;
}

interface Data {
  threshold: number;
  baselineMax: number;
  maxInWindow: number;
}

type State = Map<string, OperatorState>;

export function massDelete(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.mass_delete;
  const days = env.config.baselineDays;
  const windowSeconds = settings.windowMinutes * 60;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const rule: Rule = {
    id: 'mass_delete',
    state,
    push(e, ctx) {
      if (e.failed || (ctx.flags & DESTRUCTIVE) === 0 || e.operator_id === '') return;
      let op = state.get(e.operator_id);
      if (op === undefined) {
        op = { burst: newBurstKey<Data>(), dailyMax: new Map(), thresholdDay: Number.NaN, threshold: 0, baselineMax: 0 };
        state.set(e.operator_id, op);
      }
      if (op.thresholdDay !== ctx.day) {
        let baselineMax = 0;
        for (const [day, max] of op.dailyMax) {
          if (day < ctx.day - days) op.dailyMax.delete(day);
          else if (day < ctx.day && max > baselineMax) baselineMax = max;
        }
        op.baselineMax = baselineMax;
        op.threshold = Math.max(settings.minCount, settings.baselineFactor * baselineMax);
        op.thresholdDay = ctx.day;
      }
      const k = op.burst;
      windowPush(k.window, e, ctx.epoch, ctx.flags);
      windowExpire(k.window, e.event_time - windowSeconds);
      closeIfStale(k, close);
      const count = windowSize(k.window);
      if (count > (op.dailyMax.get(ctx.day) ?? 0)) op.dailyMax.set(ctx.day, count);
      if (count <= op.threshold) return;
      const threshold = op.threshold;
      const baselineMax = op.baselineMax;
      const g = takeWindow(k, `operator:${e.operator_id}`, () => ({ threshold, baselineMax, maxInWindow: 0 }));
      g.data.maxInWindow = Math.max(g.data.maxInWindow, count);
    },
    sweep(now, day) {
      for (const [id, op] of state) {
        windowExpire(op.burst.window, now - windowSeconds);
        closeIfStale(op.burst, close);
        for (const d of op.dailyMax.keys()) if (d < day - days) op.dailyMax.delete(d);
        if (isIdle(op.burst) && op.dailyMax.size === 0) state.delete(id);
      }
    },
    *openGroups() {
      for (const op of state.values()) if (op.burst.group) yield op.burst.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const explanation =
        `${g.data.maxInWindow} successful destructive events by ${quote(g.operator)} within ${settings.windowMinutes} min ` +
        `(threshold: more than ${g.data.threshold} = max(${settings.minCount}, ${settings.baselineFactor} × ${g.data.baselineMax}, ` +
        `their largest ${settings.windowMinutes}-min count in the prior ${days} days); ` +
        `${plural(g.ids.length, 'event')} over ${formatDuration(g.last - g.first)} in all`;
      return groupToFinding('mass_delete', group, 'high', explanation, {
        max_in_window: g.data.maxInWindow,
        threshold: g.data.threshold,
        baseline_max: g.data.baselineMax,
        window_minutes: settings.windowMinutes,
        baseline_days: days,
      });
    },
  };
  return rule;
}
