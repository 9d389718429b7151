import { describe, expect, it } from 'vitest';
import { isPlainEntry, validateEntry } from '../../../main/core/import/plain-entry';
import { canonicalJson } from '../../../main/core/records/canonical';
import { parseAuditEntry } from '../../../main/core/records/entry';
import { hostileRecords, invalidRecords } from '../../fixtures/hostile/corpus';
import { makeEntries } from '../cache/fixtures';

/** An entry exactly as a gateway's NDJSON line parses: the shape the fast path is for. */
const base = (): Record<string, unknown> => JSON.parse(JSON.stringify(makeEntries(0, 1)[0])) as Record<string, unknown>;

/** Deep-nested body as text (JSON.stringify of a 1,000-level object would be slow to build here). */
const nested = (levels: number): unknown => JSON.parse(`${'{"d":'.repeat(levels)}1${'}'.repeat(levels)}`);

const ODD_VALUES: unknown[] = [undefined, null, 7, 1.5, -1, true, {}, [], '', 'x'.repeat(201), '123', Number.NaN, Number.POSITIVE_INFINITY, -0, 32_503_680_000, 32_503_680_001, 999, 1000];

/** Every field of the entry and its nested objects, with each odd value (and the key removed). */
function variants(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const paths: string[][] = [];
  const start = base();
  for (const [key, value] of Object.entries(start)) {
    paths.push([key]);
    if (value !== null && typeof value === 'object') for (const inner of Object.keys(value)) paths.push([key, inner]);
  }
  paths.push(['http_response', 'status_code'], ['extra_top_level']);
  for (const path of paths) {
    for (const odd of ODD_VALUES) {
      const raw = base();
      const holder = path.length === 1 ? raw : (raw[path[0]!] as Record<string, unknown>);
      const key = path.at(-1)!;
      if (odd === undefined) delete holder[key];
      else holder[key] = odd;
      out.push([`${path.join('.')} = ${String(odd)}`, raw]);
    }
  }
  for (const where of ['', 'operator', 'http_request', 'http_response', 'http_request.body']) {
    const raw = base();
    const target = where === '' ? raw : (where.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], raw) as Record<string, unknown>);
    // An own data property, as JSON.parse makes it (assigning would set the prototype instead).
    Object.defineProperty(target, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    out.push([`__proto__ key in ${where || 'the entry'}`, raw]);
  }
  for (const levels of [998, 999, 1000, 1001]) {
    const raw = base();
    (raw.http_request as Record<string, unknown>).body = nested(levels);
    out.push([`body nested ${levels} levels`, raw]);
  }
  out.push(['not an object', 'entry'], ['an array', [base()]], ['null', null]);
  for (const record of hostileRecords()) out.push([`hostile ${String(record.id)}`, record]);
  invalidRecords().forEach(({ record }, k) => out.push([`invalid record ${k}`, record]));
  return out;
}

describe('validateEntry (fast path of parseAuditEntry)', () => {
  it('takes the fast path for a gateway-shaped entry', () => {
    expect(isPlainEntry(base())).toBe(true);
    expect(isPlainEntry({ ...base(), http_request: { ...(base().http_request as object), body: undefined } })).toBe(true);
  });

  it('gives the same verdict, entry and error message as the schema for every variant', () => {
    let fast = 0;
    let slow = 0;
    for (const [name, raw] of variants()) {
      const copy = raw === null || typeof raw !== 'object' ? raw : structuredClone(raw);
      const ours = validateEntry(raw);
      const schema = parseAuditEntry(copy);
      expect(ours, name).toStrictEqual(schema);
      if (ours.ok && schema.ok) expect(canonicalJson(ours.entry), name).toBe(canonicalJson(schema.entry));
      if (isPlainEntry(raw)) fast++;
      else slow++;
    }
    // Both paths were exercised, so the comparison above means something.
    expect(fast).toBeGreaterThan(50);
    expect(slow).toBeGreaterThan(50);
  });

  it('refuses nesting deeper than the schema guard without overflowing the stack', () => {
    const raw = base();
    (raw.http_request as Record<string, unknown>).body = nested(20_000);
    expect(isPlainEntry(raw)).toBe(false);
    expect(validateEntry(raw)).toMatchObject({ ok: false, error: expect.stringMatching(/nested more than 1000 levels/) });
  });
});
