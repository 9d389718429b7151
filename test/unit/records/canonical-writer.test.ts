import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/records/canonical';

/** The definition canonicalJson must keep: JSON.stringify of a copy with every object's keys sorted. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(v).sort()) {
        const inner = (v as Record<string, unknown>)[key];
        if (inner !== undefined) sorted[key] = sortKeys(inner);
      }
      return sorted;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonicalJson (direct writer)', () => {
  it('writes exactly what the sorted-copy definition writes, for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('handles what JSON.parse can produce beyond fc.jsonValue: __proto__ keys, lone surrogates, -0, odd keys', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":"\\ud800"},"a":[-0,1e21,null,{"":"é","A":true}],"constructor":"c"}') as unknown;
    expect(canonicalJson(parsed)).toBe(reference(parsed));
    expect(canonicalJson(parsed)).toContain('"__proto__":{"x":"\\ud800"}');
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1] })).toBe('{"b":[null,null]}');
    // Integer-like keys first, in numeric order: what the definition has always produced.
    const numeric = JSON.parse('{"b":1,"10":2,"9":3,"":4,"01":5,"4294967295":6,"4294967294":7}') as unknown;
    expect(canonicalJson(numeric)).toBe(reference(numeric));
    expect(canonicalJson(numeric)).toBe('{"9":3,"10":2,"4294967294":7,"":4,"01":5,"4294967295":6,"b":1}');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('reuses known texts for sub-objects without changing the result', () => {
    const body = { z: 1, a: { c: [3, 2], b: 'x' } };
    const entry = { id: 'e1', http_request: { body }, http_response: { body: [body] } };
    expect(canonicalJson(entry, new Map([[body, canonicalJson(body)]]))).toBe(reference(entry));
  });
});
