import type { AuditEntry } from '../../core/records/entry';
import { act, NOBODY, type Actor } from './actions';
import type { CiAccount, Human } from './population';
import type { Rng } from './random';
import { DAY, HOUR, isWeekend, utcDayStart } from './schedule';
import type { AnomalyRuleId, InjectedIncident } from './types';
import type { World } from './world';

export interface IncidentPlanInput {
  humans: Human[];
  ci: CiAccount[];
  now: number;
  /** Planned routine events per working hour of a person (sizes the volume spike above their baseline). */
  hourlyRate: (human: Human) => number;
}

/** The five weekdays before today (UTC) that hold the incidents, oldest first. */
export function incidentDays(now: number): number[] {
  const today = utcDayStart(now);
  const days: number[] = [];
  for (let k = 1; days.length < 5; k++) {
    const day = today - k * DAY;
    if (!isWeekend(day)) days.unshift(day);
  }
  return days;
}

/** The day the dormant person comes back; their earlier activity must end 30+ days before it. */
export function dormantReturnDay(now: number): number {
  return incidentDays(now)[4] as number;
}

/** Volume that is clearly above max(60, 4 × p95 hourly) for a person whose usual rate is `rate`/hour. */
export function spikeSize(rate: number): number {
  return Math.max(150, Math.ceil(6 * rate + 10 * Math.sqrt(rate) + 30));
}

/**
 * Plants one incident per anomaly rule in the last week, each clearly above its rule's threshold and
 * built to trip only its own rule: the actor works from a usual network at usual hours unless the
 * incident is about the network or the hour, bursts stay inside one clock hour, and so on.
 */
export function generateIncidents(world: World, rng: Rng, input: IncidentPlanInput): { entries: AuditEntry[]; incidents: InjectedIncident[] } {
  const entries: AuditEntry[] = [];
  const incidents: InjectedIncident[] = [];
  const days = incidentDays(input.now);
  const regulars = input.humans.filter((h) => !h.dormant && h.role !== 'auditor');
  if (regulars.length === 0) return { entries, incidents };
  const admins = regulars.filter((h) => h.role === 'admin');
  const engineersOnly = regulars.filter((h) => h.role === 'developer' || h.role === 'operator');
  const engineers = engineersOnly.length > 0 ? engineersOnly : regulars;
  const nth = <T>(list: T[], i: number): T => list[i % list.length] as T;
  const admin0 = admins[0] ?? nth(regulars, 0);
  const admin1 = admins[1] ?? admin0;
  const support = regulars.find((h) => h.role === 'support') ?? nth(engineers, 5);
  const day = (i: number) => days[i] as number;
  const within = (h: Human, d: number, fraction: number) => d + (h.startUtc + fraction * (h.endUtc - h.startUtc)) * HOUR;
  const desk = (h: Human, ip = h.officeIp): Actor => ({ operator: h.operator, source: 'dashboard', token_name: '', ip, userAgent: h.userAgent });
  const record = (kind: AnomalyRuleId, description: string, list: AuditEntry[], who?: { operator_id?: string; username?: string; ip?: string }) => {
    entries.push(...list);
    incidents.push({
      kind,
      description,
      ...who,
      record_ids: list.map((e) => e.id),
      start: Math.min(...list.map((e) => e.event_time)),
      end: Math.max(...list.map((e) => e.event_time)),
    });
  };
  const who = (h: Human, ip?: string) => ({ operator_id: h.operator.id, username: h.operator.username, ...(ip ? { ip } : {}) });

  // Day 0 — a login from a network never seen before; a burst of deletions.
  {
    const h = nth(engineers, 0);
    const ip = '198.51.100.23';
    let t = within(h, day(0), 0.4);
    const list = [act(world, rng, t, desk(h, ip), 'Login', { body: { username: h.operator.username, password: '******' } })];
    for (const type of ['UpdateRoute', 'UpdateService', 'UpdateRoute']) list.push(act(world, rng, (t += 240 + rng.int(300)), desk(h, ip), type));
    record('new_network', `${h.operator.username} signed in and changed config from ${ip}, a network they never used before`, list, who(h, ip));
  }
  {
    const h = nth(engineers, 1);
    let t = within(h, day(0), 0.6);
    const list: AuditEntry[] = [];
    for (let i = 0; i < 36; i++) list.push(act(world, rng, (t += 3 + rng.int(4)), desk(h), 'DeleteRoute', { pool: 'route' }));
    record('mass_delete', `${h.operator.username} deleted 36 routes in about 3 minutes (threshold 10 in 5 minutes)`, list, who(h));
  }
  // Day 1 — late-night work; granting oneself roles; probing for permissions.
  {
    const h = nth(engineers, 2);
    const hour = offHour(h);
    let t = day(1) + hour * HOUR + 5 * 60;
    const list: AuditEntry[] = [];
    for (let i = 0; i < 5; i++) list.push(act(world, rng, (t += 360 + rng.int(240)), desk(h, h.homeIp), 'UpdateRoute'));
    record('off_hours', `${h.operator.username} changed routes at ${String(hour).padStart(2, '0')}:00 UTC, far outside their usual ${fmtHour(h.startUtc)}–${fmtHour(h.endUtc)} UTC`, list, who(h, h.homeIp));
  }
  {
    const h = nth(engineers, 3);
    const t = within(h, day(1), 0.5);
    const entry = act(world, rng, t, desk(h), 'UpdateUserRole', {
      resourceId: h.operator.id,
      resourceName: h.operator.username,
      body: { roles: ['super_admin'] },
    });
    entry.http_request.uri = `/api/users/${h.operator.id}/assigned_roles`;
    record('privilege_change', `${h.operator.username} assigned the super_admin role to their own account`, [entry], who(h));
  }
  {
    const h = support;
    let t = within(h, day(1), 0.3);
    const list: AuditEntry[] = [];
    for (const type of ['DeleteRoute', 'UpdateUserRole', 'UpdateGlobalRule', 'DeleteSSL', 'UpdateSystemSettings', 'CreateRole', 'DeleteConsumer']) {
      list.push(act(world, rng, (t += 20 + rng.int(30)), desk(h), type, { status: 403 }));
    }
    record('permission_probing', `${h.operator.username} got 7 permission denials in under 6 minutes across unrelated admin actions (threshold 5 in 10 minutes)`, list, who(h));
  }
  // Day 2 — password guessing from outside; a login that follows failures; a sensitive change.
  {
    const target = admin0;
    const ip = '203.0.113.77';
    const hour = offHour(target);
    let t = day(2) + hour * HOUR + 20 * 60;
    const list: AuditEntry[] = [];
    const attacker: Actor = { operator: NOBODY, source: 'dashboard', token_name: '', ip, userAgent: 'python-requests/2.31.0' };
    for (let i = 0; i < 8; i++) {
      list.push(act(world, rng, (t += 15 + rng.int(20)), attacker, 'Login', { status: 401, error: 'invalid username or password', body: { username: target.operator.username, password: '******' } }));
    }
    record('brute_force', `8 failed logins for '${target.operator.username}' from ${ip} in about 4 minutes (threshold 5 in 10 minutes)`, list, { username: target.operator.username, ip });
  }
  {
    const h = nth(engineers, 4);
    let t = within(h, day(2), 0.55);
    const body = { username: h.operator.username, password: '******' };
    const list: AuditEntry[] = [];
    for (let i = 0; i < 4; i++) list.push(act(world, rng, (t += 40 + rng.int(60)), { ...desk(h), operator: NOBODY }, 'Login', { status: 401, error: 'invalid username or password', body }));
    list.push(act(world, rng, t + 60, desk(h), 'Login', { body }));
    record('login_after_failures', `${h.operator.username} signed in after 4 failed attempts within about 6 minutes (threshold 3 in 15 minutes)`, list, who(h, h.officeIp));
  }
  {
    const h = admin1;
    const t = within(h, day(2), 0.7);
    const entry = act(world, rng, t, desk(h), 'UpdateGlobalRule', {
      resourceId: 'ip-restriction',
      resourceName: 'ip-restriction',
      body: { plugins: { 'ip-restriction': { whitelist: ['0.0.0.0/0'] } } },
    });
    entry.http_request.uri = '/api/gateway_groups/default/global_rules/ip-restriction';
    entry.gateway_group_id = 'default';
    record('sensitive_change', `${h.operator.username} opened the global ip-restriction rule to 0.0.0.0/0`, [entry], who(h));
  }
  // Day 3 — a scripted flood of changes; one CI token used from several machines.
  {
    const h = support;
    const hour = Math.ceil(h.startUtc) + 1;
    const size = spikeSize(input.hourlyRate(h));
    const base = day(3) + hour * HOUR;
    const times = Array.from({ length: size }, () => base + 180 + rng.next() * (HOUR - 360)).sort((a, b) => a - b);
    const actor: Actor = { ...desk(h), source: 'api', token_name: `${h.operator.username}-bulk`, userAgent: 'python-requests/2.32.3' };
    const list = times.map((t) => act(world, rng, t, actor, rng.chance(0.7) ? 'UpdateConsumer' : 'UpdateRoute'));
    record('volume_spike', `${h.operator.username} made ${size} changes between ${fmtHour(hour)} and ${fmtHour(hour + 1)} UTC, about ${Math.round(size / Math.max(1, input.hourlyRate(h)))}× their usual hourly volume`, list, who(h, h.officeIp));
  }
  if (input.ci.length > 0) {
    const account = input.ci.find((c) => c.job === 'gitops') ?? (input.ci[0] as CiAccount);
    const hour = Math.floor(account.runHours[Math.min(2, account.runHours.length - 1)] as number);
    let t = day(3) + hour * HOUR + 25 * 60;
    const ips = [account.ip, `${account.net}.57`, `${account.net}.58`, `${account.net}.59`];
    const list: AuditEntry[] = [];
    for (const ip of ips) {
      for (let i = 0; i < 2; i++) {
        list.push(act(world, rng, (t += 120 + rng.int(120)), { operator: account.operator, source: 'api', token_name: account.tokenName, ip, userAgent: 'curl/8.5.0' }, 'UpdateRoute', { pool: 'adc_route' }));
      }
    }
    record('token_multi_ip', `token '${account.tokenName}' was used from 4 different IPs within 30 minutes (threshold 3 in 1 hour)`, list, {
      operator_id: account.operator.id,
      username: account.operator.username,
    });
  }
  // Day 4 — an account back after a month of silence; the audit trail itself is touched.
  const dormant = input.humans.find((h) => h.dormant);
  if (dormant) {
    let t = day(4) + 10 * HOUR + rng.int(600);
    const first = act(world, rng, t, desk(dormant), 'Login', { body: { username: dormant.operator.username, password: '******' } });
    entries.push(act(world, rng, (t += 300), desk(dormant), 'UpdateRoute'), act(world, rng, t + 400, desk(dormant), 'UpdateService'));
    record('dormant_account', `${dormant.operator.username} signed in again after more than 30 days without any activity`, [first], who(dormant, dormant.officeIp));
  }
  {
    const h = admin0;
    let t = within(h, day(4), 0.5);
    const list = [
      act(world, rng, t, desk(h), 'UpdateAuditSettings', { body: { retention_days: 7 } }),
      act(world, rng, (t += 90), desk(h), 'DeleteAuditLogs', { body: { before: Math.floor(t) - DAY } }),
    ];
    record('audit_trail_tampering', `${h.operator.username} cut audit retention to 7 days and deleted older audit logs`, list, who(h));
  }
  return { entries, incidents };
}

/** An hour of day at least a few hours away from the person's working window. */
function offHour(h: Human): number {
  const mid = (h.startUtc + h.endUtc) / 2;
  return Math.floor((mid + 12) % 24);
}

function fmtHour(hours: number): string {
  const h = Math.floor(hours) % 24;
  const m = Math.round((hours - Math.floor(hours)) * 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
