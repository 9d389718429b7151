import type { AuditEntry } from '../../core/records/entry';
import { generateCalendarTasks } from './calendar-tasks';
import { generateCiRun, MAX_RUN_SIZE, planCiRuns, sizeCiRuns } from './ci-runs';
import { generateHumanDay } from './human-day';
import { dormantReturnDay, generateIncidents, incidentDays } from './incidents';
import { buildPopulation, type Human } from './population';
import { createRng } from './random';
import { buildSchedule, DAY, HOUR, utcDayStart, type WorkSlot } from './schedule';
import { DEFAULT_NOW, type GeneratedHistory, type GeneratedOperator, type GenerateOptions } from './types';
import { World } from './world';

export type { AnomalyRuleId, GeneratedHistory, GeneratedOperator, GenerateOptions, InjectedIncident } from './types';
export { DEFAULT_NOW } from './types';

/** Share of the volume that CI jobs produce (capped per run, see ci-runs.ts). */
const CI_SHARE = 0.3;

/**
 * A realistic, reproducible audit history: `events` entries over `days` days ending at `now`, from
 * `operators` people and CI accounts, with one planted incident per anomaly rule in the last week
 * (given days >= 30). The same options always give the same entries, ids included.
 */
export function generateHistory(options: GenerateOptions): GeneratedHistory {
  const seed = Math.floor(options.seed);
  const days = Math.max(1, Math.floor(options.days));
  const events = Math.max(0, Math.floor(options.events));
  const now = Math.floor(options.now ?? DEFAULT_NOW);
  const start = now - days * DAY;
  const rng = createRng(seed);
  const withIncidents = options.incidents !== false && days >= 30 && events >= 1000 && options.operators >= 4;
  const population = buildPopulation(rng.fork('population'), Math.max(2, Math.floor(options.operators)), withIncidents);
  const world = new World(rng.fork('world'));
  const windowStart = withIncidents ? (incidentDays(now)[0] as number) : now;

  // The dormant person works a few days early on, then nothing for 30+ days before coming back.
  const dormantDays = new Set<number>();
  const extraSlots: WorkSlot[] = [];
  const dormant = population.humans.find((h) => h.dormant);
  if (dormant) {
    const lastEarly = dormantReturnDay(now) - 32 * DAY;
    for (let d = utcDayStart(start) + DAY; d <= Math.min(lastEarly, utcDayStart(start) + 15 * DAY); d += DAY) dormantDays.add(d);
    if (dormantDays.size === 0) {
      // Short histories: the earlier activity predates the requested window.
      for (const d of [lastEarly - DAY, lastEarly]) {
        extraSlots.push({ human: dormant, dayStart: d, from: d + dormant.startUtc * HOUR, to: d + dormant.endUtc * HOUR, where: 'office', weight: dormant.weight });
      }
    }
  }
  const slots = [...extraSlots, ...buildSchedule(rng.fork('schedule'), population.humans, { start, now, dormantDays, vacationBefore: windowStart - 28 * DAY })];

  const calendar = generateCalendarTasks(world, rng.fork('calendar'), slots, windowStart);
  const ciRuns = planCiRuns(rng.fork('ci-plan'), population.ci, start, now);
  const ciTotal = sizeCiRuns(ciRuns, Math.floor(Math.max(0, events - calendar.length) * CI_SHARE));

  const totalWeight = slots.reduce((sum, s) => sum + s.weight, 0) || 1;
  const humanEstimate = Math.max(0, events - calendar.length - ciTotal);
  const hourlyRate = (human: Human) => {
    const own = slots.filter((s) => s.human === human);
    const hours = own.reduce((sum, s) => sum + (s.to - s.from) / HOUR, 0) || 1;
    return (humanEstimate * own.reduce((sum, s) => sum + s.weight, 0)) / totalWeight / hours;
  };
  const planted = withIncidents ? generateIncidents(world, rng.fork('incidents'), { humans: population.humans, ci: population.ci, now, hourlyRate }) : { entries: [], incidents: [] };

  const entries: AuditEntry[] = [];
  const routineRng = rng.fork('routine');
  for (const run of ciRuns) generateCiRun(world, routineRng, run, entries);
  entries.push(...calendar);
  const humanBudget = Math.max(0, events - entries.length - planted.entries.length);
  const counts = splitBudget(routineRng, slots.map((s) => s.weight), humanBudget);
  const incidentPeople = new Set(planted.incidents.map((i) => i.operator_id));
  slots.forEach((slot, i) => {
    const quiet = slot.dayStart >= windowStart && incidentPeople.has(slot.human.operator.id);
    generateHumanDay(world, routineRng, slot, counts[i] as number, entries, quiet);
  });
  if (entries.length + planted.entries.length > events) trimRandom(routineRng, entries, events - planted.entries.length);
  entries.push(...planted.entries);
  entries.sort(byTimeThenId);
  return {
    entries,
    incidents: planted.incidents.sort((a, b) => a.start - b.start),
    operators: [
      ...population.humans.map((h): GeneratedOperator => ({
        id: h.operator.id,
        username: h.operator.username,
        kind: 'human',
        role: h.role,
        token_name: h.tokenName,
        networks: [`${h.officeNet}.0/24`, `${h.homeNet}.0/24`],
        hours_utc: [h.startUtc, h.endUtc],
      })),
      ...population.ci.map((c): GeneratedOperator => ({
        id: c.operator.id,
        username: c.operator.username,
        kind: 'ci',
        role: 'ci',
        token_name: c.tokenName,
        networks: [`${c.net}.0/24`],
        hours_utc: [Math.min(...c.runHours), Math.max(...c.runHours) + 1],
      })),
    ],
    incident_window_start: windowStart,
  };
}

export function byTimeThenId(a: AuditEntry, b: AuditEntry): number {
  return a.event_time - b.event_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Splits `total` into integer parts proportional to `weights` that add up exactly. */
function splitBudget(rng: ReturnType<typeof createRng>, weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  while (left > 0) {
    const i = rng.int(counts.length);
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return counts;
}

/** Tiny budgets only: drops random routine entries until `keep` remain. */
function trimRandom(rng: ReturnType<typeof createRng>, entries: AuditEntry[], keep: number): void {
  const target = Math.max(0, keep);
  while (entries.length > target) {
    const i = rng.int(entries.length);
    entries[i] = entries[entries.length - 1] as AuditEntry;
    entries.pop();
  }
}

export { MAX_RUN_SIZE };
