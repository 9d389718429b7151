import { describe, expect, it } from 'vitest';
import { createDetector, detectAnomalies, requiredHistorySeconds, SnapshotMismatchError } from '../../../main/core/anomalies/engine';
import type { AnomalyEvent } from '../../../main/core/anomalies/event';
import type { Finding } from '../../../main/core/anomalies/finding';
import { at, byTime, DAY, ev, failedLogin, HOUR, MIN, routine } from './helpers';

const FEB3 = at('2025-02-03T00:00:00Z');

/** Six weeks of office hours for two people, with incidents sprinkled over the last days. */
function scenario(): AnomalyEvent[] {
  const events = [
    ...routine(FEB3, 42, [9, 11, 14, 16]),
    ...routine(FEB3, 42, [10, 15], { operator_id: 'u-amy', username: 'amy', ip: '10.0.1.9' }),
  ];
  const d = FEB3 + 38 * DAY;
  events.push(ev(d + 3 * HOUR), ev(d + 3 * HOUR + 20 * MIN, { event_type: 'DeleteUser' }));
  for (let i = 0; i < 6; i++) events.push(failedLogin(d + 12 * HOUR + i * MIN, 'amy'));
  events.push(ev(d + DAY + 10 * HOUR, { ip: '203.0.113.50' }), ev(d + DAY + 20 * HOUR, { ip: '203.0.113.51' }));
  for (let i = 0; i < 12; i++) events.push(ev(d + 2 * DAY + 10 * HOUR + i * 10, { event_type: 'DeleteRoute' }));
  return byTime(events);
}

const ids = (findings: Finding[]) => findings.map((f) => f.id);

describe('finding ids and incremental scans', () => {
  it('gives the same ids on a rescan', () => {
    const events = scenario();
    const first = detectAnomalies(events);
    expect(first.length).toBeGreaterThan(3);
    expect(ids(detectAnomalies(events))).toEqual(ids(first));
    expect(new Set(ids(first)).size).toBe(first.length);
  });

  it('resuming from a snapshot reports exactly the full scan’s findings that involve new events', () => {
    const events = scenario();
    const full = detectAnomalies(events);
    for (const cut of [FEB3 + 38 * DAY + 3 * HOUR + 10 * MIN, FEB3 + 39 * DAY + 15 * HOUR, FEB3 + 40 * DAY]) {
      const old = events.filter((e) => e.event_time < cut);
      const fresh = events.filter((e) => e.event_time >= cut);
      const before = createDetector();
      for (const e of old) before.push(e);
      before.flush();
      const after = createDetector({ snapshot: before.snapshot() });
      for (const e of fresh) after.push(e);
      const freshIds = new Set(fresh.map((e) => e.id));
      const expected = full.filter((f) => f.record_ids.some((id) => freshIds.has(id)));
      expect(after.flush()).toEqual(expected);
    }
  });

  it('replaying history with emit=false gives the same findings for the new events', () => {
    const events = scenario();
    const full = detectAnomalies(events);
    const cut = FEB3 + 38 * DAY;
    const history = events.filter((e) => e.event_time < cut && e.event_time >= cut - requiredHistorySeconds());
    const fresh = events.filter((e) => e.event_time >= cut);
    const detector = createDetector();
    for (const e of history) detector.push(e, false);
    for (const e of fresh) detector.push(e);
    const freshIds = new Set(fresh.map((e) => e.id));
    expect(detector.flush()).toEqual(full.filter((f) => f.record_ids.some((id) => freshIds.has(id))));
  });

  it('dormant_account needs the seeded last-seen time when the gap is longer than the replay', () => {
    const old = ev(FEB3);
    const back = ev(FEB3 + 60 * DAY);
    const detector = createDetector({ rules: ['dormant_account'] });
    detector.seedLastSeen(old.operator_id, old.event_time);
    detector.push(back);
    expect(detector.flush().map((f) => f.record_ids)).toEqual([[back.id]]);
  });

  it('refuses a snapshot taken with other settings, and out-of-order events', () => {
    const detector = createDetector();
    detector.push(ev(FEB3));
    const snapshot = detector.snapshot();
    expect(() => createDetector({ snapshot, config: { rules: { brute_force: { failures: 6 } } } })).toThrow(SnapshotMismatchError);
    expect(() => createDetector({ snapshot: Buffer.from('nope') })).toThrow(SnapshotMismatchError);
    expect(() => detector.push(ev(FEB3 - 1))).toThrow(/event_time order/);
  });

  it('validates settings with a readable message', () => {
    expect(() => createDetector({ config: { timezone: 'Mars/Olympus' } })).toThrow(/timezone: unknown time zone/);
    expect(() => createDetector({ config: { rules: { mass_delete: { minCount: 0 } } } })).toThrow(/rules\.mass_delete\.minCount/);
  });

  it('applies configured thresholds', () => {
    const events = [0, 1, 2].map((i) => failedLogin(FEB3 + i, 'x'));
    expect(detectAnomalies(events, { rules: ['brute_force'] })).toEqual([]);
    expect(detectAnomalies(events, { rules: ['brute_force'], config: { rules: { brute_force: { failures: 3 } } } })).toHaveLength(1);
  });
});
