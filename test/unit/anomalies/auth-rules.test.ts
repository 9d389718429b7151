import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import { at, ev, failedLogin, login, MIN } from './helpers';

const T0 = at('2025-03-04T10:00:00Z');

describe('brute_force', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['brute_force'] });

  it('stays quiet at 4 failed logins for one username in 10 minutes', () => {
    expect(run([0, 1, 2, 3].map((i) => failedLogin(T0 + i * MIN, 'jdoe')))).toEqual([]);
  });

  it('fires at 5 failed logins for one username, once, with numbers in the explanation', () => {
    const events = [0, 1, 2, 3, 4].map((i) => failedLogin(T0 + i * MIN, 'jdoe'));
    const findings = run(events);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.severity).toBe('high');
    expect(f!.record_ids).toEqual(events.map((e) => e.id));
    expect(f!.operator).toBe('jdoe');
    expect(f!.explanation).toBe("5 failed logins for 'jdoe' from 198.51.100.7 in 4 min (threshold 5 in 10 min)");
  });

  it('counts 5 failures spread over exactly 10 minutes, but not over 10 minutes and 1 second', () => {
    const inside = [0, 150, 300, 450, 600].map((s) => failedLogin(T0 + s, 'jdoe'));
    expect(run(inside)).toHaveLength(1);
    const outside = [0, 150, 300, 450, 601].map((s) => failedLogin(T0 + s, 'jdoe'));
    expect(run(outside)).toEqual([]);
  });

  it('fires per IP when one address sprays many usernames', () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((u, i) => failedLogin(T0 + i * 10, u, '203.0.113.9'));
    const findings = run(events);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.key).toBe('ip');
    expect(findings[0]!.operator).toBe('');
    expect(findings[0]!.explanation).toMatch(/^5 failed logins from 203\.0\.113\.9 for 5 usernames/);
  });

  it('fires per username for a distributed attack and keeps extending while windows overlap', () => {
    const events = Array.from({ length: 12 }, (_, i) => failedLogin(T0 + i * 2 * MIN, 'root', `192.0.2.${i + 1}`));
    const findings = run(events);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toHaveLength(12);
    expect(findings[0]!.explanation).toContain('from 12 IPs');
  });

  it('ignores successful logins and other event types', () => {
    const events = [0, 1, 2, 3, 4].map((i) => login(T0 + i * MIN, 'jdoe'));
    events.push(...[5, 6, 7, 8, 9].map((i) => ev(T0 + i * MIN, { status_code: 401 })));
    expect(run(events)).toEqual([]);
  });
});

describe('login_after_failures', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['login_after_failures'] });

  it('stays quiet after 2 failures', () => {
    expect(run([failedLogin(T0, 'jdoe'), failedLogin(T0 + MIN, 'jdoe'), login(T0 + 2 * MIN, 'jdoe')])).toEqual([]);
  });

  it('fires on a success after 3 failures within 15 minutes', () => {
    const events = [failedLogin(T0, 'jdoe'), failedLogin(T0 + MIN, 'jdoe'), failedLogin(T0 + 2 * MIN, 'jdoe'), login(T0 + 15 * MIN, 'jdoe')];
    const findings = run(events);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toEqual(events.map((e) => e.id));
    expect(findings[0]!.operator_id).toBe('u-jdoe');
    expect(findings[0]!.explanation).toBe(
      "successful login as 'jdoe' from 198.51.100.7 after 3 failed logins in 15 min (threshold 3 in 15 min)",
    );
  });

  it('does not count a failure more than 15 minutes before the success', () => {
    const events = [failedLogin(T0 - 1, 'jdoe'), failedLogin(T0 + MIN, 'jdoe'), failedLogin(T0 + 2 * MIN, 'jdoe'), login(T0 + 15 * MIN, 'jdoe')];
    expect(run(events)).toEqual([]);
  });

  it('does not mix usernames', () => {
    const events = [failedLogin(T0, 'a'), failedLogin(T0 + 1, 'b'), failedLogin(T0 + 2, 'c'), login(T0 + 3, 'a')];
    expect(run(events)).toEqual([]);
  });
});

describe('permission_probing', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['permission_probing'] });
  const denied = (t: number) => ev(t, { status_code: 403, event_type: 'DeleteRoute' });

  it('stays quiet at 4 denials in 10 minutes and fires at 5', () => {
    expect(run([0, 1, 2, 3].map((i) => denied(T0 + i * MIN)))).toEqual([]);
    const findings = run([0, 1, 2, 3, 9].map((i) => denied(T0 + i * MIN)));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('high');
    expect(findings[0]!.explanation).toMatch(/^5 requests by 'jdoe' denied with 403 in 9 min \(threshold 5 in 10 min\)/);
  });

  it('does not count other statuses or denials more than 10 minutes apart', () => {
    expect(run([0, 1, 2, 3].map((i) => denied(T0 + i * MIN)).concat(ev(T0 + 4 * MIN, { status_code: 401 })))).toEqual([]);
    expect(run([0, 1, 2, 3, 11].map((i) => denied(T0 + i * MIN)))).toEqual([]);
  });
});

describe('token_multi_ip', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['token_multi_ip'] });
  const call = (t: number, ip: string, token = 'ci') => ev(t, { token_name: token, ip });

  it('stays quiet with 2 IPs and fires with 3 IPs within an hour', () => {
    expect(run([call(T0, '10.0.0.1'), call(T0 + MIN, '10.0.0.2'), call(T0 + 2 * MIN, '10.0.0.1')])).toEqual([]);
    const findings = run([call(T0, '10.0.0.1'), call(T0 + MIN, '10.0.0.2'), call(T0 + 60 * MIN, '10.0.0.3')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.explanation).toMatch(/^token 'ci' of 'jdoe' used from 3 IPs within 60 min \(threshold 3 in 60 min\)/);
    expect(findings[0]!.evidence.token_names).toEqual(['ci']);
  });

  it('does not fire when the third IP comes an hour and a second later, or for another token', () => {
    expect(run([call(T0, '10.0.0.1'), call(T0 + MIN, '10.0.0.2'), call(T0 + 3601, '10.0.0.3')])).toEqual([]);
    expect(run([call(T0, '10.0.0.1'), call(T0 + MIN, '10.0.0.2'), call(T0 + 2 * MIN, '10.0.0.3', 'other')])).toEqual([]);
  });
});
