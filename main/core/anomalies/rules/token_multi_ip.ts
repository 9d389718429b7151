import { closeIfStale, isIdle, newBurstKey, takeWindow, type BurstKey } from '../burst';
import { formatDuration, listSome, quote } from '../format';
import { groupToFinding, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';
import { windowExpire, windowPush } from '../window';

/**
 * token_multi_ip — one (operator, non-empty token_name) used from ≥ `distinctIps` distinct IPs
 * within `windowMinutes`. High. Events without an IP say nothing about this and are skipped.
 */
interface TokenState {
  burst: BurstKey<Data>;
  /** IP → number of the window's events from it. */
  ipCounts: Map<string, number>;
}

interface Data {
  token: string;
  maxDistinct: number;
}

type State = Map<string, TokenState>;

export function tokenMultiIp(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.token_multi_ip;
  const windowSeconds = settings.windowMinutes * 60;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const expire = (t: TokenState, minTime: number) =>
    windowExpire(t.burst.window, minTime, (old) => {
      const left = (t.ipCounts.get(old.ip) ?? 1) - 1;
      if (left === 0) t.ipCounts.delete(old.ip);
      else t.ipCounts.set(old.ip, left);
    });

  // The same few (operator, token) pairs come on every event: reusing one key string per pair
  // spares building and hashing a new one each time.
  const keys = new Map<string, Map<string, string>>();
  const stateKey = (operatorId: string, token: string): string => {
    let byToken = keys.get(operatorId);
    if (byToken === undefined) {
      byToken = new Map();
      keys.set(operatorId, byToken);
    }
    let key = byToken.get(token);
    if (key === undefined) {
      key = `${operatorId}\u0000${token}`;
      byToken.set(token, key);
    }
    return key;
  };

  const rule: Rule = {
    id: 'token_multi_ip',
    state,
    push(e, ctx) {
      if (e.token_name === '' || e.ip === '') return;
      const key = stateKey(e.operator_id, e.token_name);
      let t = state.get(key);
      if (t === undefined) {
        t = { burst: newBurstKey<Data>(), ipCounts: new Map() };
        state.set(key, t);
      }
      windowPush(t.burst.window, e, ctx.epoch, ctx.flags);
      t.ipCounts.set(e.ip, (t.ipCounts.get(e.ip) ?? 0) + 1);
      expire(t, e.event_time - windowSeconds);
      closeIfStale(t.burst, close);
      const distinct = t.ipCounts.size;
      if (distinct < settings.distinctIps) return;
      const g = takeWindow(t.burst, `operator:${e.operator_id}|token:${e.token_name}`, () => ({ token: e.token_name, maxDistinct: 0 }));
      g.data.maxDistinct = Math.max(g.data.maxDistinct, distinct);
    },
    sweep(now) {
      // Once a day, so the key memo holds only recent pairs.
      keys.clear();
      for (const [key, t] of state) {
        expire(t, now - windowSeconds);
        closeIfStale(t.burst, close);
        if (isIdle(t.burst)) state.delete(key);
      }
    },
    *openGroups() {
      for (const t of state.values()) if (t.burst.group) yield t.burst.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const explanation =
        `token '${g.data.token}' of ${quote(g.operator)} used from ${g.data.maxDistinct} IPs within ${settings.windowMinutes} min ` +
        `(threshold ${settings.distinctIps} in ${settings.windowMinutes} min): ${listSome([...g.ips].sort(), 5)}; ` +
        `${g.ids.length} events over ${formatDuration(g.last - g.first)}`;
      return groupToFinding('token_multi_ip', group, 'high', explanation, {
        token_name: g.data.token,
        max_distinct_ips: g.data.maxDistinct,
        threshold: settings.distinctIps,
        window_minutes: settings.windowMinutes,
      });
    },
  };
  return rule;
}
