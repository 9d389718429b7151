import type { AuditEntry } from '../../core/records/entry';
import { act, NOBODY, type Actor } from './actions';
import type { HumanRole } from './population';
import { pickWeighted, type Rng } from './random';
import { ipAt, type WorkSlot } from './schedule';
import type { World } from './world';

/** Everyday work by role, relative frequencies. Rare admin work is in calendar-tasks.ts. */
const VOLUME: Record<HumanRole, Array<[string, number]>> = {
  developer: [['UpdateRoute', 30], ['AddRoute', 5], ['DeleteRoute', 1.5], ['UpdateService', 8], ['AddService', 1.2],
    ['PublishService', 4], ['DeleteService', 0.3], ['UpdateConsumer', 2], ['AddConsumer', 1.2], ['DeleteConsumer', 0.3],
    ['UpdatePluginMetadata', 0.8], ['UpdateGatewayGroup', 0.2]],
  operator: [['UpdateRoute', 15], ['UpdateService', 10], ['PublishService', 8], ['DeleteGatewayInstance', 1],
    ['UpdateGatewayGroup', 1], ['UpdatePluginMetadata', 2], ['AddRoute', 2], ['DeleteRoute', 1], ['UpdateConsumer', 2],
    ['AddConsumer', 1], ['DeleteConsumer', 0.3]],
  admin: [['UpdateRoute', 10], ['UpdateService', 5], ['UpdateGatewayGroup', 2], ['AddConsumer', 2], ['UpdateConsumer', 3],
    ['PublishService', 3], ['DeleteRoute', 0.5]],
  support: [['UpdateConsumer', 6], ['AddConsumer', 3], ['DeleteConsumer', 0.3], ['UpdateRoute', 0.5]],
  auditor: [['Logout', 1], ['Login', 1]],
};
const VOLUME_TOTALS = Object.fromEntries(Object.entries(VOLUME).map(([role, list]) => [role, list.reduce((a, [, w]) => a + w, 0)])) as Record<HumanRole, number>;

/** Privileged calls a non-admin may try by mistake (answered 403, one at a time). */
const FORBIDDEN_TRIES = ['UpdateGlobalRule', 'DeleteGatewayGroup', 'UpdateUserRole', 'CreateRole', 'UpdateSystemSettings'];

/** The scripts people run with their personal token. */
const SCRIPT_AGENTS = ['curl/8.5.0', 'python-requests/2.32.3', 'adc/0.21.0'];

/**
 * One person's day: a Login (now and then after a mistyped password), then `count` calls spread over
 * their window, occasionally through their personal token, with the usual few validation errors.
 */
export function generateHumanDay(world: World, rng: Rng, slot: WorkSlot, count: number, out: AuditEntry[], noTypos: boolean): void {
  if (count <= 0) return;
  const human = slot.human;
  const times: number[] = new Array(count);
  for (let i = 0; i < count; i++) times[i] = slot.from + rng.next() * (slot.to - slot.from);
  times.sort((a, b) => a - b);
  // Actors are shared per network so a busy day does not allocate one per call.
  const atHome: Actor = { operator: human.operator, source: 'dashboard', token_name: '', ip: human.homeIp, userAgent: human.userAgent };
  const atOffice: Actor = { ...atHome, ip: human.officeIp };
  const dashboard = (time: number): Actor => (ipAt(slot, time) === human.homeIp ? atHome : atOffice);
  const loginBody = Object.freeze({ username: human.operator.username, password: '******' });
  let i = 0;
  if (count >= 3 && !noTypos && rng.chance(0.04)) {
    const t = times[0] as number;
    out.push(act(world, rng, t, { ...dashboard(t), operator: NOBODY }, 'Login', { status: 401, body: loginBody, error: 'invalid username or password' }));
    i++;
  }
  const loginAt = times[i] as number;
  out.push(act(world, rng, loginAt, dashboard(loginAt), 'Login', { body: loginBody }));
  i++;
  const secondLogin = count > 30 ? Math.floor(count / 2) : -1;
  const logoutLast = count >= 3 && rng.chance(0.4);
  const volume = VOLUME[human.role];
  const names = volume.map(([name]) => name);
  const weights = volume.map(([, w]) => w);
  const total = VOLUME_TOTALS[human.role];
  for (; i < count; i++) {
    const t = times[i] as number;
    if (i === secondLogin) {
      out.push(act(world, rng, t, dashboard(t), 'Login', { body: loginBody }));
      continue;
    }
    if (i === count - 1 && logoutLast) {
      out.push(act(world, rng, t, dashboard(t), 'Logout'));
      continue;
    }
    let actor = dashboard(t);
    if (human.tokenName !== '' && rng.chance(0.12)) {
      actor = { ...actor, source: 'api', token_name: human.tokenName, userAgent: rng.pick(SCRIPT_AGENTS) };
    }
    if (human.role !== 'admin' && human.role !== 'auditor' && rng.chance(0.004)) {
      out.push(act(world, rng, t, actor, rng.pick(FORBIDDEN_TRIES), { status: 403 }));
      continue;
    }
    const type = pickWeighted(rng, names, weights, total);
    if (type === 'Login') {
      out.push(act(world, rng, t, actor, 'Login', { body: loginBody }));
      continue;
    }
    const status = rng.chance(0.03) ? rng.pick([400, 400, 404, 409]) : 200;
    out.push(act(world, rng, t, actor, type, { status }));
  }
}
