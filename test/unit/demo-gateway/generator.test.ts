import { describe, expect, it } from 'vitest';
import { hasFlag, listEventTypes } from '../../../main/core/catalog/catalog';
import { auditEntrySchema, isFailed, type AuditEntry } from '../../../main/core/records/entry';
import { generateHistory } from '../../../main/demo-gateway/generator';

const DAY = 86400;
const options = { seed: 7, days: 45, operators: 20, events: 30_000 };
const history = generateHistory(options);
const { entries, incidents } = history;
const incidentIds = new Set(incidents.flatMap((i) => i.record_ids));
const routine = entries.filter((e) => !incidentIds.has(e.id));
const byId = new Map(entries.map((e) => [e.id, e]));
const records = (kind: string): AuditEntry[] => (incidents.find((i) => i.kind === kind)?.record_ids ?? []).map((id) => byId.get(id) as AuditEntry);

/** Most events of one key inside any sliding window of `seconds`. */
function maxInWindow(list: AuditEntry[], key: (e: AuditEntry) => string | undefined, seconds: number): number {
  const groups = new Map<string, number[]>();
  for (const e of list) {
    const k = key(e);
    if (k === undefined || k === '') continue;
    const times = groups.get(k) ?? [];
    times.push(e.event_time);
    groups.set(k, times);
  }
  let best = 0;
  for (const times of groups.values()) {
    times.sort((a, b) => a - b);
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while ((times[hi] as number) - (times[lo] as number) >= seconds) lo++;
      best = Math.max(best, hi - lo + 1);
    }
  }
  return best;
}

const attemptedUser = (e: AuditEntry) => e.operator.username || ((e.http_request.body as { username?: string } | undefined)?.username ?? '');
const failedLogin = (e: AuditEntry) => e.event_type === 'Login' && isFailed(e);

describe('generateHistory', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateHistory(options);
    expect(again.entries.length).toBe(entries.length);
    expect(again.entries.map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(JSON.stringify(again.entries.slice(0, 200))).toBe(JSON.stringify(entries.slice(0, 200)));
    expect(again.incidents).toEqual(incidents);
    const other = generateHistory({ ...options, seed: 8 });
    expect(other.entries[0]?.id).not.toBe(entries[0]?.id);
  });

  it('produces exactly the requested number of valid entries, sorted by time then id, with unique ULIDs', () => {
    expect(entries.length).toBe(options.events);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    let unordered = 0;
    for (let i = 1; i < entries.length; i++) {
      const a = entries[i - 1] as AuditEntry;
      const b = entries[i] as AuditEntry;
      if (!(a.event_time < b.event_time || (a.event_time === b.event_time && a.id < b.id))) unordered++;
    }
    expect(unordered).toBe(0);
    for (const e of entries.filter((_, i) => i % 300 === 0)) {
      expect(e.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(auditEntrySchema.safeParse(e).success).toBe(true);
    }
  });

  it('covers the requested days and ends before now', () => {
    const now = 1768478400;
    const first = entries[0] as AuditEntry;
    const last = entries[entries.length - 1] as AuditEntry;
    expect(last.event_time).toBeLessThan(now);
    expect(first.event_time).toBeGreaterThanOrEqual(now - options.days * DAY);
    expect(first.event_time).toBeLessThan(now - (options.days - 2) * DAY);
  });

  it('uses every catalog event type and both sources, with failures of several kinds', () => {
    const types = new Set(entries.map((e) => e.event_type));
    expect(listEventTypes().map((t) => t.key).filter((k) => !types.has(k))).toEqual([]);
    expect(new Set(entries.map((e) => e.source))).toEqual(new Set(['dashboard', 'api']));
    const statuses = new Set(entries.filter(isFailed).map((e) => e.http_response.status_code));
    for (const status of [400, 401, 403, 404, 409]) expect(statuses.has(status)).toBe(true);
    expect(entries.filter(isFailed).every((e) => e.error_message !== '')).toBe(true);
    expect(entries.filter((e) => e.source === 'api').every((e) => e.token_name !== '')).toBe(true);
  });

  it('never carries an unmasked secret', () => {
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/a7ee-[A-Za-z0-9]{8}/);
    for (const match of text.matchAll(/"(password|old_password|new_password|token|key)":"([^"]*)"/g)) expect(match[2]).toBe('******');
  });

  it('runs the nightly ADC sync at 02:00 UTC, deleting and re-creating 15 routes', () => {
    const nightly = routine.filter((e) => e.token_name === 'adc-nightly' && e.event_type === 'DeleteRoute');
    expect(nightly.length).toBeGreaterThanOrEqual(15 * (options.days - 1));
    expect(nightly.every((e) => new Date(e.event_time * 1000).getUTCHours() === 2)).toBe(true);
  });

  it('plants one incident of every rule in the last week, with existing records', () => {
    expect(new Set(incidents.map((i) => i.kind))).toEqual(
      new Set(['brute_force', 'login_after_failures', 'off_hours', 'new_network', 'privilege_change', 'mass_delete', 'sensitive_change',
        'volume_spike', 'dormant_account', 'permission_probing', 'token_multi_ip', 'audit_trail_tampering']),
    );
    const last = (entries[entries.length - 1] as AuditEntry).event_time;
    for (const incident of incidents) {
      expect(incident.record_ids.length).toBeGreaterThan(0);
      for (const id of incident.record_ids) expect(byId.has(id)).toBe(true);
      expect(incident.start).toBeGreaterThanOrEqual(history.incident_window_start);
      expect(incident.start).toBeGreaterThan(last - 8 * DAY);
      expect(incident.end).toBeGreaterThanOrEqual(incident.start);
    }
  });

  it('makes each incident clearly exceed its threshold', () => {
    expect(maxInWindow(records('brute_force').filter(failedLogin), attemptedUser, 600)).toBeGreaterThanOrEqual(8);
    const laf = records('login_after_failures');
    expect(laf.filter(failedLogin).length).toBeGreaterThanOrEqual(3);
    expect(isFailed(laf[laf.length - 1] as AuditEntry)).toBe(false);
    expect(maxInWindow(records('mass_delete').filter((e) => !isFailed(e) && hasFlag(e.event_type, 'destructive')), (e) => e.operator.id, 300)).toBeGreaterThan(20);
    expect(maxInWindow(records('permission_probing').filter((e) => e.http_response.status_code === 403), (e) => e.operator.id, 600)).toBeGreaterThanOrEqual(7);
    expect(new Set(records('token_multi_ip').map((e) => e.ip_address)).size).toBeGreaterThanOrEqual(3);
    const [role] = records('privilege_change');
    expect(role?.resource_id).toBe(role?.operator.id);
    expect(records('audit_trail_tampering').every((e) => hasFlag(e.event_type, 'audit_config'))).toBe(true);
    const [comeback] = records('dormant_account');
    const before = entries.filter((e) => e.operator.id === comeback?.operator.id && e.event_time < (comeback?.event_time ?? 0));
    expect(before.length).toBeGreaterThan(0);
    expect((comeback?.event_time ?? 0) - Math.max(...before.map((e) => e.event_time))).toBeGreaterThanOrEqual(30 * DAY);
  });

  it('makes the volume spike exceed max(60, 4 × the operator’s p95 hourly count)', () => {
    const spike = records('volume_spike');
    const operator = spike[0]?.operator.id;
    const start = spike[0]?.event_time ?? 0;
    const hourly = new Map<number, number>();
    for (const e of routine) {
      if (e.operator.id !== operator || e.event_time >= start || e.event_time < start - 28 * DAY) continue;
      const hour = Math.floor(e.event_time / 3600);
      hourly.set(hour, (hourly.get(hour) ?? 0) + 1);
    }
    const counts = [...hourly.values()].sort((a, b) => a - b);
    const p95 = counts[Math.min(counts.length - 1, Math.floor(counts.length * 0.95))] ?? 0;
    expect(spike.length).toBeGreaterThan(1.5 * Math.max(60, 4 * p95));
  });

  it('keeps routine activity under the thresholds of the rules', () => {
    expect(maxInWindow(routine.filter(failedLogin), attemptedUser, 600)).toBeLessThan(3);
    expect(maxInWindow(routine.filter(failedLogin), (e) => e.ip_address, 600)).toBeLessThan(3);
    expect(maxInWindow(routine.filter((e) => e.http_response.status_code === 403), (e) => e.operator.id, 600)).toBeLessThan(3);
    expect(routine.filter((e) => hasFlag(e.event_type, 'audit_config'))).toEqual([]);
    expect(routine.filter((e) => e.http_response.status_code === 403 && e.http_request.uri.startsWith('/api/audit_logs'))).toEqual([]);
    // Human deletions never come in bursts; the nightly sync's 15 are its own daily routine.
    const humanDeletes = routine.filter((e) => !isFailed(e) && hasFlag(e.event_type, 'destructive') && e.source === 'dashboard');
    expect(maxInWindow(humanDeletes, (e) => e.operator.id, 300)).toBeLessThan(10);
    // A token is used from one machine at a time.
    const tokenIps = new Map<string, Set<string>>();
    for (const e of routine) {
      if (e.token_name === '') continue;
      const key = `${e.operator.id}|${e.token_name}|${Math.floor(e.event_time / 3600)}`;
      const set = tokenIps.get(key) ?? new Set<string>();
      set.add(e.ip_address);
      tokenIps.set(key, set);
    }
    expect(Math.max(...[...tokenIps.values()].map((s) => s.size))).toBeLessThan(3);
    // Routine privilege and sensitive changes stay rare (every one of them is a finding by definition).
    const listed = routine.filter((e) => !isFailed(e) && (hasFlag(e.event_type, 'privilege') || hasFlag(e.event_type, 'sensitive')));
    expect(listed.length).toBeLessThan(options.days * 1.5);
  });

  it('plants no incidents when asked not to, or when the history is too short', () => {
    expect(generateHistory({ ...options, events: 5000, incidents: false }).incidents).toEqual([]);
    expect(generateHistory({ ...options, events: 5000, days: 10 }).incidents).toEqual([]);
  });

  it('handles tiny and odd sizes', () => {
    expect(generateHistory({ seed: 1, days: 3, operators: 2, events: 0 }).entries).toEqual([]);
    expect(generateHistory({ seed: 1, days: 3, operators: 2, events: 50 }).entries.length).toBe(50);
    expect(generateHistory({ seed: 1, days: 30, operators: 5, events: 2000 }).entries.length).toBe(2000);
  });
});
