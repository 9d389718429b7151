import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import type { AnomalyEvent } from '../../../main/core/anomalies/event';
import { at, byTime, DAY, ev, HOUR, MIN } from './helpers';

/**
 * Routine automation must stay quiet once the rules have seen it for a while: the two
 * examples, run through ALL rules together. Day 0 is a Saturday so weekends are in from the start.
 */
const START = at('2025-02-01T00:00:00Z');
const DAYS = 42;

function nightlyCi(): AnomalyEvent[] {
  const out: AnomalyEvent[] = [];
  const ci = { operator_id: 'u-ci', username: 'ci-bot', token_name: 'nightly-ci', ip: '10.20.0.4' };
  for (let d = 0; d < DAYS; d++) {
    const t = START + d * DAY + 2 * HOUR;
    for (let i = 0; i < 25; i++) out.push(ev(t + i * 7, { ...ci, event_type: i % 5 === 0 ? 'PublishService' : 'UpdateRoute' }));
  }
  return out;
}

function adcResync(): AnomalyEvent[] {
  const out: AnomalyEvent[] = [];
  const adc = { operator_id: 'u-adc', username: 'adc-sync', token_name: 'adc', ip: '10.20.0.9' };
  for (let d = 0; d < DAYS; d++) {
    const t = START + d * DAY + 6 * HOUR + 30 * MIN;
    for (let i = 0; i < 15; i++) out.push(ev(t + i * 2, { ...adc, event_type: 'DeleteRoute', resource_id: `r-${i}` }));
    for (let i = 0; i < 15; i++) out.push(ev(t + 40 + i * 2, { ...adc, event_type: 'AddRoute', resource_id: `r-${i}` }));
  }
  return out;
}

describe('routine automation', () => {
  const settled = START + 14 * DAY;

  it('a nightly CI token at 02:00 produces no findings once it has history', () => {
    const findings = detectAnomalies(nightlyCi());
    expect(findings.filter((f) => f.last_event_time >= settled)).toEqual([]);
    // It is flagged while new (default working hours), which is the rule working as defined.
    expect(findings.every((f) => f.rule === 'off_hours' && f.first_event_time < START + 12 * DAY)).toBe(true);
  });

  it('a daily ADC re-sync deleting 15 routes produces no findings once it has history', () => {
    const findings = detectAnomalies(adcResync());
    expect(findings.filter((f) => f.last_event_time >= settled)).toEqual([]);
    // Only the very first re-sync is a mass delete: afterwards its own 15 sets the bar at 30.
    expect(findings.filter((f) => f.rule === 'mass_delete').map((f) => f.first_event_time)).toEqual([START + 6 * HOUR + 30 * MIN]);
  });

  it('both together with an attack on the last day: only the attack is reported', () => {
    const lastDay = START + (DAYS - 1) * DAY;
    const attack = Array.from({ length: 20 }, (_, i) =>
      ev(lastDay + 2 * HOUR + 10 * MIN + i * 5, { operator_id: 'u-adc', username: 'adc-sync', token_name: 'adc', ip: '10.20.0.9', event_type: 'DeleteService', resource_id: `s-${i}` }),
    );
    const findings = detectAnomalies(byTime([...nightlyCi(), ...adcResync(), ...attack])).filter((f) => f.last_event_time >= settled);
    expect(findings.map((f) => f.rule).sort()).toEqual(['off_hours']);
    expect(findings[0]!.severity).toBe('high');
    expect(findings[0]!.record_ids).toEqual(attack.map((e) => e.id));
  });
});
