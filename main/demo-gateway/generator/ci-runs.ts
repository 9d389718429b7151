import type { AuditEntry } from '../../core/records/entry';
import { act, type Actor } from './actions';
import type { CiAccount } from './population';
import type { Rng } from './random';
import { DAY, HOUR, isWeekend, utcDayStart } from './schedule';
import type { World } from './world';

export interface CiRun {
  account: CiAccount;
  start: number;
  size: number;
}

/** Keeps a run's events inside one clock hour and under the volume rules' cold-start threshold. */
export const MAX_RUN_SIZE = 150;

/** Every scheduled run from `start` to `now`, sizes still zero. */
export function planCiRuns(rng: Rng, accounts: CiAccount[], start: number, now: number): CiRun[] {
  const runs: CiRun[] = [];
  for (let day = utcDayStart(start); day < now; day += DAY) {
    for (const account of accounts) {
      if (account.weekdaysOnly && isWeekend(day)) continue;
      for (const hour of account.runHours) {
        const t = day + hour * HOUR + rng.int(90);
        if (t >= start && t < now - 600) runs.push({ account, start: t, size: 0 });
      }
    }
  }
  return runs;
}

/** The nightly sync always re-creates its 15 canaries (30 calls) plus a few updates, budget permitting. */
const NIGHTLY_MIN = 34;

/** Splits `budget` events over the runs: nightly syncs get their minimum first, then all share evenly. */
export function sizeCiRuns(runs: CiRun[], budget: number): number {
  if (runs.length === 0) return 0;
  const nightly = runs.filter((r) => r.account.job === 'nightly_adc');
  const nightlyFloor = nightly.length * NIGHTLY_MIN <= budget / 2 ? NIGHTLY_MIN : 0;
  let left = budget - nightly.length * nightlyFloor;
  const each = Math.min(MAX_RUN_SIZE - nightlyFloor, Math.floor(left / runs.length));
  let total = 0;
  for (const run of runs) {
    run.size = each + (run.account.job === 'nightly_adc' ? nightlyFloor : 0);
    total += run.size;
  }
  left = Math.min(budget - total, runs.length);
  for (let i = 0; i < runs.length && left > 0 && each < MAX_RUN_SIZE - nightlyFloor; i++, left--) {
    (runs[i] as CiRun).size++;
    total++;
  }
  return total;
}

/**
 * One CI job run: the nightly ADC sync deletes and re-creates its 15 canary routes (new ids each
 * night) and re-applies the rest; GitOps deploys update routes and publish services; Terraform
 * keeps consumers in line. Calls are a second or two apart, all from the runner's fixed IP.
 */
export function generateCiRun(world: World, rng: Rng, run: CiRun, out: AuditEntry[]): void {
  const { account } = run;
  const actor: Actor = { operator: account.operator, source: 'api', token_name: account.tokenName, ip: account.ip, userAgent: account.userAgent };
  let t = run.start;
  let left = run.size;
  const step = () => (t += 0.4 + rng.next() * 1.6);
  const failure = () => (rng.chance(0.01) ? rng.pick([400, 409]) : 200);
  if (account.job === 'nightly_adc') {
    const recreate = Math.min(15, Math.floor(left / 2));
    const canaries = world.nightlyRoutes().slice(0, recreate);
    for (const route of canaries) {
      out.push(act(world, rng, step(), actor, 'DeleteRoute', { resource: world.remove('nightly_route', route) }));
    }
    canaries.forEach((_, slot) => {
      out.push(act(world, rng, step(), actor, 'AddRoute', { resource: world.create('nightly_route', slot) }));
    });
    left -= 2 * canaries.length;
  }
  for (; left > 0; left--) {
    const r = rng.next();
    let type: string;
    let pool: 'adc_route' | 'service' | 'consumer' | undefined;
    if (account.job === 'terraform') {
      type = r < 0.85 ? 'UpdateConsumer' : r < 0.97 ? 'AddConsumer' : 'DeleteConsumer';
      pool = 'consumer';
    } else if (r < 0.6) {
      type = 'UpdateRoute';
      pool = 'adc_route';
    } else if (r < 0.85) {
      type = 'UpdateService';
      pool = 'service';
    } else if (r < 0.95) {
      type = 'PublishService';
    } else {
      type = 'UpdatePluginMetadata';
    }
    // Declarative syncs mostly re-apply what is already there; now and then the config changed.
    out.push(act(world, rng, step(), actor, type, { status: failure(), pool, unchanged: rng.chance(0.8) }));
  }
}
