import { formatDuration, listSome, plural, quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import { networkOf } from '../network';
import type { Rule, RuleEnv } from '../rule';

/**
 * new_network — an authenticated event from an IPv4 /24 (IPv6 /48) the operator did not use in the
 * prior `baselineDays` days, given ≥ `minActiveDays` active days in them. One finding per
 * (operator, network), covering that operator's events from that network in the next
 * `coverHours` hours. Medium.
 *
 * Per (operator, network) we keep the last two distinct local days it was used, which answers
 * "used on some day before today within the baseline" in O(1).
 */
const NEVER = -1e9;

interface NetworkDays {
  last: number;
  prev: number;
}

interface OperatorState {
  networks: Map<string, NetworkDays>;
  open: Map<string, Group<Data>>;
}

interface Data {
  network: string;
  priorActiveDays: number;
  knownNetworks: string[];
}

type State = Map<string, OperatorState>;

export function newNetwork(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.new_network;
  const days = env.config.baselineDays;
  const coverSeconds = settings.coverHours * 3600;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const closeExpired = (op: OperatorState, now: number) => {
    for (const [network, g] of op.open) {
      if (now > g.first + coverSeconds) {
        close(g);
        op.open.delete(network);
      }
    }
  };

  const rule: Rule = {
    id: 'new_network',
    state,
    push(e, ctx) {
      if (!ctx.authenticated) return;
      let op = state.get(e.operator_id);
      if (op === undefined) {
        op = { networks: new Map(), open: new Map() };
        state.set(e.operator_id, op);
      }
      if (op.open.size > 0) closeExpired(op, e.event_time);
      const network = networkOf(e.ip, settings.ipv4PrefixBits, settings.ipv6PrefixBits);
      if (network === undefined) return;

      const open = op.open.get(network);
      let used = op.networks.get(network);
      if (open !== undefined) {
        addToGroup(open as Group<unknown>, e, ctx.epoch, ctx.flags);
      } else if (ctx.priorActiveDays >= settings.minActiveDays) {
        const since = ctx.day - days;
        if (used === undefined || lastDayBefore(used, ctx.day) < since) {
          const known: string[] = [];
          for (const [other, d] of op.networks) if (lastDayBefore(d, ctx.day) >= since) known.push(other);
          const g = openGroup(`operator:${e.operator_id}|network:${network}`, e, {
            network,
            priorActiveDays: ctx.priorActiveDays,
            knownNetworks: known.sort(),
          });
          addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
          op.open.set(network, g);
        }
      }

      if (used === undefined) {
        used = { last: NEVER, prev: NEVER };
        op.networks.set(network, used);
      }
      if (used.last !== ctx.day) {
        used.prev = used.last;
        used.last = ctx.day;
      }
    },
    sweep(now, day) {
      for (const [id, op] of state) {
        closeExpired(op, now);
        for (const [network, d] of op.networks) if (d.last < day - days) op.networks.delete(network);
        if (op.networks.size === 0 && op.open.size === 0) state.delete(id);
      }
    },
    *openGroups() {
      for (const op of state.values()) yield* op.open.values() as Iterable<Group<unknown>>;
    },
    render(group) {
      const g = group as Group<Data>;
      const known = g.data.knownNetworks;
      const baseline =
        known.length === 0 ? 'no network with an IP address' : `${plural(known.length, 'other network')}: ${listSome(known)}`;
      const explanation =
        `first use of ${g.data.network} by ${quote(g.operator)} in ${days} days ` +
        `(${plural(g.ids.length, 'event')} from ${listSome(g.ips)} over ${formatDuration(g.last - g.first)}); ` +
        `the prior ${days} days had ${plural(g.data.priorActiveDays, 'active day')} and ${baseline}`;
      return groupToFinding('new_network', g as Group<unknown>, 'medium', explanation, {
        network: g.data.network,
        known_networks: known.slice(0, 50),
        prior_active_days: g.data.priorActiveDays,
        min_active_days: settings.minActiveDays,
        cover_hours: settings.coverHours,
        baseline_days: days,
      });
    },
  };
  return rule;
}

function lastDayBefore(d: NetworkDays, day: number): number {
  return d.last < day ? d.last : d.prev;
}
