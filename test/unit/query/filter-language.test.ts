import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterModelSchema, type FilterModel } from '../../../preload/contract';
import { formatFilter, parseFilter } from '../../../main/core/query/filter-language';

describe('the filter language', () => {
  it('parses the documented example into the model', () => {
    const result = parseFilter('operator:jdoe event:Delete* ip:203.0.113.0/24 status:4xx after:2026-10-01 "payments"');
    expect(result).toEqual({
      ok: true,
      filter: {
        operators: ['jdoe'],
        eventTypes: ['Delete*'],
        ips: ['203.0.113.0/24'],
        statusClasses: ['4xx'],
        from: Date.UTC(2026, 9, 1) / 1000,
        text: ['payments'],
      },
    });
  });

  it('handles lists, negation, quotes, relative ranges and review statuses', () => {
    const result = parseFilter('-operator:ci-bot event:AddRoute,UpdateRoute resource:"payments v2" last:7d status:needs-follow-up has:error tag:q4 before:2026-10-02');
    expect(result.ok && result.filter).toEqual({
      not: { operators: ['ci-bot'] },
      eventTypes: ['AddRoute', 'UpdateRoute'],
      resources: ['payments v2'],
      relative: '7d',
      reviewStatuses: ['needs follow up'],
      hasError: true,
      tags: ['q4'],
      to: Date.UTC(2026, 9, 2) / 1000 - 1,
    });
  });

  it('points at the offending position with a clear message', () => {
    const unknownKey = parseFilter('operator:jdoe colour:red');
    expect(unknownKey).toMatchObject({ ok: false, position: 14, length: 10 });
    expect(!unknownKey.ok && unknownKey.message).toContain('unknown key "colour"');

    const badIp = parseFilter('ip:300.1.1.1');
    expect(badIp).toMatchObject({ ok: false, position: 0 });
    expect(!badIp.ok && badIp.message).toContain('not an IP address');

    const badDate = parseFilter('after:2026-02-30');
    expect(!badDate.ok && badDate.message).toContain('not a date');

    const unclosed = parseFilter('resource:"payments');
    expect(unclosed).toMatchObject({ ok: false, message: 'unclosed quote', position: 9 });
  });

  it('formats canonically and parses its own output back to the same model', () => {
    const text = 'last:24h operator:jdoe,"Jane Doe" -event:Login ip:10.0.0.0/8 status:5xx has:finding "a \\"quoted\\" phrase"';
    const first = parseFilter(text);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const formatted = formatFilter(first.filter);
    const second = parseFilter(formatted);
    expect(second).toEqual({ ok: true, filter: first.filter });
  });

  it('reads around:<moment>±<minutes>, also spelt +- or with the default of 30 minutes', () => {
    const moment = Date.UTC(2026, 10, 20, 14, 5) / 1000;
    expect(parseFilter('around:2026-11-20T14:05±30')).toEqual({ ok: true, filter: { around: { time: moment, minutes: 30 } } });
    expect(parseFilter('around:2026-11-20T14:05+-45 resource:r-1042')).toEqual({ ok: true, filter: { around: { time: moment, minutes: 45 }, resources: ['r-1042'] } });
    expect(parseFilter('around:2026-11-20T14:05')).toEqual({ ok: true, filter: { around: { time: moment, minutes: 30 } } });
    expect(formatFilter({ around: { time: moment, minutes: 45 } })).toBe('around:2026-11-20T14:05±45');
    expect(formatFilter({ around: { time: moment + 7, minutes: 0 } })).toBe('around:2026-11-20T14:05:07±0');

    const badMoment = parseFilter('operator:jdoe around:14:05±30');
    expect(badMoment).toMatchObject({ ok: false, position: 14 });
    expect(!badMoment.ok && badMoment.message).toContain('not a moment');
    expect(!parseFilter('around:2026-11-20T14:05±20000').ok).toBe(true);
    expect(!parseFilter('around:2026-11-20T14:05±x').ok).toBe(true);
    expect(!parseFilter('around:2026-11-20,2026-11-21').ok).toBe(true);
  });

  // Property: for any model the language can express, parse(format(model)) gives it back.
  const word = fc.stringMatching(/^[A-Za-z0-9_.@*-][A-Za-z0-9_.@ *,"\\-]{0,12}$/);
  const modelArb: fc.Arbitrary<FilterModel> = fc.record(
    {
      operators: fc.array(word, { minLength: 1, maxLength: 3 }),
      eventTypes: fc.array(word, { minLength: 1, maxLength: 3 }),
      resources: fc.array(word, { minLength: 1, maxLength: 2 }),
      statusClasses: fc.uniqueArray(fc.constantFrom('2xx' as const, '4xx' as const, '5xx' as const), { minLength: 1, maxLength: 3 }),
      text: fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !s.includes('\u0000')), { minLength: 1, maxLength: 2 }),
      from: fc.integer({ min: 0, max: 4_000_000_000 }).map((n) => n - (n % 60)),
      hasError: fc.boolean(),
      around: fc.record({ time: fc.integer({ min: 0, max: 4_000_000_000 }), minutes: fc.integer({ min: 0, max: 10_080 }) }),
    },
    { requiredKeys: [] },
  );

  it('round-trips every expressible model (property)', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const parsed = parseFilter(formatFilter(model));
        expect(parsed).toEqual({ ok: true, filter: model });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary input and only returns valid models (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseFilter(text);
        if (result.ok) expect(filterModelSchema.safeParse(result.filter).success).toBe(true);
        else {
          expect(result.position).toBeGreaterThanOrEqual(0);
          expect(result.position).toBeLessThanOrEqual(text.length);
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
