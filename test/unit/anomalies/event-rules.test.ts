import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import { at, ev } from './helpers';

const T0 = at('2025-03-04T10:00:00Z');

describe('privilege_change', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['privilege_change'] });

  it('reports every successful privilege event, medium', () => {
    const findings = run([ev(T0, { event_type: 'UpdateRole', resource_id: 'role-1' }), ev(T0 + 1, { event_type: 'InviteUser', resource_id: 'u-new' })]);
    expect(findings.map((f) => f.severity)).toEqual(['medium', 'medium']);
    expect(findings[0]!.explanation).toBe("'jdoe' changed privileges: UpdateRole on role-1 (every successful privilege change is reported)");
  });

  it('is high when operators change their own roles', () => {
    const [f] = run([ev(T0, { event_type: 'UpdateUserRole', resource_id: 'u-jdoe' })]);
    expect(f!.severity).toBe('high');
    expect(f!.evidence.own_roles).toBe(true);
  });

  it('ignores failed privilege events and events without the flag', () => {
    expect(run([ev(T0, { event_type: 'UpdateUserRole', status_code: 403 }), ev(T0, { event_type: 'UpdateRoute' })])).toEqual([]);
  });
});

describe('sensitive_change', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['sensitive_change'] });

  it('reports successful sensitive events but not audit_config ones or failures', () => {
    const ssl = ev(T0, { event_type: 'UpdateSSL', resource_id: 'ssl-3' });
    const findings = run([
      ssl,
      ev(T0 + 1, { event_type: 'UpdateAuditSettings' }),
      ev(T0 + 2, { event_type: 'UpdateSSL', status_code: 500 }),
      ev(T0 + 3, { event_type: 'AddSSL', failed: true }) // an error message without an error status,
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toEqual([ssl.id]);
    expect(findings[0]!.severity).toBe('medium');
  });
});

describe('audit_trail_tampering', () => {
  const run = (events: ReturnType<typeof ev>[]) => detectAnomalies(events, { rules: ['audit_trail_tampering'] });

  it('reports audit_config events whether or not they succeed', () => {
    const findings = run([ev(T0, { event_type: 'UpdateAuditSettings' }), ev(T0 + 1, { event_type: 'DeleteAuditLogs', status_code: 403 })]);
    expect(findings).toHaveLength(2);
    expect(findings.every((f) => f.severity === 'high')).toBe(true);
    expect(findings[1]!.explanation).toContain("'jdoe' attempted DeleteAuditLogs");
  });

  it('reports a 403 on the audit-log API, including export and query strings, and nothing else', () => {
    const denied = (uri: string, status = 403) => ev(T0, { event_type: 'ExportAuditLogs', uri, status_code: status });
    expect(run([denied('/api/audit_logs?page=2'), denied('/api/audit_logs/export?format=csv'), denied('https://gw.example/api/audit_logs')])).toHaveLength(3);
    expect(run([denied('/api/audit_logs', 200), denied('/api/audit_logs', 401), denied('/api/routes'), denied('/api/audit_logsx')])).toEqual([]);
  });
});
