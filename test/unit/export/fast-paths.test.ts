import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText, hasPlainShape, normalizeEntry } from '../../../main/core/export/canonical-entry';
import { csvLine, encodeCell } from '../../../main/core/export/csv-cells';
import { entryToRow, isoFromUnix } from '../../../main/core/export/record-columns';
import { StoredRecordReader, storedCsvLineBound } from '../../../main/core/export/stored-record';
import { canonicalJson } from '../../../main/core/records/canonical';
import type { AuditEntry } from '../../../main/core/records/entry';

/** The straightforward forms the fast paths replace; each fast path must agree with them exactly. */
const referenceCsvLine = (cells: string[]) =>
  cells
    .map((c) => {
      const e = encodeCell(c);
      return /[",\r\n]/.test(e) ? `"${e.replace(/"/g, '""')}"` : e;
    })
    .join(',') + '\r\n';
const referenceIso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

const text = fc.string({ unit: 'binary', maxLength: 12 });
const nasty = fc.oneof(text, fc.constantFrom('=1+1', '@a', "'q", 'a,b', 'a"b', 'l\r\nm', '\\', '"', '\ud800', 'x\udc00y', '😀', ''));
// Bodies whose JSON.stringify differs from canonical JSON (integer-like keys) or that contain the
// key sequences the parser looks for.
const trickyBody = fc.constantFrom<unknown>(
  { b: 1, 10: 'x', 9: 'y' },
  { '!': 1, 1: 2 },
  { http_response: { body: 1 }, ',"http_response":{': 'k' },
  { x: ',"http_response":{"body":' },
  [{ 2: 0, 1: 0 }, 'z'],
  1e21,
  -0,
  'str"ing',
  null,
);
const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), trickyBody);
const plainEntryWith = (str: fc.Arbitrary<string>) =>
  fc.record(
  {
    id: str,
    event_time: fc.integer({ min: 0, max: 32503680000 }),
    operator: fc.record({ id: str, username: str, email: str, first_name: str, last_name: str }),
    source: str,
    token_name: str,
    event_type: str,
    resource_id: str,
    resource_name: str,
    gateway_group_id: str,
    ip_address: str,
    error_message: str,
    http_request: fc.record({ method: str, uri: str, user_agent: str, body }, { requiredKeys: ['method', 'uri', 'user_agent'] }),
    http_response: fc.record({ status_code: fc.integer({ min: -1, max: 999 }), body }, { requiredKeys: ['status_code'] }),
  },
  { noNullPrototype: true },
);
const plainEntry = plainEntryWith(nasty);
/** Strings JSON mostly leaves alone (no escapes), with the cells CSV must still quote or neutralize. */
const unescaped = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom('=1+1', '@a', "'q", 'a,b', '-5', '+x', '😀,', '') },
  { weight: 1, arbitrary: nasty },
);

/** The cells the reader gives for a stored text (as the XLSX writer gets them), or null when it does not read it. */
function plainStoredRow(text: string): string[] | null {
  const reader = new StoredRecordReader();
  const bytes = Buffer.from(text, 'utf8');
  return reader.read(bytes, 0, bytes.length) ? reader.cells() : null;
}

describe('export fast paths give the same bytes as the general ones', () => {
  it('a stored record: its text is the canonical text, and the cells read from it are entryToRow', () => {
    fc.assert(
      fc.property(plainEntry, (raw) => {
        // What the cache stores: canonicalJson of the validated entry.
        const stored = canonicalJson(normalizeEntry(raw as unknown as AuditEntry, 0));
        const slow = normalizeEntry(JSON.parse(stored) as AuditEntry, 0);
        expect(canonicalEntryText(slow)).toBe(stored);
        expect(plainStoredRow(stored)).toEqual(entryToRow(slow));
      }),
      { numRuns: 500 },
    );
  });

  it('a stored record of any other shape is left to the general path, never misread', () => {
    type Loose = Record<string, unknown>;
    const nested = ['operator', 'http_request', 'http_response'] as const;
    // One change that leaves the published shape (or, for some, keeps it: both must come out right).
    const mutation = fc.oneof(
      fc.record({ where: fc.constantFrom(null, ...nested), key: fc.constantFrom('extra', 'a', 'zz', '__proto__', 'body', 'id'), value: fc.jsonValue({ maxDepth: 2 }) }).map(
        (m) => (e: Loose) => {
          const holder = m.where === null ? e : (e[m.where] as Loose);
          Object.defineProperty(holder, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
        },
      ),
      fc.record({ key: fc.constantFrom('event_time', 'id', 'token_name', 'error_message'), value: fc.constantFrom<unknown>(-1, 1.5, 32503680001, '10', null, true, 7, [], {}) }).map(
        (m) => (e: Loose) => void (e[m.key] = m.value),
      ),
      fc.record({ value: fc.constantFrom<unknown>(1.5, '200', -0, 2 ** 53 + 2, null) }).map((m) => (e: Loose) => void ((e.http_response as Loose).status_code = m.value)),
      fc.constantFrom('operator', 'http_request', 'http_response', 'source').map((key) => (e: Loose) => void delete e[key]),
    );
    fc.assert(
      fc.property(plainEntry, mutation, (raw, mutate) => {
        const entry = JSON.parse(JSON.stringify(raw)) as Loose;
        mutate(entry);
        const stored = canonicalJson(entry);
        const parsed = JSON.parse(stored) as Loose;
        const cells = plainStoredRow(stored);
        if (!hasPlainShape(parsed)) expect(cells).toBeNull();
        else expect(cells).toEqual(entryToRow(parsed as unknown as AuditEntry));
      }),
      { numRuns: 1000 },
    );
    // Not a record at all.
    for (const text of ['', '{}', '[]', 'null', '{"error_message":"x"', '{"error_message":"a\u0000b"}']) expect(plainStoredRow(text)).toBeNull();
  });

  it('a stored record: the CSV line written from its bytes is the UTF-8 of csvLine(entryToRow)', () => {
    const reader = new StoredRecordReader();
    fc.assert(
      fc.property(fc.oneof(plainEntryWith(unescaped), plainEntry), fc.nat(8), (raw, offset) => {
        const stored = canonicalJson(normalizeEntry(raw as unknown as AuditEntry, 0));
        const expected = csvLine(entryToRow(normalizeEntry(JSON.parse(stored) as AuditEntry, 0)));
        // The text sits inside a larger buffer, as in the sink's scratch; the line goes after other bytes.
        const src = Buffer.concat([Buffer.alloc(offset, 0x7b), Buffer.from(stored, 'utf8'), Buffer.from('}"')]);
        expect(reader.read(src, offset, src.length - 2)).toBe(true);
        const out = Buffer.alloc(offset + storedCsvLineBound(src.length), 0xee);
        const written = reader.csvLine(out, offset);
        expect(out.subarray(offset, offset + written).toString('utf8')).toBe(expected);
        expect(out.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
        expect(out[offset + written]).toBe(0xee);
      }),
      { numRuns: 1500 },
    );
    // Another shape, or not a record: not read.
    const other = canonicalJson({ ...JSON.parse(canonicalJson(fc.sample(plainEntry, { numRuns: 1, seed: 3 })[0])), zz: 1 });
    for (const text of [other, '', '{}', '{"error_message":"x"', '{"error_message":"\\u00zz"}']) {
      const src = Buffer.from(text, 'utf8');
      expect(reader.read(src, 0, src.length)).toBe(false);
    }
  });

  it('csvLine matches encode-then-quote for every cell', () => {
    fc.assert(
      fc.property(fc.array(nasty, { maxLength: 25 }), (cells) => {
        expect(csvLine(cells)).toBe(referenceCsvLine(cells));
      }),
      { numRuns: 1000 },
    );
    expect(csvLine([])).toBe('\r\n');
  });

  it('isoFromUnix matches toISOString for any time, in any order', () => {
    const times = fc.oneof(
      fc.integer({ min: 0, max: 253402300800 + 10 }),
      fc.constantFrom(0, 59, 60, 86_399, 86_400, 951_782_400, 253402300799, 253402300800, -1, -86_401, 1.5, 8.64e12),
    );
    fc.assert(fc.property(fc.array(times, { minLength: 1, maxLength: 20 }), (list) => {
      for (const t of list) expect(isoFromUnix(t)).toBe(referenceIso(t));
    }), { numRuns: 500 });
  });
});
