import { describe, expect, it } from 'vitest';
import { Faults, parseFaultSpec } from '../../../main/demo-gateway/faults';

describe('fault injection', () => {
  it('parses a spec and rejects bad ones with a reason', () => {
    expect(parseFaultSpec('500:0.05, 429:0.05,timeout:0.01')).toEqual([
      { kind: '500', probability: 0.05 },
      { kind: '429', probability: 0.05 },
      { kind: 'timeout', probability: 0.01 },
    ]);
    expect(() => parseFaultSpec('418:0.1')).toThrow(/unknown fault "418"/);
    expect(() => parseFaultSpec('500:x')).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec('500:0.7,429:0.7')).toThrow(/must not exceed 1/);
  });

  it('fires a scheduled fault after N served pages, `times` times', () => {
    const f = new Faults(undefined, 1);
    f.pageServed();
    f.schedule({ kind: '401', after_pages: 2, times: 2 });
    expect(f.decide()).toBeNull();
    f.pageServed();
    expect(f.decide()).toBeNull();
    f.pageServed();
    expect(f.decide()?.kind).toBe('401');
    expect(f.decide()?.kind).toBe('401');
    expect(f.decide()).toBeNull();
    expect(f.injected).toEqual({ '401': 2 });
    f.schedule({ kind: '500', times: Infinity });
    f.clear();
    expect(f.decide()).toBeNull();
  });

  it('draws random faults reproducibly for a seed at about the given rate', () => {
    const draw = (seed: number) => {
      const f = new Faults('500:0.2,reset:0.1', seed);
      return Array.from({ length: 2000 }, () => f.decide()?.kind ?? '-');
    };
    const a = draw(5);
    expect(draw(5)).toEqual(a);
    const share = (k: string) => a.filter((x) => x === k).length / a.length;
    expect(share('500')).toBeGreaterThan(0.15);
    expect(share('500')).toBeLessThan(0.25);
    expect(share('reset')).toBeGreaterThan(0.06);
    expect(share('reset')).toBeLessThan(0.14);
  });

  it('refuses unknown kinds in schedule()', () => {
    expect(() => new Faults(undefined, 1).schedule({ kind: 'nope' as never })).toThrow(/unknown fault kind/);
  });
});
