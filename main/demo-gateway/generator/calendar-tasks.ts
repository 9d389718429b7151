import type { AuditEntry } from '../../core/records/entry';
import { listEventTypes } from '../../core/catalog/catalog';
import { act, type Actor } from './actions';
import type { Human } from './population';
import { poisson, type Rng } from './random';
import { ipAt, isWeekend, type WorkSlot } from './schedule';
import type { World } from './world';

/**
 * Rare work happens at a steady pace per calendar day, whatever the event volume: a bigger gateway
 * does not invite more users per day. Rates are per day for the whole organisation. Privilege and
 * sensitive changes are what the anomaly rules list one by one, so they stay rare, as in real life.
 */
const DAILY_RATES: Array<[string, number, 'admin' | 'anyone']> = [
  ['InviteUser', 0.04, 'admin'], ['DeleteUser', 0.015, 'admin'], ['UpdateUserRole', 0.04, 'admin'],
  ['CreateRole', 0.01, 'admin'], ['UpdateRole', 0.015, 'admin'], ['DeleteRole', 0.005, 'admin'],
  ['CreatePermissionPolicy', 0.01, 'admin'], ['UpdatePermissionPolicy', 0.015, 'admin'], ['DeletePermissionPolicy', 0.005, 'admin'],
  ['ChangePassword', 0.03, 'anyone'], ['AddConsumerCredential', 0.04, 'admin'], ['DeleteConsumerCredential', 0.015, 'admin'],
  ['UpdateGlobalRule', 0.02, 'admin'], ['DeleteGlobalRule', 0.004, 'admin'], ['AddSSL', 0.012, 'admin'],
  ['UpdateSSL', 0.03, 'admin'], ['DeleteSSL', 0.006, 'admin'], ['AddSecretProvider', 0.006, 'admin'],
  ['UpdateSecretProvider', 0.012, 'admin'], ['DeleteSecretProvider', 0.003, 'admin'], ['UpdateLicense', 0.004, 'admin'],
  ['UpdateSystemSettings', 0.008, 'admin'], ['CreateToken', 0.08, 'anyone'], ['RegenerateToken', 0.03, 'anyone'],
  ['DeleteToken', 0.05, 'anyone'], ['CreateGatewayGroup', 0.01, 'admin'], ['DeleteGatewayGroup', 0.004, 'admin'],
];

/** Never routine: any of these is an incident by definition (audit_trail_tampering). */
const NEVER_ROUTINE = new Set(listEventTypes().filter((t) => t.flags.includes('audit_config')).map((t) => t.key));

export function generateCalendarTasks(world: World, rng: Rng, slots: WorkSlot[], routineBefore: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  const byDay = new Map<number, WorkSlot[]>();
  for (const slot of slots) {
    const list = byDay.get(slot.dayStart);
    if (list) list.push(slot);
    else byDay.set(slot.dayStart, [slot]);
  }
  const doTask = (slot: WorkSlot, type: string) => {
    const t = slot.from + rng.next() * (slot.to - slot.from);
    const actor: Actor = { operator: slot.human.operator, source: 'dashboard', token_name: '', ip: ipAt(slot, t), userAgent: slot.human.userAgent };
    if (type === 'ChangePassword') {
      out.push(act(world, rng, t, actor, type, { body: { old_password: '******', new_password: '******' }, resourceId: slot.human.operator.id, resourceName: slot.human.operator.username }));
    } else if (type === 'ExportAuditLogs') {
      out.push(act(world, rng, t, actor, type, { body: { format: 'csv', start_at: Math.floor(t) - 7 * 86400, end_at: Math.floor(t) } }));
    } else {
      out.push(act(world, rng, t, actor, type));
    }
  };
  const weekdaySlots = (slot: WorkSlot) => !isWeekend(slot.dayStart) && slot.human.role !== 'auditor' && !slot.human.dormant;
  const isAdmin = (h: Human) => h.role === 'admin';
  for (const [day, daySlots] of byDay) {
    const workers = daySlots.filter(weekdaySlots);
    if (workers.length === 0) continue;
    const admins = workers.filter((s) => isAdmin(s.human));
    for (const [type, rate, who] of DAILY_RATES) {
      const pool = who === 'admin' ? admins : workers;
      if (pool.length === 0) continue;
      for (let n = poisson(rng, rate); n > 0; n--) doTask(rng.pick(pool), type);
    }
    // Auditors export the week's log every Monday.
    if (new Date(day * 1000).getUTCDay() === 1) {
      for (const slot of daySlots.filter((s) => s.human.role === 'auditor')) doTask(slot, 'ExportAuditLogs');
    }
  }
  // Every catalog type shows up at least once (the UI's filters and the tests want them all).
  const present = new Set(out.map((e) => e.event_type));
  const earlyAdmins = slots.filter((s) => isAdmin(s.human) && s.to < routineBefore && !isWeekend(s.dayStart));
  const earlyWorkers = slots.filter((s) => weekdaySlots(s) && s.to < routineBefore);
  for (const type of listEventTypes().map((t) => t.key)) {
    if (present.has(type) || NEVER_ROUTINE.has(type) || type === 'Login' || type === 'Logout') continue;
    const pool = type === 'ExportAuditLogs' ? slots.filter((s) => s.human.role === 'auditor' && s.to < routineBefore) : earlyAdmins.length > 0 ? earlyAdmins : earlyWorkers;
    if (pool.length > 0) doTask(rng.pick(pool), type);
  }
  return out;
}
