import { DESTRUCTIVE, PRIVILEGE, SENSITIVE } from '../flags';
import { formatHour, formatHourRuns, plural, quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import { WEEKDAY_NAMES, weekdayOfDay } from '../local-clock';
import type { Rule, RuleEnv } from '../rule';

/**
 * off_hours — authenticated activity at an hour of day in which the operator had no activity in
 * the prior `baselineDays` days, or on Sat/Sun when they had no weekend activity in them. With
 * fewer than `minActiveDays` active days in that period the baseline is too thin, and the event is
 * judged against Mon–Fri [workdayStartHour, workdayEndHour) instead. Off-hours events whose gaps
 * are < `groupGapMinutes` form one finding. Medium; high if the finding holds a privilege,
 * sensitive or destructive event.
 *
 * "Prior days" are whole local days before the event's day, so every event of a night is judged
 * against the same baseline (not only the first one of each hour). Per operator we keep, for each
 * hour of day and for "weekend", the last two distinct days it was seen: the most recent day
 * before today is then always at hand, in O(1) memory.
 */
const NEVER = -1e9;

interface OperatorState {
  hourLast: number[];
  hourPrev: number[];
  weekendLast: number;
  weekendPrev: number;
  group: Group<Data> | undefined;
}

interface Data {
  /** Local hours flagged against the operator's own baseline. */
  unusualHours: Set<number>;
  /** Weekend days (names) flagged against the operator's own baseline. */
  unusualWeekdays: Set<string>;
  /** Set when some event was judged against the default working hours. */
  fallbackActiveDays: number | undefined;
  usualHours: number[];
}

type State = Map<string, OperatorState>;

export function offHours(env: RuleEnv, saved?: object): Rule {
  const settings = env.config.rules.off_hours;
  const days = env.config.baselineDays;
  const gapSeconds = settings.groupGapMinutes * 60;
  const state: State = (saved as State | undefined) ?? new Map();
  const close = (g: Group<Data>) => env.close(rule, g as Group<unknown>);

  const rule: Rule = {
    id: 'off_hours',
    state,
    push(e, ctx) {
      if (!ctx.authenticated) return;
      let op = state.get(e.operator_id);
      if (op === undefined) {
        op = {
          hourLast: Array<number>(24).fill(NEVER),
          hourPrev: Array<number>(24).fill(NEVER),
          weekendLast: NEVER,
          weekendPrev: NEVER,
          group: undefined,
        };
        state.set(e.operator_id, op);
      }
      const { day, hour, weekday } = ctx;
      const since = day - days;
      const isWeekend = weekday === 0 || weekday === 6;

      let unusualHour = false;
      let unusualWeekend = false;
      let fallback = false;
      if (ctx.priorActiveDays >= settings.minActiveDays) {
        unusualHour = lastDayBefore(op.hourLast[hour]!, op.hourPrev[hour]!, day) < since;
        unusualWeekend = isWeekend && lastDayBefore(op.weekendLast, op.weekendPrev, day) < since;
      } else {
        fallback = isWeekend || hour < settings.workdayStartHour || hour >= settings.workdayEndHour;
      }

      if (op.group !== undefined && e.event_time - op.group.last >= gapSeconds) {
        close(op.group);
        op.group = undefined;
      }
      if (unusualHour || unusualWeekend || fallback) {
        if (op.group === undefined) {
          op.group = openGroup(`operator:${e.operator_id}`, e, {
            unusualHours: new Set<number>(),
            unusualWeekdays: new Set<string>(),
            fallbackActiveDays: undefined,
            usualHours: usualHours(op, day, since),
          });
        }
        const g = op.group;
        addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
        if (unusualHour) g.data.unusualHours.add(hour);
        if (unusualWeekend) g.data.unusualWeekdays.add(WEEKDAY_NAMES[weekday]!);
        if (fallback) g.data.fallbackActiveDays = ctx.priorActiveDays;
      }

      if (op.hourLast[hour] !== day) {
        op.hourPrev[hour] = op.hourLast[hour]!;
        op.hourLast[hour] = day;
      }
      if (isWeekend && op.weekendLast !== day) {
        op.weekendPrev = op.weekendLast;
        op.weekendLast = day;
      }
    },
    sweep(now, day) {
      for (const [id, op] of state) {
        if (op.group !== undefined && now - op.group.last >= gapSeconds) {
          close(op.group);
          op.group = undefined;
        }
        // Nothing of this operator is inside any future baseline any more: forget them.
        if (op.group === undefined && Math.max(...op.hourLast) < day - days) state.delete(id);
      }
    },
    *openGroups() {
      for (const op of state.values()) if (op.group) yield op.group as Group<unknown>;
    },
    render(group) {
      const g = group as Group<Data>;
      const clock = env.clock;
      const zone = clock.timeZone;
      const sameDay = clock.formatDate(g.first) === clock.formatDate(g.last);
      const weekday = WEEKDAY_NAMES[weekdayOfDay(clock.dayOf(g.first))];
      const when = sameDay
        ? g.first === g.last
          ? `at ${clock.formatTime(g.first)} ${zone} on ${weekday} ${clock.formatDate(g.first)}`
          : `on ${weekday} ${clock.formatDate(g.first)} ${clock.formatTime(g.first)}–${clock.formatTime(g.last)} ${zone}`
        : `from ${clock.formatDateTime(g.first)} to ${clock.formatDateTime(g.last)} ${zone}`;
      const reasons: string[] = [];
      if (g.data.unusualHours.size > 0) {
        const hours = [...g.data.unusualHours].sort((a, b) => a - b).map(formatHour).join(', ');
        reasons.push(`first activity at ${hours} ${zone} in ${days} days; usual hours ${formatHourRuns(g.data.usualHours)}`);
      }
      if (g.data.unusualWeekdays.size > 0) {
        reasons.push(`first weekend activity (${[...g.data.unusualWeekdays].join(', ')}) in ${days} days`);
      }
      if (g.data.fallbackActiveDays !== undefined) {
        reasons.push(
          `outside Mon–Fri ${formatHour(settings.workdayStartHour)}–${formatHour(settings.workdayEndHour)} ${zone}, ` +
            `judged by default working hours as only ${plural(g.data.fallbackActiveDays, 'active day')} in the prior ${days} (baseline needs ${settings.minActiveDays})`,
        );
      }
      const explanation = `${plural(g.ids.length, 'event')} by ${quote(g.operator)} ${when}: ${reasons.join('; ')}`;
      const high = (g.flags & (PRIVILEGE | SENSITIVE | DESTRUCTIVE)) !== 0;
      return groupToFinding('off_hours', g as Group<unknown>, high ? 'high' : 'medium', explanation, {
        unusual_hours: [...g.data.unusualHours].sort((a, b) => a - b),
        unusual_weekdays: [...g.data.unusualWeekdays],
        usual_hours: g.data.usualHours,
        judged_by_default_hours: g.data.fallbackActiveDays !== undefined,
        baseline_days: days,
        timezone: zone,
        group_gap_minutes: settings.groupGapMinutes,
      });
    },
  };
  return rule;
}

/** The most recent day before `day` on which a slot was active, from its last two distinct days. */
function lastDayBefore(last: number, prev: number, day: number): number {
  return last < day ? last : prev;
}

function usualHours(op: OperatorState, day: number, since: number): number[] {
  const hours: number[] = [];
  for (let h = 0; h < 24; h++) if (lastDayBefore(op.hourLast[h]!, op.hourPrev[h]!, day) >= since) hours.push(h);
  return hours;
}
