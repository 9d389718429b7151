import type { AnomalyEvent } from '../../../main/core/anomalies/event';

/** Unix seconds of an ISO instant. */
export function at(iso: string): number {
  return Date.parse(iso) / 1000;
}

export const MIN = 60;
export const HOUR = 3600;
export const DAY = 86_400;

let next = 0;

/** A successful authenticated UpdateRoute unless overridden. Ids are unique and sortable. */
export function ev(time: number, fields: Partial<AnomalyEvent> = {}): AnomalyEvent {
  next++;
  const event: AnomalyEvent = {
    id: `r${String(next).padStart(7, '0')}`,
    event_time: time,
    operator_id: 'u-jdoe',
    username: 'jdoe',
    event_type: 'UpdateRoute',
    resource_id: 'r-1',
    ip: '10.0.0.5',
    token_name: '',
    status_code: 200,
    failed: false,
    uri: '/api/gateway_groups/default/routes/r-1',
    ...fields,
  };
  if (fields.failed === undefined) event.failed = event.status_code >= 400;
  return event;
}

/** A failed Login for `username` (unknown user: no operator) from `ip`. */
export function failedLogin(time: number, username: string, ip = '198.51.100.7', operatorId = ''): AnomalyEvent {
  return ev(time, { event_type: 'Login', operator_id: operatorId, username, ip, status_code: 401, uri: '/api/login' });
}

export function login(time: number, username: string, ip = '198.51.100.7'): AnomalyEvent {
  return ev(time, { event_type: 'Login', operator_id: `u-${username}`, username, ip, uri: '/api/login' });
}

/**
 * Routine history: the operator acts at `hours` (UTC) on each of `days` consecutive days from
 * `startDay` (a Unix time at 00:00 UTC), weekdays only unless `weekends`.
 */
export function routine(
  startDay: number,
  days: number,
  hours: number[],
  fields: Partial<AnomalyEvent> = {},
  weekends = false,
): AnomalyEvent[] {
  const out: AnomalyEvent[] = [];
  for (let d = 0; d < days; d++) {
    const dayStart = startDay + d * DAY;
    const weekday = new Date(dayStart * 1000).getUTCDay();
    if (!weekends && (weekday === 0 || weekday === 6)) continue;
    for (const h of hours) out.push(ev(dayStart + h * HOUR + 5 * MIN, fields));
  }
  return out;
}

export function byTime(events: AnomalyEvent[]): AnomalyEvent[] {
  return [...events].sort((a, b) => a.event_time - b.event_time || (a.id < b.id ? -1 : 1));
}
