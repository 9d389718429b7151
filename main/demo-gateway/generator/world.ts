import type { Rng } from './random';

/**
 * The gateway's configuration as the history evolves: routes, services, consumers, certificates…
 * Each audit entry names a real resource of this world, so ids, names and request bodies line up
 * (an UpdateRoute touches a route that was added earlier and not yet deleted).
 *
 * Request bodies are frozen and shared between the entries that sent the same state (an ADC sync
 * re-sends unchanged config), which keeps a million entries inside the memory budget.
 */
export interface Resource {
  id: string;
  name: string;
  group: string;
  body: Readonly<Record<string, unknown>>;
}

export type PoolName =
  | 'route'
  | 'adc_route'
  | 'nightly_route'
  | 'service'
  | 'consumer'
  | 'credential'
  | 'ssl'
  | 'secret'
  | 'global_rule'
  | 'plugin_metadata'
  | 'gateway_group'
  | 'instance'
  | 'token'
  | 'user'
  | 'role'
  | 'policy';

const GROUPS = ['default', 'default', 'default', 'prod-eu', 'staging'];
const DOMAINS = ['payments', 'orders', 'catalog', 'users', 'search', 'billing', 'shipping', 'inventory', 'auth',
  'notifications', 'reports', 'media', 'pricing', 'loyalty', 'reviews', 'checkout', 'partners', 'ledger'];
const PLUGINS = ['limit-count', 'key-auth', 'cors', 'proxy-rewrite', 'jwt-auth', 'prometheus', 'ip-restriction', 'request-id'];

export class World {
  private readonly pools = new Map<PoolName, Pool>();
  private readonly tweaks = new Map<PoolName, Record<string, unknown>[]>();
  private counter = 1000;

  constructor(private readonly rng: Rng) {
    for (let i = 0; i < 24; i++) this.create('service');
    for (let i = 0; i < 140; i++) this.create('route');
    for (let i = 0; i < 60; i++) this.create('adc_route');
    for (let i = 0; i < 15; i++) this.create('nightly_route', i);
    for (let i = 0; i < 70; i++) this.create('consumer');
    for (let i = 0; i < 30; i++) this.create('credential');
    for (let i = 0; i < 6; i++) this.create('ssl');
    for (let i = 0; i < 2; i++) this.create('secret');
    for (const plugin of ['prometheus', 'request-id', 'cors', 'limit-count']) this.add('global_rule', { id: plugin, name: plugin, group: 'default', body: Object.freeze({ plugins: { [plugin]: {} } }) });
    for (const plugin of ['http-logger', 'kafka-logger', 'prometheus']) this.add('plugin_metadata', { id: plugin, name: plugin, group: 'default', body: Object.freeze({ log_format: { host: '$host', client_ip: '$remote_addr' } }) });
    for (const name of ['default', 'prod-eu', 'staging']) this.add('gateway_group', { id: name, name, group: name, body: Object.freeze({ name, description: `${name} gateways` }) });
    for (let i = 0; i < 9; i++) this.create('instance');
    for (let i = 0; i < 6; i++) this.create('role');
    for (let i = 0; i < 8; i++) this.create('policy');
    for (let i = 0; i < 10; i++) this.create('token');
  }

  size(pool: PoolName): number {
    return this.pool(pool).length;
  }

  pick(pool: PoolName): Resource {
    const items = this.pool(pool);
    if (items.length === 0) return this.create(pool);
    return items.at(this.rng.int(items.length));
  }

  /** Adds a fresh resource (new id) to a pool; `slot` names the nightly routes so a re-create reuses the name. */
  create(pool: PoolName, slot?: number): Resource {
    const id = this.newId(pool);
    const resource = this.describe(pool, id, slot);
    this.add(pool, resource);
    return resource;
  }

  /** The resource gets a new body (a changed setting), kept as its current state. */
  update(pool: PoolName, resource?: Resource): Resource {
    const current = resource ?? this.pick(pool);
    const next = { id: current.id, name: current.name, group: current.group, body: Object.freeze({ ...current.body, ...this.tweak(pool) }) };
    this.pool(pool).replace(next);
    return next;
  }

  /** Changes are picked from a fixed set of frozen variants per kind, shared by every body that uses them. */
  private tweak(pool: PoolName): Record<string, unknown> {
    let variants = this.tweaks.get(pool);
    if (!variants) {
      variants = Array.from({ length: 48 }, () => Object.freeze(this.makeTweak(pool)));
      this.tweaks.set(pool, variants);
    }
    return variants[this.rng.int(variants.length)] as Record<string, unknown>;
  }

  /** Removes a resource (a random one unless given); pools never run dry, so a new one is made if needed. */
  remove(pool: PoolName, resource?: Resource): Resource {
    const items = this.pool(pool);
    if (resource) return items.remove(resource.id) ?? resource;
    if (items.length === 0) return this.describe(pool, this.newId(pool));
    return items.remove(items.at(this.rng.int(items.length)).id) as Resource;
  }

  /** The nightly ADC routes in slot order (they are deleted and re-created every night). */
  nightlyRoutes(): Resource[] {
    return this.pool('nightly_route').list().sort((a, b) => a.name.localeCompare(b.name));
  }

  private pool(name: PoolName): Pool {
    let items = this.pools.get(name);
    if (!items) {
      items = new Pool();
      this.pools.set(name, items);
    }
    return items;
  }

  private add(pool: PoolName, resource: Resource): void {
    this.pool(pool).add(resource);
  }

  private newId(pool: PoolName): string {
    this.counter += 1 + this.rng.int(3);
    const prefix: Record<PoolName, string> = {
      route: 'r', adc_route: 'r', nightly_route: 'r', service: 's', consumer: 'c', credential: 'cred', ssl: 'ssl',
      secret: 'sp', global_rule: 'gr', plugin_metadata: 'pm', gateway_group: 'gg', instance: 'gi', token: 't',
      user: 'u', role: 'role', policy: 'pp',
    };
    return `${prefix[pool]}-${this.counter}`;
  }

  private describe(pool: PoolName, id: string, slot?: number): Resource {
    const rng = this.rng;
    const domain = rng.pick(DOMAINS);
    const group = pool === 'nightly_route' || pool === 'adc_route' ? 'default' : rng.pick(GROUPS);
    const version = 1 + rng.int(3);
    switch (pool) {
      case 'route':
      case 'adc_route':
      case 'nightly_route': {
        const name = pool === 'nightly_route' ? `canary-${String((slot ?? 0) + 1).padStart(2, '0')}` : `${domain}-${rng.pick(['list', 'get', 'create', 'update', 'search', 'export'])}-v${version}`;
        return { id, name, group, body: Object.freeze({ name, paths: [`/${domain}/v${version}/*`], methods: rng.chance(0.5) ? ['GET'] : ['GET', 'POST'], service_id: this.size('service') > 0 ? this.pick('service').id : 's-1000' }) };
      }
      case 'service': {
        const name = `${domain}-svc`;
        return { id, name, group, body: Object.freeze({ name, hosts: [`${domain}.api.example.com`], upstream: { type: 'roundrobin', scheme: 'http', nodes: [{ host: `${domain}.internal`, port: 8080, weight: 100 }] } }) };
      }
      case 'consumer': {
        const name = `${rng.pick(['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell'])}-${domain}-${rng.int(100)}`;
        return { id, name, group, body: Object.freeze({ username: name, description: `partner app for ${domain}` }) };
      }
      case 'credential':
        return { id, name: `${domain}-key`, group, body: Object.freeze({ name: `${domain}-key`, plugins: { 'key-auth': { key: '******' } } }) };
      case 'ssl': {
        const sni = `${domain}.example.com`;
        return { id, name: sni, group, body: Object.freeze({ snis: [sni], cert: '-----BEGIN CERTIFICATE-----\nMIIB…(public certificate)…\n-----END CERTIFICATE-----', key: '******' }) };
      }
      case 'secret':
        return { id, name: `vault-${domain}`, group, body: Object.freeze({ uri: 'https://vault.internal.example.com:8200', prefix: `kv/apisix/${domain}`, token: '******' }) };
      case 'instance':
        return { id, name: `gw-${group}-${rng.int(20)}`, group, body: Object.freeze({}) };
      case 'token':
        return { id, name: `${domain}-automation`, group: '', body: Object.freeze({ name: `${domain}-automation`, expires_at: 0 }) };
      case 'role': {
        const name = `${domain}-${rng.pick(['editor', 'viewer', 'owner'])}`;
        return { id, name, group: '', body: Object.freeze({ name, policies: [`pp-${domain}`] }) };
      }
      case 'policy': {
        const name = `${domain}-${rng.pick(['read', 'write'])}`;
        return { id, name, group: '', body: Object.freeze({ name, statement: [{ effect: 'allow', actions: [`gateway:Get${capitalize(domain)}<.*>`], resources: [`arn:api7:gateway:gatewaygroup/${group}`] }] }) };
      }
      case 'user':
        return { id, name: `${rng.pick(['new', 'temp', 'contractor'])}.${domain}${rng.int(100)}`, group: '', body: Object.freeze({ email: `${domain}${rng.int(100)}@example.com`, roles: ['viewer'] }) };
      default:
        return { id, name: `${domain}`, group, body: Object.freeze({ name: domain }) };
    }
  }

  /** A small change for an update: the fields people actually touch. */
  private makeTweak(pool: PoolName): Record<string, unknown> {
    const rng = this.rng;
    switch (pool) {
      case 'route':
      case 'adc_route':
      case 'nightly_route':
        return rng.chance(0.6)
          ? { plugins: { [rng.pick(PLUGINS)]: { count: 50 * (1 + rng.int(40)), time_window: 60 } } }
          : { timeout: { connect: 3, send: 5 + rng.int(20), read: 5 + rng.int(20) } };
      case 'service':
        return { upstream: { type: 'roundrobin', scheme: 'http', nodes: [{ host: `node-${rng.int(20)}.internal`, port: 8080, weight: 50 + rng.int(50) }] } };
      case 'consumer':
        return { description: `updated quota tier ${1 + rng.int(4)}` };
      case 'ssl':
        return { cert: '-----BEGIN CERTIFICATE-----\nMIIB…(renewed certificate)…\n-----END CERTIFICATE-----', key: '******', validity_end: 1790000000 + rng.int(10000000) };
      case 'secret':
        return { token: '******', prefix: `kv/apisix/${rng.pick(DOMAINS)}` };
      case 'global_rule':
        return { plugins: { [rng.pick(PLUGINS)]: { disable: false } } };
      case 'plugin_metadata':
        return { log_format: { host: '$host', status: '$status', latency: '$request_time' } };
      case 'gateway_group':
        return { description: `gateways, rev ${rng.int(100)}` };
      case 'role':
        return { policies: [`pp-${rng.pick(DOMAINS)}`, `pp-${rng.pick(DOMAINS)}`] };
      case 'policy':
        return { statement: [{ effect: 'allow', actions: [`gateway:Update${capitalize(rng.pick(DOMAINS))}<.*>`], resources: ['arn:api7:gateway:gatewaygroup/<.*>'] }] };
      default:
        return { revision: rng.int(1000) };
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Resources of one kind with O(1) pick, replace and remove (pools grow to tens of thousands). */
class Pool {
  private readonly items: Resource[] = [];
  private readonly positions = new Map<string, number>();

  get length(): number {
    return this.items.length;
  }

  at(index: number): Resource {
    return this.items[index] as Resource;
  }

  list(): Resource[] {
    return [...this.items];
  }

  add(resource: Resource): void {
    this.positions.set(resource.id, this.items.length);
    this.items.push(resource);
  }

  replace(resource: Resource): void {
    const at = this.positions.get(resource.id);
    if (at !== undefined) this.items[at] = resource;
  }

  remove(id: string): Resource | undefined {
    const at = this.positions.get(id);
    if (at === undefined) return undefined;
    const removed = this.items[at] as Resource;
    const last = this.items.pop() as Resource;
    if (last !== removed) {
      this.items[at] = last;
      this.positions.set(last.id, at);
    }
    this.positions.delete(id);
    return removed;
  }
}
