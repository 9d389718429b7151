import type { AuditEntry } from '../../core/records/entry';
import { act, type Actor } from './actions';
import { buildPopulation } from './population';
import { createRng } from './random';
import { World } from './world';

const LIVE_TYPES = ['UpdateRoute', 'UpdateRoute', 'UpdateRoute', 'UpdateService', 'PublishService', 'UpdateConsumer', 'AddRoute', 'AddConsumer'];

/**
 * New routine events for `--live`: the same cast as the generated history (same seed), doing
 * ordinary work at the given instant, so an incremental sync always has something new to fetch.
 */
export function createLiveSource(seed: number, operators: number): (time: number) => AuditEntry {
  const rng = createRng(seed).fork('live');
  const population = buildPopulation(createRng(seed).fork('population'), Math.max(2, Math.floor(operators)), false);
  const world = new World(rng.fork('world'));
  const actors: Actor[] = [
    ...population.humans.filter((h) => h.role !== 'auditor').map((h): Actor => ({ operator: h.operator, source: 'dashboard', token_name: '', ip: h.officeIp, userAgent: h.userAgent })),
    ...population.ci.map((c): Actor => ({ operator: c.operator, source: 'api', token_name: c.tokenName, ip: c.ip, userAgent: c.userAgent })),
  ];
  return (time) => act(world, rng, time, rng.pick(actors), rng.pick(LIVE_TYPES));
}
