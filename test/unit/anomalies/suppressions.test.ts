import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import { applySuppressions, suppressionSchema, type Suppression } from '../../../main/core/anomalies/suppressions';
import { at, ev } from './helpers';

const T0 = at('2025-03-04T10:00:00Z');
const findings = detectAnomalies([
  ev(T0, { event_type: 'UpdateSSL', ip: '10.0.0.5', token_name: 'adc' }),
  ev(T0 + 1, { event_type: 'AddSSL', operator_id: 'u-amy', username: 'amy', ip: '10.0.0.6' }),
]);

const base: Suppression = {
  id: 's1',
  rule: 'sensitive_change',
  match: { operator_id: 'u-jdoe' },
  reason: 'certificate rotation by the platform team',
  author: 'auditor',
  created_at: T0 - 100,
};

describe('applySuppressions', () => {
  it('marks matching findings and keeps every finding', () => {
    const out = applySuppressions(findings, [base], T0);
    expect(out).toHaveLength(2);
    expect(out[0]!.suppressed).toEqual({ id: 's1', reason: base.reason });
    expect(out[1]!.suppressed).toBeNull();
  });

  it('matches by IP, event type and token only when all records agree', () => {
    const by = (match: Suppression['match']) => applySuppressions(findings, [{ ...base, match }], T0).map((f) => f.suppressed !== null);
    expect(by({ ip: '10.0.0.6' })).toEqual([false, true]);
    expect(by({ event_type: 'UpdateSSL' })).toEqual([true, false]);
    expect(by({ token_name: 'adc' })).toEqual([true, false]);
    expect(by({ operator_id: 'u-jdoe', ip: '10.0.0.6' })).toEqual([false, false]);
  });

  it('ignores other rules, expired and future suppressions', () => {
    const none = (s: Suppression) => applySuppressions(findings, [s], T0).every((f) => f.suppressed === null);
    expect(none({ ...base, rule: 'off_hours' })).toBe(true);
    expect(none({ ...base, expires_at: T0 })).toBe(true);
    expect(none({ ...base, created_at: T0 + 1 })).toBe(true);
    expect(none({ ...base, expires_at: T0 + 1 })).toBe(false);
  });

  it('requires a reason and at least one criterion', () => {
    expect(suppressionSchema.safeParse({ ...base, reason: '  ' }).success).toBe(false);
    expect(suppressionSchema.safeParse({ ...base, match: {} }).success).toBe(false);
    expect(suppressionSchema.safeParse({ ...base, rule: 'nope' }).success).toBe(false);
    expect(suppressionSchema.parse(base)).toEqual(base);
  });
});
