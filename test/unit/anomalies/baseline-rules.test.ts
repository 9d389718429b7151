import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../../main/core/anomalies/engine';
import type { AnomalyEvent } from '../../../main/core/anomalies/event';
import { at, byTime, DAY, ev, HOUR, MIN, routine } from './helpers';

/** Monday. */
const FEB3 = at('2025-02-03T00:00:00Z');
/** Tuesday, after four weeks of history starting FEB3. */
const MAR4 = at('2025-03-04T00:00:00Z');
const WORK_HOURS = [9, 10, 11, 12, 13, 14, 15, 16, 17];

describe('off_hours', () => {
  const run = (events: AnomalyEvent[], timezone = 'UTC') =>
    detectAnomalies(byTime(events), { rules: ['off_hours'], config: { timezone } });
  const history = () => routine(FEB3, 28, WORK_HOURS);

  it('fires for the first activity at 03:00 in 28 days, with the usual hours', () => {
    const night = ev(MAR4 + 3 * HOUR + 12 * MIN);
    const findings = run([...history(), night]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toEqual([night.id]);
    expect(findings[0]!.severity).toBe('medium');
    expect(findings[0]!.explanation).toBe(
      "1 event by 'jdoe' at 03:12 UTC on Tue 2025-03-04: first activity at 03:00 UTC in 28 days; usual hours 09–17",
    );
  });

  it('stays quiet inside the usual hours', () => {
    expect(run([...history(), ev(MAR4 + 9 * HOUR + 59 * MIN)])).toEqual([]);
  });

  it('is high when the group holds a privilege, sensitive or destructive event', () => {
    const findings = run([...history(), ev(MAR4 + 3 * HOUR), ev(MAR4 + 3 * HOUR + 5 * MIN, { event_type: 'DeleteRoute' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('high');
  });

  it('groups off-hours events with gaps under 60 minutes, and splits at 60', () => {
    const joined = run([...history(), ev(MAR4 + 2 * HOUR), ev(MAR4 + 2 * HOUR + 59 * MIN), ev(MAR4 + 3 * HOUR + 58 * MIN)]);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.record_ids).toHaveLength(3);
    expect(joined[0]!.explanation).toContain('first activity at 02:00, 03:00 UTC');
    const split = run([...history(), ev(MAR4 + 2 * HOUR), ev(MAR4 + 3 * HOUR)]);
    expect(split).toHaveLength(2);
  });

  it('fires on the first weekend activity in 28 days, and not once weekends are routine', () => {
    const saturday = at('2025-03-08T10:00:00Z');
    const findings = run([...history(), ev(saturday)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.explanation).toContain('first weekend activity (Sat) in 28 days');
    // (The first days of that history are judged by default hours; only the Saturday matters here.)
    const withWeekends = routine(FEB3, 28, WORK_HOURS, {}, true);
    expect(run([...withWeekends, ev(saturday)]).filter((f) => f.last_event_time >= saturday)).toEqual([]);
  });

  it('uses Mon–Fri 07:00–19:00 with 9 active days, and the own baseline from 10', () => {
    // Active at 09–17 only; 18:30 is inside the default hours but outside the own baseline.
    const late = (start: number) => ev(start + 18 * HOUR + 30 * MIN);
    const nine = routine(FEB3, 11, WORK_HOURS); // Mon 3 .. Thu 13 Feb = 9 weekdays
    expect(run([...nine, late(at('2025-02-14T00:00:00Z'))])).toEqual([]);
    const ten = routine(FEB3, 12, WORK_HOURS); // .. Fri 14 Feb = 10 weekdays
    const findings = run([...ten, late(at('2025-02-17T00:00:00Z'))]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.unusual_hours).toEqual([18]);
  });

  it('judges a new operator against default hours, in the configured time zone', () => {
    const early = ev(at('2025-03-03T06:30:00Z'));
    const utc = run([early]);
    expect(utc).toHaveLength(1);
    expect(utc[0]!.explanation).toContain('outside Mon–Fri 07:00–19:00 UTC');
    // 06:30 UTC is 07:30 in Berlin (CET): a normal working hour there.
    expect(run([early], 'Europe/Berlin')).toEqual([]);
    const ny = run([early], 'America/New_York');
    expect(ny[0]!.explanation).toContain('at 01:30 America/New_York on Mon 2025-03-03');
  });

  it('forgets hours not used for more than 28 days', () => {
    const old = routine(FEB3, 5, [3]); // 03:05 on five weekdays in early February
    const findings = run([...old, ...routine(FEB3, 40, WORK_HOURS), ev(at('2025-03-12T03:30:00Z'))]);
    // 2025-03-12 minus 28 days = 2025-02-12: the 03:00 activity (3–7 Feb) is out of the baseline.
    expect(findings.filter((f) => f.first_event_time >= at('2025-03-12T00:00:00Z'))).toHaveLength(1);
  });
});

describe('new_network', () => {
  const run = (events: AnomalyEvent[]) => detectAnomalies(byTime(events), { rules: ['new_network'] });

  it('needs 5 active days: fires with 5, not with 4', () => {
    const four = routine(FEB3, 4, [10]);
    expect(run([...four, ev(FEB3 + 4 * DAY + 10 * HOUR, { ip: '203.0.113.5' })])).toEqual([]);
    const five = routine(FEB3, 5, [10]);
    const findings = run([...five, ev(FEB3 + 7 * DAY + 10 * HOUR, { ip: '203.0.113.5' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.network).toBe('203.0.113.0/24');
    expect(findings[0]!.explanation).toMatch(/^first use of 203\.0\.113\.0\/24 by 'jdoe' in 28 days/);
    expect(findings[0]!.explanation).toContain('1 other network: 10.0.0.0/24');
  });

  it('ignores another host of a known /24', () => {
    expect(run([...routine(FEB3, 10, [10]), ev(MAR4, { ip: '10.0.0.77' })])).toEqual([]);
  });

  it('covers the network’s events for 24 hours, one finding per network', () => {
    const first = ev(MAR4 + 10 * HOUR, { ip: '203.0.113.5' });
    const later = ev(MAR4 + 34 * HOUR, { ip: '203.0.113.6' });
    const tooLate = ev(MAR4 + 34 * HOUR + 1, { ip: '203.0.113.6' });
    const otherNet = ev(MAR4 + 11 * HOUR, { ip: '198.51.100.1' });
    const findings = run([...routine(FEB3, 28, [10]), first, otherNet, later, tooLate]);
    expect(findings).toHaveLength(2);
    expect(findings[0]!.record_ids).toEqual([first.id, later.id]);
    expect(findings[1]!.record_ids).toEqual([otherNet.id]);
  });

  it('treats IPv6 by /48', () => {
    const base = routine(FEB3, 10, [10], { ip: '2001:db8:1:2::1' });
    expect(run([...base, ev(MAR4, { ip: '2001:db8:1:ffff::9' })])).toEqual([]);
    const findings = run([...base, ev(MAR4, { ip: '2001:db8:2::9' })]);
    expect(findings[0]!.evidence.network).toBe('2001:db8:2::/48');
  });
});

describe('mass_delete', () => {
  const run = (events: AnomalyEvent[]) => detectAnomalies(byTime(events), { rules: ['mass_delete'] });
  const deletes = (start: number, n: number, spacing = 10) =>
    Array.from({ length: n }, (_, i) => ev(start + i * spacing, { event_type: 'DeleteRoute', resource_id: `r-${i}` }));

  it('without history: 10 deletes in 5 minutes is fine, 11 fires', () => {
    expect(run(deletes(MAR4, 10, 30))).toEqual([]);
    const findings = run(deletes(MAR4, 11, 30));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toHaveLength(11);
    expect(findings[0]!.explanation).toMatch(/^11 successful destructive events by 'jdoe' within 5 min \(threshold: more than 10 = max\(10, 2 × 0,/);
  });

  it('11 deletes spread over more than 5 minutes do not fire', () => {
    expect(run(deletes(MAR4, 11, 31))).toEqual([]);
  });

  it('with a largest 5-minute count of 8 in the prior days the bar is 16', () => {
    const history = deletes(MAR4 - 3 * DAY, 8);
    expect(run([...history, ...deletes(MAR4, 16)])).toEqual([]);
    const findings = run([...history, ...deletes(MAR4, 17)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toMatchObject({ threshold: 16, baseline_max: 8, max_in_window: 17 });
  });

  it('ignores failed deletes and non-destructive events; unknown Delete* keys count', () => {
    const failed = Array.from({ length: 12 }, (_, i) => ev(MAR4 + i, { event_type: 'DeleteRoute', status_code: 403 }));
    const updates = Array.from({ length: 12 }, (_, i) => ev(MAR4 + i));
    expect(run([...failed, ...updates])).toEqual([]);
    const unknown = Array.from({ length: 11 }, (_, i) => ev(MAR4 + i, { event_type: 'DeleteFancyThing' }));
    expect(run(unknown)).toHaveLength(1);
  });
});

describe('volume_spike', () => {
  const run = (events: AnomalyEvent[]) => detectAnomalies(byTime(events), { rules: ['volume_spike'] });
  const burst = (start: number, n: number) => Array.from({ length: n }, (_, i) => ev(start + Math.floor((i * 3599) / n)));

  it('without 5 active days the threshold is 200: 200 is fine, 201 fires and covers the whole hour', () => {
    expect(run(burst(MAR4 + 10 * HOUR, 200))).toEqual([]);
    const findings = run(burst(MAR4 + 10 * HOUR, 201));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toHaveLength(201);
    expect(findings[0]!.explanation).toContain('above the threshold of 200 (default threshold as only 0 active days');
  });

  it('with a p95 of 20 events per active hour the threshold is 80', () => {
    const history: AnomalyEvent[] = [];
    for (let d = 1; d <= 6; d++) history.push(...burst(MAR4 - d * DAY + 10 * HOUR, 20));
    expect(run([...history, ...burst(MAR4 + 10 * HOUR, 80)])).toEqual([]);
    const findings = run([...history, ...burst(MAR4 + 10 * HOUR, 81)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toMatchObject({ threshold: 80, percentile_hourly_count: 20 });
    expect(findings[0]!.explanation).toContain('max(60, 4 × 20, their p95');
  });

  it('never goes below 60 with a quiet baseline', () => {
    const history: AnomalyEvent[] = [];
    for (let d = 1; d <= 6; d++) history.push(...burst(MAR4 - d * DAY + 10 * HOUR, 3));
    expect(run([...history, ...burst(MAR4 + 10 * HOUR, 60)])).toEqual([]);
    expect(run([...history, ...burst(MAR4 + 10 * HOUR, 61)])).toHaveLength(1);
  });

  it('counts per clock hour, not per sliding hour', () => {
    // 150 at the end of one hour and 150 at the start of the next: 300 in 20 minutes, but no clock hour above 200.
    const a = Array.from({ length: 150 }, (_, i) => ev(MAR4 + 10 * HOUR + 50 * MIN + i));
    const b = Array.from({ length: 150 }, (_, i) => ev(MAR4 + 11 * HOUR + i));
    expect(run([...a, ...b])).toEqual([]);
  });
});

describe('dormant_account', () => {
  const run = (events: AnomalyEvent[]) => detectAnomalies(byTime(events), { rules: ['dormant_account'] });

  it('fires after exactly 30 days without events, not after 30 days minus a second', () => {
    expect(run([ev(FEB3), ev(FEB3 + 30 * DAY - 1)])).toEqual([]);
    const back = ev(FEB3 + 30 * DAY);
    const findings = run([ev(FEB3), back, ev(FEB3 + 30 * DAY + 60)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.record_ids).toEqual([back.id]);
    expect(findings[0]!.explanation).toBe("first activity by 'jdoe' in 30 days (last seen 2025-02-03 00:00 UTC; threshold 30 days)");
  });

  it('needs earlier events: an operator’s very first event is not dormant', () => {
    expect(run([ev(MAR4)])).toEqual([]);
  });
});
