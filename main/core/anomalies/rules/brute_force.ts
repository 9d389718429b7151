import type { AnomalyEvent } from '../event';
import { closeIfStale, isIdle, newBurstKey, takeWindow, type BurstKey } from '../burst';
import { formatDuration, listSome, plural, quote } from '../format';
import { groupToFinding, type Group } from '../group';
import type { EventContext, Rule, RuleEnv } from '../rule';
import { windowExpire, windowPush, windowSize } from '../window';

/**
 * brute_force — ≥ `failures` failed Login for one username, or from one IP, within `windowMinutes`.
 * Severity high.
 *
 * Both keys are tracked. When every record of an IP finding targets the same (known) username,
 * the username finding holds those very records (its windows are supersets), so the IP finding is
 * not reported a second time; an IP finding survives when it spans several usernames (spraying).
 */
interface Data {
  kind: 'username' | 'ip';
  usernames: Set<string>;
  maxInWindow: number;
}

interface State {
  byUsername: Map<string, BurstKey<Data>>;
  byIp: Map<string, BurstKey<Data>>;
}

export function bruteForce(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.brute_force;
  const windowSeconds = settings.windowMinutes * 60;
  const state: State = (saved as State | undefined) ?? { byUsername: new Map(), byIp: new Map() };
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const track = (keys: Map<string, BurstKey<Data>>, kind: Data['kind'], value: string, e: AnomalyEvent, ctx: EventContext) => {
    let k = keys.get(value);
    if (k === undefined) {
      k = newBurstKey<Data>();
      keys.set(value, k);
    }
    windowPush(k.window, e, ctx.epoch, ctx.flags);
    windowExpire(k.window, e.event_time - windowSeconds);
    closeIfStale(k, close);
    const size = windowSize(k.window);
    if (size < settings.failures) return;
    const g = takeWindow(k, `${kind}:${value}`, () => ({ kind, usernames: new Set<string>(), maxInWindow: 0 }), (group, event) => {
      group.data.usernames.add(event.username);
    });
    g.data.maxInWindow = Math.max(g.data.maxInWindow, size);
  };

  const sweepKeys = (keys: Map<string, BurstKey<Data>>, now: number) => {
    for (const [value, k] of keys) {
      windowExpire(k.window, now - windowSeconds);
      closeIfStale(k, close);
      if (isIdle(k)) keys.delete(value);
    }
  };

  const rule: Rule = {
    id: 'brute_force',
    state,
    push(e, ctx) {
      if (e.event_type !== 'Login' || !e.failed) return;
      if (e.username !== '') track(state.byUsername, 'username', e.username, e, ctx);
      if (e.ip !== '') track(state.byIp, 'ip', e.ip, e, ctx);
    },
    sweep(now) {
      sweepKeys(state.byUsername, now);
      sweepKeys(state.byIp, now);
    },
    *openGroups() {
      for (const k of state.byUsername.values()) if (k.group) yield k.group as Group<unknown>;
      for (const k of state.byIp.values()) if (k.group) yield k.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const usernames = [...g.data.usernames].filter((u) => u !== '');
      if (g.data.kind === 'ip' && usernames.length === 1 && g.data.usernames.size === 1) return undefined;
      const threshold = `(threshold ${settings.failures} in ${settings.windowMinutes} min)`;
      const span = formatDuration(g.last - g.first);
      const n = plural(g.ids.length, 'failed login');
      let explanation: string;
      let operator = g.operator;
      let operatorId = g.operator_id;
      if (g.data.kind === 'username') {
        const from = g.ips.size === 0 ? '' : g.ips.size === 1 ? ` from ${[...g.ips][0]}` : ` from ${g.ips.size} IPs`;
        explanation = `${n} for ${quote(g.operator)}${from} in ${span} ${threshold}`;
      } else {
        const ip = g.key.slice('ip:'.length);
        const whom = usernames.length === 0 ? 'unknown usernames' : usernames.length === 1 ? quote(usernames[0]!) : `${usernames.length} usernames (${listSome(usernames.map(quote))})`;
        explanation = `${n} from ${ip} for ${whom} in ${span} ${threshold}`;
        if (usernames.length !== 1) {
          operator = '';
          operatorId = '';
        }
      }
      const finding = groupToFinding('brute_force', g as Group<unknown>, 'high', explanation, {
        key: g.data.kind,
        usernames: usernames.slice(0, 100),
        max_in_window: g.data.maxInWindow,
        threshold: settings.failures,
        window_minutes: settings.windowMinutes,
      });
      return { ...finding, operator, operator_id: operatorId };
    },
  };
  return rule;
}
