import { formatDuration, quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';

/**
 * dormant_account — the first authenticated event of an operator after ≥ `dormantDays` days
 * without events, when they had events before. Medium.
 *
 * Only the last time each operator was seen is kept. An incremental scan that replays a short
 * history seeds it (detector.seedLastSeen) from the cache, since the gap can be longer than any
 * history window.
 */
interface Data {
  previous: number;
}

export type DormantState = Map<string, number>;

export function dormantAccount(env: RuleEnv, saved?: object): Rule & { seed(operatorId: string, lastSeen: number): void } {
  const settings = env.config.rules.dormant_account;
  const gapSeconds = settings.dormantDays * 86_400;
  const state: DormantState = (saved as DormantState | undefined) ?? new Map();
  const rule = {
    id: 'dormant_account' as const,
    state,
    seed(operatorId: string, lastSeen: number) {
      const known = state.get(operatorId);
      if (known === undefined || known < lastSeen) state.set(operatorId, lastSeen);
    },
    push(e: Parameters<Rule['push']>[0], ctx: Parameters<Rule['push']>[1]) {
      if (!ctx.authenticated) return;
      const previous = state.get(e.operator_id);
      state.set(e.operator_id, e.event_time);
      if (previous === undefined || e.event_time - previous < gapSeconds) return;
      const g = openGroup<Data>(`operator:${e.operator_id}`, e, { previous });
      addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
      env.close(rule, g as Group<unknown>);
    },
    sweep() {},
    openGroups: () => [],
    render(group: Group<unknown>) {
      const g = group as Group<Data>;
      const gap = g.first - g.data.previous;
      const explanation =
        `first activity by ${quote(g.operator)} in ${formatDuration(gap)} ` +
        `(last seen ${env.clock.formatDateTime(g.data.previous)} ${env.clock.timeZone}; threshold ${settings.dormantDays} days)`;
      return groupToFinding('dormant_account', group, 'medium', explanation, {
        previous_event_time: g.data.previous,
        gap_days: Math.floor(gap / 86_400),
        threshold_days: settings.dormantDays,
      });
    },
  };
  return rule;
}
