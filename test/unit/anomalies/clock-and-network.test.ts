import { describe, expect, it } from 'vitest';
import { toAnomalyEvent } from '../../../main/core/anomalies/event';
import { formatHourRuns } from '../../../main/core/anomalies/format';
import { createLocalClock } from '../../../main/core/anomalies/local-clock';
import { networkOf } from '../../../main/core/anomalies/network';
import { parseRuleList } from '../../../main/core/anomalies/rule-ids';
import { parseAuditEntry } from '../../../main/core/records/entry';
import { at } from './helpers';

describe('local clock', () => {
  it('follows daylight saving time and half-hour zones', () => {
    const berlin = createLocalClock('Europe/Berlin');
    expect(berlin.offsetAt(at('2025-01-15T12:00:00Z'))).toBe(3600);
    expect(berlin.offsetAt(at('2025-07-15T12:00:00Z'))).toBe(7200);
    // The switch on 2025-03-30 happens at 01:00 UTC.
    expect(berlin.formatTime(at('2025-03-30T00:59:59Z'))).toBe('01:59');
    expect(berlin.formatTime(at('2025-03-30T01:00:00Z'))).toBe('03:00');
    const kolkata = createLocalClock('Asia/Kolkata');
    expect(kolkata.formatDateTime(at('2025-03-03T20:00:00Z'))).toBe('2025-03-04 01:30');
    expect(kolkata.dayOf(at('2025-03-03T20:00:00Z'))).toBe(Date.UTC(2025, 2, 4) / 86_400_000);
  });
});

describe('networks', () => {
  it('maps IPv4 to /24, IPv6 to /48 and ignores non-addresses', () => {
    expect(networkOf('203.0.113.77', 24, 48)).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77', 24, 48)).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:abcd:12::1', 24, 48)).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8::1', 24, 48)).toBe('2001:db8:0::/48');
    expect(networkOf('10.1.2.3', 16, 48)).toBe('10.1.0.0/16');
    expect(networkOf('', 24, 48)).toBeUndefined();
    expect(networkOf('gateway-internal', 24, 48)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('formats hour runs', () => {
    expect(formatHourRuns([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])).toBe('08–18');
    expect(formatHourRuns([2, 8, 9, 10, 23])).toBe('02, 08–10, 23');
  });

  it('parses rule lists', () => {
    expect(parseRuleList('brute_force, off_hours,brute_force')).toEqual(['brute_force', 'off_hours']);
    expect(() => parseRuleList('brute_force,nope')).toThrow(/unknown anomaly rule\(s\): nope/);
  });
});

describe('toAnomalyEvent', () => {
  const entry = (raw: object) => {
    const parsed = parseAuditEntry({ id: 'e1', event_time: 1764061200, event_type: 'Login', ...raw });
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.entry;
  };

  it('takes the attempted username from the body of a failed login without operator', () => {
    const e = toAnomalyEvent(entry({ http_request: { uri: '/api/login', body: { username: 'mdoe', password: '******' } }, http_response: { status_code: 401 } }));
    expect(e).toMatchObject({ operator_id: '', username: 'mdoe', failed: true, status_code: 401, uri: '/api/login' });
  });

  it('keeps the operator for everything else and marks error messages as failed', () => {
    const e = toAnomalyEvent(
      entry({ operator: { id: 'u-1', username: 'jdoe' }, ip_address: '10.0.0.1', token_name: 'ci', error_message: 'boom', http_request: { body: { username: 'other' } } }),
    );
    expect(e).toMatchObject({ operator_id: 'u-1', username: 'jdoe', failed: true, ip: '10.0.0.1', token_name: 'ci', status_code: 0 });
  });
});
