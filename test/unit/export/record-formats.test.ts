import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/records/canonical';
import { auditEntrySchema, type AuditEntry } from '../../../main/core/records/entry';
import { canonicalEntryText, normalizeEntry } from '../../../main/core/export/canonical-entry';
import { csvLine, neutralizeCell, restoreCell } from '../../../main/core/export/csv-cells';
import { entryToRow, rowToEntry } from '../../../main/core/export/record-columns';
import { CsvRowParser } from '../../../main/core/verify/csv-rows';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const nastyText = fc.oneof(text, fc.constantFrom('=1+1', '+x', '-3', '@a', '\tt', '\rr', "'q", 'a,b', 'a"b', 'l\r\nm', ''));
const json = fc.jsonValue({ maxDepth: 3 });
const rawEntry = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer()),
    event_time: fc.integer({ min: 0, max: 32503680000 }),
    operator: fc.oneof(fc.constant(null), fc.record({ id: nastyText, username: nastyText, email: text, first_name: text, last_name: text, role: text }, { requiredKeys: ['id'] })),
    source: nastyText,
    event_type: nastyText,
    ip_address: nastyText,
    http_request: fc.record({ method: text, uri: nastyText, body: json, user_agent: text, extra: json }, { requiredKeys: [] }),
    http_response: fc.record({ status_code: fc.integer({ min: 0, max: 999 }), body: json }, { requiredKeys: ['status_code'] }),
    custom_field: json,
  },
  { requiredKeys: ['id', 'event_time', 'event_type'] },
);

describe('one record, every format', () => {
  it('the fast canonical text is byte-identical to canonicalJson', () => {
    fc.assert(
      fc.property(rawEntry, (raw) => {
        const entry = normalizeEntry(raw as never, 0);
        expect(canonicalEntryText(entry)).toBe(canonicalJson(entry));
        expect(canonicalEntryText(auditEntrySchema.parse(raw))).toBe(canonicalJson(auditEntrySchema.parse(raw)));
      }),
      { numRuns: 300 },
    );
  });

  it('CSV row → parse → restore → entry gives back the exact canonical record', () => {
    fc.assert(
      fc.property(fc.array(rawEntry, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 50 }), (raws, chunk) => {
        const entries = raws.map((r, i) => normalizeEntry(r as never, i));
        const csv = entries.map((e) => csvLine(entryToRow(e))).join('');
        const rows: string[][] = [];
        const parser = new CsvRowParser((cells) => rows.push(cells));
        for (let i = 0; i < csv.length; i += chunk) parser.push(csv.slice(i, i + chunk));
        parser.end();
        expect(rows).toHaveLength(entries.length);
        rows.forEach((cells, i) => {
          for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
          const back = rowToEntry(cells.map(restoreCell));
          expect(back.ok).toBe(true);
          if (back.ok) expect(canonicalEntryText(back.entry)).toBe(canonicalJson(entries[i]));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('neutralization is reversible and only touches dangerous starts', () => {
    expect(neutralizeCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutralizeCell('hello')).toBe('hello');
    fc.assert(fc.property(nastyText, (s) => {
      expect(restoreCell(neutralizeCell(s))).toBe(s);
    }));
  });

  it('the CSV parser rejects malformed rows instead of guessing', () => {
    const parse = (s: string) => {
      const p = new CsvRowParser(() => undefined);
      p.push(s);
      p.end();
    };
    expect(() => parse('"open,1\r\n')).toThrow(/never closed/);
    expect(() => parse('a"b,c\r\n')).toThrow(/quote inside/);
    expect(() => parse('"a"b,c\r\n')).toThrow(/after a closing quote/);
    expect(() => new CsvRowParser(() => undefined, 10).push('x'.repeat(20))).toThrow(/longer than/);
  });

  it('an invalid entry is refused with the record position', () => {
    expect(() => normalizeEntry({ event_time: 1 } as unknown as AuditEntry, 4)).toThrow(/record #5/);
  });
});
