import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText, normalizeEntry } from '../../../main/core/export/canonical-entry';
import { CSV_BOM, csvHeader, csvLine, restoreCell } from '../../../main/core/export/csv-cells';
import { RECORD_COLUMNS, entryToRow, rowToEntry } from '../../../main/core/export/record-columns';
import { canonicalJson } from '../../../main/core/records/canonical';
import type { AuditEntry } from '../../../main/core/records/entry';
import { BatchPool } from '../../../main/core/verify/batch-pool';
import { isCanonicalJson } from '../../../main/core/verify/canonical-check';
import { CsvLeafHasher } from '../../../main/core/verify/csv-leaf-text';
import { CsvRowFields } from '../../../main/core/verify/csv-row-bytes';
import { FastRecordsCheck } from '../../../main/core/verify/fast-records';
import { scanConsumer, scanFor } from '../../../main/core/verify/records-scan';
import { sampleEntries } from '../../integration/export/fixtures';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const bytes = (text: string) => Buffer.from(text, 'utf8');

/** What the thorough scan hashes for one CSV row (the reference the fast route must match). */
const thoroughCsvLeaf = (cells: string[]) => {
  let restored: string[];
  try {
    restored = cells.map(restoreCell);
  } catch {
    return null; // the thorough scan reports such a row as malformed
  }
  const parsed = rowToEntry(restored);
  if (!parsed.ok) return null;
  return createHash('sha256').update(`\u0000${canonicalEntryText(parsed.entry)}`).digest('binary');
};

/** Strings that stress every escape: quotes, commas, line breaks, controls, backslashes, non-ASCII, lone surrogates. */
const awkwardText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '""', ',', '\r\n', '\n', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', 'x\udc00y', "'", "'\"x\"", '=1+1', '-5', 'ünïcødé ✓', '👩‍💻'),
);

/** Entries like the gateway's, with awkward strings, bodies and sometimes extra keys. */
const entryArb = fc
  .record({
    id: awkwardText,
    event_time: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.constantFrom(0, 32503680000, 32503680001, 951782400 /* 29 Feb */)),
    event_type: awkwardText,
    text: awkwardText,
    status: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constant(200)),
    requestBody: fc.option(fc.jsonValue(), { nil: undefined }),
    responseBody: fc.option(fc.oneof(fc.jsonValue(), fc.constant({})), { nil: undefined }),
    extra: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
  })
  .map(({ id, event_time, event_type, text, status, requestBody, responseBody, extra }) => {
    const entry: Record<string, unknown> = {
      ...(extra ?? {}),
      id,
      event_time,
      event_type,
      source: text,
      token_name: '',
      operator: { id: 'u-1', username: text, email: 'a@b', first_name: text, last_name: '' },
      resource_id: 'r-1',
      resource_name: text,
      gateway_group_id: 'default',
      ip_address: '10.0.0.1',
      error_message: text,
      http_request: { method: 'PUT', uri: `/r/${text}`, user_agent: 'ua', ...(requestBody === undefined ? {} : { body: requestBody }) },
      http_response: { status_code: status, ...(responseBody === undefined ? {} : { body: responseBody }) },
    };
    return entry;
  });

describe('canonical JSON check', () => {
  it('says "canonical" only for text that canonicalJson(JSON.parse(text)) reproduces', () => {
    const texts = fc.oneof(
      fc.jsonValue().map((v) => canonicalJson(v)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
      fc.string(),
      fc.constantFrom('{"b":1,"a":2}', '{"a":1,"a":2}', '{"1":1,"a":2}', '-0', '1.0', '1e5', '"\\/"', '"\\u0041"', '"\\u001F"', '"\\u001f"', '"\\ud800"', '{"a":[1,2,{"b":null}]}', '""', '[]', '{}', 'true', 'nul'),
    );
    fc.assert(
      fc.property(texts, (text) => {
        if (!isCanonicalJson(bytes(text), 0, bytes(text).length)) return;
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('recognizes the canonical text of ordinary bodies (else the fast route would gain nothing)', () => {
    for (const v of [{}, { hosts: ['a.example'], name: 'x', upstream: { nodes: [{ host: 'h', port: 8080, weight: 100 }] } }, [1, -2, 0.5, 'é', null, true], 'x"\\\n\u0001']) {
      const text = canonicalJson(v);
      expect(isCanonicalJson(bytes(text), 0, bytes(text).length), text).toBe(true);
    }
    for (const text of ['{"b":1,"a":2}', '{"10":1,"9":2}', '{"a":1,"a":1}', ' {}', '{"a" :1}', '-0', '1.50', '"\\/"', '"\\u0041"']) {
      expect(isCanonicalJson(bytes(text), 0, bytes(text).length), text).toBe(false);
    }
  });
});

describe('records.csv rows hashed from their bytes', () => {
  const leafOf = (line: string) => {
    const b = bytes(line);
    const fields = new CsvRowFields();
    const end = fields.read(b, 0, b.length);
    expect(end).toBe(b.length);
    return { fast: new CsvLeafHasher().digest(b, fields), thorough: thoroughCsvLeaf(fields.texts(b)) };
  };

  it('gives the thorough scan\'s leaf for every row the exporter writes', () => {
    fc.assert(
      fc.property(entryArb, (raw) => {
        let entry: AuditEntry;
        try {
          entry = normalizeEntry(raw, 0);
        } catch {
          return; // not exportable, so never in a package
        }
        const { fast, thorough } = leafOf(csvLine(entryToRow(entry)));
        expect(thorough).not.toBeNull();
        expect(fast).toBe(thorough);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the thorough leaf, or a refusal the thorough scan shares, for edited rows', () => {
    const base = csvLine(entryToRow(normalizeEntry(sampleEntries(3)[1], 0)));
    const edits = fc.tuple(fc.nat(base.length - 3), fc.constantFrom('', '0', '9', '"', "'", '\\', ' ', '{', '}', ',', 'é', '\u0001', '2025-02-30T10:00:00Z', '24'));
    fc.assert(
      fc.property(edits, ([at, insert]) => {
        const line = base.slice(0, at) + insert + base.slice(at + 1);
        const b = bytes(line);
        const fields = new CsvRowFields();
        if (fields.read(b, 0, b.length) !== b.length) return; // not a row of 22 fields: the fast reader leaves it
        const hasher = new CsvLeafHasher();
        const fast = hasher.digest(b, fields);
        expect(fast).toBe(thoroughCsvLeaf(fields.texts(b)));
      }),
      { numRuns: RUNS },
    );
  });

  it('computes event times from the hour as Date.parse does, including the odd dates it accepts', () => {
    const hasher = new CsvLeafHasher();
    const row = (time: string) => csvLine(entryToRow(normalizeEntry(sampleEntries(1)[0], 0))).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, time);
    for (const time of ['2025-02-30T10:00:00Z', '2025-02-30T10:05:07Z', '2025-01-01T24:00:00Z', '2025-01-01T24:00:01Z', '2025-01-01T23:59:59Z', '2025-01-01T23:60:00Z']) {
      const b = bytes(row(time));
      const fields = new CsvRowFields();
      expect(fields.read(b, 0, b.length)).toBe(b.length);
      expect(hasher.digest(b, fields), time).toBe(thoroughCsvLeaf(fields.texts(b)));
    }
  });
});

/** Feeds a file to the fast route in chunks of `chunk` bytes with batches of `batch` bytes. */
async function fastOutcome(kind: 'csv' | 'json', file: Buffer, chunk: number, batch: number, pool: BatchPool) {
  const check = new FastRecordsCheck(kind, pool, 2, batch);
  for (let at = 0; at < file.length; at += chunk) await check.push(file.subarray(at, at + chunk));
  check.end();
  return check.outcome();
}

function thoroughOutcome(name: string, file: Buffer) {
  const scan = scanFor(name)!;
  const feed = scanConsumer(scan);
  feed.push(file);
  feed.end();
  return scan.error === null ? { count: scan.builder.leafCount, root: scan.builder.root().toString('hex') } : null;
}

describe('a records file through the fast route', () => {
  const entries = sampleEntries(60).map((e, i) => normalizeEntry(e, i));
  const csv = Buffer.from(CSV_BOM + csvHeader(RECORD_COLUMNS) + entries.map((e) => csvLine(entryToRow(e))).join(''));
  const json = Buffer.from(`[\n${entries.map((e) => canonicalEntryText(e)).join(',\n')}\n]\n`);
  const pool = new BatchPool(0);

  it('matches the thorough scan however the bytes are chunked and batched (rows with line breaks cut across batches)', async () => {
    expect(csv.toString()).toContain('line\nbreak');
    for (const [kind, name, file] of [['csv', 'records.csv', csv], ['json', 'records.json', json]] as const) {
      const expected = thoroughOutcome(name, file);
      expect(expected).not.toBeNull();
      for (const [chunk, batch] of [[1 << 20, 1 << 20], [7, 64], [333, 200], [64, 1000]]) {
        expect(await fastOutcome(kind, file, chunk, batch, pool), `${name} ${chunk}/${batch}`).toEqual({ sure: true, ...expected! });
      }
    }
  });

  it('is never sure of something the thorough scan disagrees with, whatever the damage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('csv', 'json'), fc.nat(), fc.nat(255), fc.constantFrom('set', 'delete', 'insert'), async (kind, at, value, how) => {
        const original = kind === 'csv' ? csv : json;
        const i = at % original.length;
        const file =
          how === 'set'
            ? Buffer.concat([original.subarray(0, i), Buffer.from([value]), original.subarray(i + 1)])
            : how === 'delete'
              ? Buffer.concat([original.subarray(0, i), original.subarray(i + 1)])
              : Buffer.concat([original.subarray(0, i), Buffer.from([value]), original.subarray(i)]);
        const outcome = await fastOutcome(kind, file, 97, 256, pool);
        if (!outcome.sure) return;
        expect(outcome).toEqual({ sure: true, ...thoroughOutcome(kind === 'csv' ? 'records.csv' : 'records.json', file)! });
      }),
      { numRuns: RUNS },
    );
  });

  it('hashing threads give the same outcome as this thread', async () => {
    const threads = new BatchPool(2);
    try {
      expect(await fastOutcome('csv', csv, 4096, 1024, threads)).toEqual(await fastOutcome('csv', csv, 4096, 1024, pool));
      expect(await fastOutcome('json', json, 4096, 1024, threads)).toEqual(await fastOutcome('json', json, 4096, 1024, pool));
    } finally {
      await threads.close();
    }
  }, 60_000);
});
