/**
 * Active days per operator: local days with at least one authenticated event. Several rules gate
 * on "≥ N active days in the prior baselineDays days"; the detector works it out once per
 * (operator, day) here. Memory: at most baselineDays + 1 day numbers per operator.
 */
export interface ActiveDays {
  /** Distinct active days, ascending; all ≥ day - baselineDays. */
  days: number[];
  /** Active days in [day - baselineDays, day - 1] for `days`' last entry. */
  prior: number;
}

export type ActivityState = Map<string, ActiveDays>;

/** Records an authenticated event of `operatorId` on `day` (days never decrease) and returns the prior count. */
export function recordActiveDay(state: ActivityState, operatorId: string, day: number, baselineDays: number): number {
  let a = state.get(operatorId);
  if (a === undefined) {
    a = { days: [], prior: 0 };
    state.set(operatorId, a);
  }
  const last = a.days[a.days.length - 1];
  if (last === day) return a.prior;
  let drop = 0;
  while (drop < a.days.length && a.days[drop]! < day - baselineDays) drop++;
  if (drop > 0) a.days.splice(0, drop);
  a.prior = a.days.length;
  a.days.push(day);
  return a.prior;
}

/** Forgets operators with no active day left inside any future baseline. */
export function pruneActivity(state: ActivityState, day: number, baselineDays: number): void {
  for (const [id, a] of state) {
    if ((a.days[a.days.length - 1] ?? -Infinity) < day - baselineDays) state.delete(id);
  }
}
