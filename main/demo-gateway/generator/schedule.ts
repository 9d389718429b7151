import type { Human } from './population';
import type { Rng } from './random';

export const DAY = 86400;
export const HOUR = 3600;

export function utcDayStart(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

export function isWeekend(dayStart: number): boolean {
  const weekday = new Date(dayStart * 1000).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Where a person works from on a day: the networks they use are what new_network baselines on. */
export type Whereabouts = 'office' | 'home' | 'split';

/** One person's working day: the window their events fall in and how much they do. */
export interface WorkSlot {
  human: Human;
  dayStart: number;
  from: number;
  to: number;
  where: Whereabouts;
  weight: number;
}

export interface ScheduleOptions {
  start: number;
  now: number;
  /** Days (UTC day starts) on which the dormant person works. */
  dormantDays: Set<number>;
  /** No vacations after this instant, so everyone has a full baseline before the incidents. */
  vacationBefore: number;
}

/**
 * Who works when. Weekday windows are each person's fixed UTC hours (so every hour they use is used
 * often, and after a few weeks nothing routine falls in an hour they never worked); on-call people
 * also work a short weekend window every week. Each person's first day mixes home and office so
 * both networks are known from the start.
 */
export function buildSchedule(rng: Rng, humans: Human[], options: ScheduleOptions): WorkSlot[] {
  const slots: WorkSlot[] = [];
  const firstDay = utcDayStart(options.start);
  const vacations = new Map<Human, [number, number]>();
  for (const human of humans) {
    const span = options.vacationBefore - firstDay;
    if (span > 12 * DAY && rng.chance(0.5)) {
      const begin = firstDay + (2 + rng.int(Math.floor(span / DAY) - 9)) * DAY;
      vacations.set(human, [begin, begin + (3 + rng.int(5)) * DAY]);
    }
  }
  const seenFirst = new Set<Human>();
  for (let day = firstDay; day < options.now; day += DAY) {
    const weekend = isWeekend(day);
    for (const human of humans) {
      if (human.dormant) {
        if (!options.dormantDays.has(day)) continue;
      } else {
        const vacation = vacations.get(human);
        if (vacation && day >= vacation[0] && day < vacation[1]) continue;
      }
      const fromHour = human.startUtc;
      let toHour = human.endUtc;
      if (weekend) {
        if (!human.weekends || !rng.chance(0.85)) continue;
        toHour = Math.min(toHour, fromHour + 3.5);
      } else if (!human.dormant && !rng.chance(0.93)) {
        continue;
      }
      const from = Math.max(day + fromHour * HOUR, options.start);
      const to = Math.min(day + toHour * HOUR, options.now);
      if (to - from < 600) continue;
      const where: Whereabouts = !seenFirst.has(human) ? 'split' : rng.chance(human.homeShare) ? 'home' : rng.chance(0.08) ? 'split' : 'office';
      seenFirst.add(human);
      slots.push({ human, dayStart: day, from, to, where, weight: human.weight * ((to - from) / ((toHour - fromHour) * HOUR)) * (weekend ? 0.3 : 1) });
    }
  }
  return slots;
}

/** The IP a person uses at `time` within a slot (split days: home in the morning, office after). */
export function ipAt(slot: WorkSlot, time: number): string {
  if (slot.where === 'home') return slot.human.homeIp;
  if (slot.where === 'office') return slot.human.officeIp;
  return time < (slot.from + slot.to) / 2 ? slot.human.homeIp : slot.human.officeIp;
}
