import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalEntryText, normalizeEntry } from '../../../main/core/export/canonical-entry';
import { CSV_BOM, csvHeader, csvLine, encodeCell, restoreCell } from '../../../main/core/export/csv-cells';
import { DeflatingFileWriter } from '../../../main/core/export/deflating-file';
import { RECORD_COLUMNS, entryToRow } from '../../../main/core/export/record-columns';
import { CsvRecordsScan } from '../../../main/core/verify/records-scan';

/** Writes entries as records.csv bytes, reads them back as the verifier does, returns canonical texts. */
function csvRoundTrip(raws: Array<Record<string, unknown>>): { error: string | null; texts: string[]; expected: string[] } {
  const entries = raws.map((r, i) => normalizeEntry(r, i));
  const bytes = Buffer.from(CSV_BOM + csvHeader(RECORD_COLUMNS) + entries.map((e) => csvLine(entryToRow(e))).join(''), 'utf8');
  const texts: string[] = [];
  const scan = new CsvRecordsScan((record) => texts.push(canonicalEntryText(record)));
  scan.push(bytes.toString('utf8'));
  scan.end();
  return { error: scan.error, texts, expected: entries.map((e) => canonicalEntryText(e)) };
}

const base = { event_time: 1_764_000_000, event_type: 'UpdateRoute', http_response: { status_code: 200 } };

describe('records.csv round trip is exact', () => {
  it('a lone surrogate (the hostile corpus value "x\\uD800y") survives UTF-8 instead of becoming U+FFFD', () => {
    const r = csvRoundTrip([{ ...base, id: 'lone', error_message: 'x\uD800y', source: '\uDC00', resource_name: '\uDC00\uD800', http_request: { uri: 'x\uD800y', body: { ['k\uD800']: 'x\uD800y' } } }]);
    expect(r.error).toBeNull();
    expect(r.texts).toEqual(r.expected);
    expect(r.texts[0]).toContain('"error_message":"x\\ud800y"');
  });

  it('the escaped cell is an apostrophe plus a JSON string, and cannot be confused with real data', () => {
    expect(encodeCell('x\uD800y')).toBe(`'"x\\ud800y"`);
    expect(encodeCell('👩‍💻')).toBe('👩‍💻');
    // Real data that looks like the escape is neutralized like any apostrophe-led cell.
    expect(encodeCell(`'"x\\ud800y"`)).toBe(`''"x\\ud800y"`);
    expect(restoreCell(encodeCell(`'"x\\ud800y"`))).toBe(`'"x\\ud800y"`);
    expect(encodeCell('"quoted"')).toBe('"quoted"');
    expect(() => restoreCell(`'"not closed`)).toThrow(/JSON string literal/);
    expect(() => restoreCell(`'"1"2`)).toThrow(/JSON string literal/);
  });

  it('every suspect value survives: NUL, CR, CRLF, apostrophes, formulas, -0, 1e308, > 2^53, long strings', () => {
    const suspects = ['a\u0000b', 'a\rb', '\r', 'a\r\nb', '\r\n', "'", "''=1", '=1+1', '\t=1', '-0', '"', '""', ',', '\uFEFFbom', 'x'.repeat(300_000)];
    const raws = suspects.map((s, i) => ({
      ...base, id: `s-${i}`, error_message: s, resource_name: s,
      http_request: { method: s, body: { s, neg: -0, big: 1e308, tiny: 5e-324, int: 2 ** 53 + 2 } },
    }));
    const r = csvRoundTrip(raws);
    expect(r.error).toBeNull();
    expect(r.texts).toEqual(r.expected);
  });

  it('any string, including unpaired surrogates, survives (fast-check)', () => {
    // Lone surrogate halves mixed with ordinary and CSV-special characters.
    const unit = fc.oneof(fc.constantFrom('a', ',', '"', '\r', '\n', "'", '=', '\u0000', '👩'), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
    const anyText = fc.string({ unit, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(anyText, anyText), { minLength: 1, maxLength: 4 }), (pairs) => {
        const r = csvRoundTrip(pairs.map(([a, b], i) => ({ ...base, id: `p-${i}`, error_message: a, resource_name: b, operator: { username: b }, http_request: { uri: a } })));
        expect(r.error).toBeNull();
        expect(r.texts).toEqual(r.expected);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  });

  it('a "__proto__" key in an extra field survives the CSV extra column', () => {
    const raw = JSON.parse('{"id":"p","event_time":1764000000,"event_type":"x","operator":{"__proto__":{"a":1}},"http_request":{"body":{"__proto__":2}}}') as Record<string, unknown>;
    const r = csvRoundTrip([raw]);
    expect(r.error).toBeNull();
    expect(r.texts).toEqual(r.expected);
  });
});

describe('DeflatingFileWriter backpressure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashing-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drain() returns when the stream already drained (it used to wait forever for a missed event)', async () => {
    // The exporter waits on records.json's drain, then records.csv's; the second stream can
    // empty meanwhile, which is exactly this: both blocked, both drained before drain() is called.
    const a = new DeflatingFileWriter(join(dir, 'a.txt'), 1);
    const b = new DeflatingFileWriter(join(dir, 'b.txt'), 1);
    const big = 'z'.repeat(1 << 20);
    expect(a.write(big)).toBe(false);
    expect(b.write(big)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 2_000));
    expect(await Promise.race([Promise.all([a.drain(), b.drain()]).then(() => 'drained'), timeout])).toBe('drained');
    expect((await a.close()).bytes).toBe(big.length);
    expect((await b.close()).bytes).toBe(big.length);
    expect(inflateRawSync(readFileSync(join(dir, 'b.txt'))).toString('utf8')).toBe(big);
  });
});
