import { describe, expect, it } from 'vitest';
import { parseMoment } from '../../../main/core/history/moment';

describe('parseMoment', () => {
  const t = Date.UTC(2026, 10, 20, 14, 5) / 1000;
  it('reads ISO 8601 as UTC unless a zone is given, and Unix seconds', () => {
    expect(parseMoment('2026-11-20T14:05')).toBe(t);
    expect(parseMoment('2026-11-20 14:05:00Z')).toBe(t);
    expect(parseMoment('2026-11-20T15:05+01:00')).toBe(t);
    expect(parseMoment('2026-11-20T09:05:00.250-0500')).toBe(t);
    expect(parseMoment('2026-11-20')).toBe(Date.UTC(2026, 10, 20) / 1000);
    expect(parseMoment(String(t))).toBe(t);
  });
  it('refuses what is not a moment', () => {
    for (const bad of ['', 'yesterday', '2026-02-30', '2026-11-20T25:00', '2026-11-20T14:61', '14:05']) expect(parseMoment(bad)).toBeNull();
  });
});
