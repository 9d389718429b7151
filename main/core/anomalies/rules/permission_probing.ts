import { closeIfStale, isIdle, newBurstKey, takeWindow, type BurstKey } from '../burst';
import { formatDuration, listSome, plural, quote } from '../format';
import { groupToFinding, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';
import { windowExpire, windowPush, windowSize } from '../window';

/**
 * permission_probing — ≥ `denials` events with status `statusCode` (403) for one operator within
 * `windowMinutes`. High.
 */
interface Data {
  maxInWindow: number;
}

type State = Map<string, BurstKey<Data>>;

export function permissionProbing(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.permission_probing;
  const windowSeconds = settings.windowMinutes * 60;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const rule: Rule = {
    id: 'permission_probing',
    state,
    push(e, ctx) {
      if (e.status_code !== settings.statusCode || e.operator_id === '') return;
      let k = state.get(e.operator_id);
      if (k === undefined) {
        k = newBurstKey<Data>();
        state.set(e.operator_id, k);
      }
      windowPush(k.window, e, ctx.epoch, ctx.flags);
      windowExpire(k.window, e.event_time - windowSeconds);
      closeIfStale(k, close);
      const count = windowSize(k.window);
      if (count < settings.denials) return;
      const g = takeWindow(k, `operator:${e.operator_id}`, () => ({ maxInWindow: 0 }));
      g.data.maxInWindow = Math.max(g.data.maxInWindow, count);
    },
    sweep(now) {
      for (const [id, k] of state) {
        windowExpire(k.window, now - windowSeconds);
        closeIfStale(k, close);
        if (isIdle(k)) state.delete(id);
      }
    },
    *openGroups() {
      for (const k of state.values()) if (k.group) yield k.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const explanation =
        `${plural(g.ids.length, 'request')} by ${quote(g.operator)} denied with ${settings.statusCode} in ${formatDuration(g.last - g.first)} ` +
        `(threshold ${settings.denials} in ${settings.windowMinutes} min) on ${listSome(g.eventTypes)}`;
      return groupToFinding('permission_probing', group, 'high', explanation, {
        max_in_window: g.data.maxInWindow,
        threshold: settings.denials,
        window_minutes: settings.windowMinutes,
        status_code: settings.statusCode,
      });
    },
  };
  return rule;
}
