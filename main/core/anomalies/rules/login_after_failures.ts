import { closeIfStale, isIdle, newBurstKey, takeWindow, type BurstKey } from '../burst';
import { formatDuration, plural, quote } from '../format';
import { addToGroup, groupToFinding, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';
import { windowExpire, windowPush, windowSize } from '../window';

/**
 * login_after_failures — a successful Login preceded by ≥ `failures` failed Login for that username
 * within `windowMinutes`. Severity high.
 *
 * A second success while the same failures are still in the window satisfies the definition too;
 * it joins the same finding instead of repeating those failures in another one.
 */
interface Data {
  successes: number;
  operatorId: string;
  successIps: Set<string>;
  failuresBeforeFirstSuccess: number;
}

type State = Map<string, BurstKey<Data>>;

export function loginAfterFailures(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.login_after_failures;
  const windowSeconds = settings.windowMinutes * 60;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const rule: Rule = {
    id: 'login_after_failures',
    state,
    push(e, ctx) {
      if (e.event_type !== 'Login' || e.username === '') return;
      let k = state.get(e.username);
      if (e.failed) {
        if (k === undefined) {
          k = newBurstKey<Data>();
          state.set(e.username, k);
        }
        windowPush(k.window, e, ctx.epoch, ctx.flags);
        windowExpire(k.window, e.event_time - windowSeconds);
        closeIfStale(k, close);
        return;
      }
      if (k === undefined) return;
      windowExpire(k.window, e.event_time - windowSeconds);
      closeIfStale(k, close);
      const failures = windowSize(k.window);
      if (failures < settings.failures) return;
      const g = takeWindow(k, `username:${e.username}`, () => ({
        successes: 0,
        operatorId: e.operator_id,
        successIps: new Set<string>(),
        failuresBeforeFirstSuccess: failures,
      }));
      addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
      g.data.successes++;
      if (e.ip !== '') g.data.successIps.add(e.ip);
    },
    sweep(now) {
      for (const [username, k] of state) {
        windowExpire(k.window, now - windowSeconds);
        closeIfStale(k, close);
        if (isIdle(k)) state.delete(username);
      }
    },
    *openGroups() {
      for (const k of state.values()) if (k.group) yield k.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const failures = g.ids.length - g.data.successes;
      const from = g.data.successIps.size === 0 ? '' : ` from ${[...g.data.successIps].join(', ')}`;
      const again = g.data.successes > 1 ? ` (${g.data.successes} successful logins in all)` : '';
      const explanation =
        `successful login as ${quote(g.operator)}${from} after ${plural(failures, 'failed login')} ` +
        `in ${formatDuration(g.last - g.first)} (threshold ${settings.failures} in ${settings.windowMinutes} min)${again}`;
      const finding = groupToFinding('login_after_failures', g as Group<unknown>, 'high', explanation, {
        failed_logins: failures,
        successful_logins: g.data.successes,
        failures_before_first_success: g.data.failuresBeforeFirstSuccess,
        threshold: settings.failures,
        window_minutes: settings.windowMinutes,
      });
      return { ...finding, operator_id: g.data.operatorId };
    },
  };
  return rule;
}
