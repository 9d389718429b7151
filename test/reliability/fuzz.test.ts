import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../main/core/cache/check';
import { writePackage } from '../../main/core/export/package-writer';
import { importFile, type ImportResult } from '../../main/core/import/import-file';
import { canonicalJson } from '../../main/core/records/canonical';
import { parseAuditEntry } from '../../main/core/records/entry';
import { generateSigningKey } from '../../main/core/signing/keys';
import { verifyPackage } from '../../main/core/verify/verify-package';
import { createTestCache, entry } from '../helpers/temp-cache';
import { sampleEntries, sampleMeta } from '../integration/export/fixtures';
import { readEntries, writeEntries, type RawEntry } from '../integration/export/zip-tools';

// Property tests of the importers, canonical JSON + hash chain and the package verifier.
// Small by default so `npm test` stays fast; `npm run test:fuzz` sets FUZZ_RUNS=2000.
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 15));
const LONG = RUNS > 100 ? 600_000 : 30_000;

const work = mkdtempSync(join(tmpdir(), 'ar-fuzz-'));
const target = createTestCache();
let fileNo = 0;
afterAll(() => {
  target.remove();
  rmSync(work, { recursive: true, force: true });
});

function fileWith(content: string | Uint8Array): string {
  const path = join(work, `in-${fileNo++}`);
  writeFileSync(path, content);
  return path;
}

/** A failure to import must be a reported Error, not a programming error escaping as a crash. */
async function importOutcome(path: string): Promise<{ result: ImportResult } | { error: Error }> {
  try {
    return { result: await importFile({ cache: target.cache, path, skipInvalid: true, now: 1_764_000_000 }) };
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect((error as Error).message.length).toBeGreaterThan(10);
    expect(target.cache.db.inTransaction).toBe(false);
    return { error: error as Error };
  }
}

const countLines = (text: string) => text.split(/\r\n|\r|\n/).length;
const validRecord = (id: string) => ({ id, event_time: 1_764_000_000, event_type: 'UpdateRoute', http_request: { method: 'PUT', body: { a: 1 } }, http_response: { status_code: 200 } });
const line = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), event_time: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), event_type: fc.string({ maxLength: 8 }), http_response: fc.record({ status_code: fc.integer({ min: -5, max: 2000 }) }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.constant(''),
);

describe('importers on random input (fast-check)', () => {
  it('random bytes: the import resolves with line-numbered reasons or rejects with a clear Error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const outcome = await importOutcome(fileWith(bytes));
        if ('error' in outcome) return;
        const { result } = outcome;
        expect(result.imported + result.duplicates + result.invalidCount).toBe(result.records);
        const lines = countLines(Buffer.from(bytes).toString('utf8'));
        for (const bad of result.invalid) {
          expect(bad.reason.length).toBeGreaterThan(0);
          if (result.format === 'ndjson' || result.format === 'csv') {
            expect(bad.line).toBeGreaterThanOrEqual(1);
            expect(bad.line).toBeLessThanOrEqual(lines + 1);
          }
        }
      }),
      { numRuns: RUNS * 2 },
    );
  }, LONG);

  it('random NDJSON: every bad line is reported with its exact line number, every good one imported', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.boolean(), async (rest, crlf) => {
        const prefix = `nd-${run++}`;
        // A first line that is a complete object makes the file NDJSON (see detect-format.ts).
        const lines = [JSON.stringify(validRecord(`${prefix}-first`)), ...rest.map((l, i) => (i % 3 === 0 ? JSON.stringify(validRecord(`${prefix}-${i}`)) : l))];
        const expectedBad: number[] = [];
        let records = 0;
        lines.forEach((text, i) => {
          if (text.trim() === '') return;
          records++;
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch {
            expectedBad.push(i + 1);
            return;
          }
          if (!parseAuditEntry(raw).ok) expectedBad.push(i + 1);
        });
        const outcome = await importOutcome(fileWith(lines.join(crlf ? '\r\n' : '\n')));
        expect('result' in outcome).toBe(true);
        if (!('result' in outcome)) return;
        expect(outcome.result.format).toBe('ndjson');
        expect(outcome.result.records).toBe(records);
        expect(outcome.result.invalid.map((b) => b.line)).toEqual(expectedBad);
        expect(outcome.result.imported + outcome.result.duplicates).toBe(records - expectedBad.length);
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('random CSV rows: wrong column counts and bad values are reported with their line', async () => {
    const cell = fc.oneof(fc.string({ maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, ' ')), fc.constantFrom('1764000000', 'UpdateRoute', '{"a":1}', '', '=1+1'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 10 }), async (rows) => {
        const prefix = `csv-${run++}`;
        const header = ['id', 'event_time', 'event_type', 'operator_username', 'request_body'];
        const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
        const body = rows.map((cells, i) => (i % 2 === 0 ? [`${prefix}-${i}`, '1764000000', 'UpdateRoute', cells[0]!, '{}'] : cells));
        const text = [header, ...body].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
        const outcome = await importOutcome(fileWith(text));
        expect('result' in outcome).toBe(true);
        if (!('result' in outcome)) return;
        const { result } = outcome;
        expect(result.format).toBe('csv');
        expect(result.records).toBe(body.length);
        // Rows with the full column count and good values are line 2.. in order; others are named.
        const badLines = result.invalid.map((b) => b.line);
        body.forEach((cells, i) => {
          if (cells.length !== header.length) expect(badLines, `row on line ${i + 2} has ${cells.length} columns`).toContain(i + 2);
        });
        for (const l of badLines) expect(l).toBeGreaterThanOrEqual(2);
        for (const l of badLines) expect(l).toBeLessThanOrEqual(body.length + 1);
        for (let i = 0; i < body.length; i += 2) expect(badLines).not.toContain(i + 2);
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

/** The same JSON value with every object's keys in reverse insertion order. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) Object.defineProperty(out, key, { value: reorder((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('canonical JSON and the hash chain (fast-check)', () => {
  it('canonical JSON ignores key order and is a fixed point of parse∘canonical', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reorder(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: RUNS * 20 },
    );
  });

  it('an intact chain verifies; any single change to a stored record or link breaks it', () => {
    const chain = createTestCache(Array.from({ length: 8 }, (_, i) => entry({ id: `chain-${i}`, event_time: 1_764_000_000 + i })));
    try {
      const db = chain.cache.db;
      expect(verifyChain(db)).toEqual({ records: 8 });
      const change = fc.record({
        seq: fc.integer({ min: 1, max: 8 }),
        kind: fc.constantFrom('canonical', 'sha256', 'prev_hash', 'chain_hash', 'delete', 'swap'),
        at: fc.nat(),
        other: fc.integer({ min: 1, max: 8 }),
      });
      fc.assert(
        fc.property(change, ({ seq, kind, at, other }) => {
          db.exec('SAVEPOINT fuzz; DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;');
          try {
            const row = db.prepare('SELECT canonical, sha256, prev_hash, chain_hash FROM records WHERE seq = ?').get(seq) as Record<string, string>;
            if (kind === 'delete') {
              db.prepare('DELETE FROM records WHERE seq = ?').run(seq);
            } else if (kind === 'swap') {
              if (other === seq) return;
              const b = db.prepare('SELECT canonical, sha256, prev_hash, chain_hash FROM records WHERE seq = ?').get(other) as Record<string, string>;
              const put = db.prepare('UPDATE records SET canonical = ?, sha256 = ?, prev_hash = ?, chain_hash = ? WHERE seq = ?');
              put.run(b.canonical, b.sha256, b.prev_hash, b.chain_hash, seq);
              put.run(row.canonical, row.sha256, row.prev_hash, row.chain_hash, other);
            } else {
              const value = row[kind]!;
              const i = at % value.length;
              // One character changed to a different one of the same kind (hex stays hex).
              const replacement = value[i] === '0' ? '1' : '0';
              db.prepare(`UPDATE records SET ${kind} = ? WHERE seq = ?`).run(value.slice(0, i) + replacement + value.slice(i + 1), seq);
            }
            const result = verifyChain(db);
            expect(result.firstBroken, `${kind} of seq ${seq} changed unnoticed`).toBeDefined();
          } finally {
            db.exec('ROLLBACK TO fuzz; RELEASE fuzz;');
          }
        }),
        { numRuns: RUNS * 4 },
      );
      expect(verifyChain(db)).toEqual({ records: 8 });
    } finally {
      chain.remove();
    }
  });
});

// Byte flips, truncation and raw zip damage are in test/integration/export/mutations.test.ts;
// here: whole random zips, and structural changes (files dropped, added, renamed, records
// reordered or duplicated) that keep every zip well formed.
describe('package verifier on random and restructured packages (fast-check)', () => {
  const pkg = join(work, 'valid.zip');
  let entries: RawEntry[] = [];
  beforeAll(async () => {
    await writePackage({ outPath: pkg, records: sampleEntries(5), formats: ['json', 'csv'], meta: sampleMeta, signingKey: generateSigningKey() });
    entries = await readEntries(pkg);
  });

  it('random zips of random files never verify and never throw', async () => {
    // Names yazl refuses to write (absolute, drive letters, '..') are covered by the crafted zips in package.test.ts.
    const writable = (n: string) => !n.startsWith('/') && !/^[A-Za-z]:/.test(n) && !n.includes('\\') && !n.split('/').includes('..') && !n.endsWith('/');
    const name = fc.oneof(fc.constantFrom('manifest.json', 'manifest.sig', 'records.json', 'records.csv', 'signer.pub.pem', 'a/b'), fc.string({ minLength: 1, maxLength: 12 }).filter(writable));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name, data: fc.uint8Array({ maxLength: 200 }) }), { maxLength: 5 }), async (files) => {
        const path = join(work, `rand-${fileNo++}.zip`);
        await writeEntries(path, files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })));
        const result = await verifyPackage(path);
        expect(result.ok).toBe(false);
        expect(result.checks.some((c) => !c.ok)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('dropping, duplicating, renaming or reordering files or records never verifies', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.constantFrom('records.json', 'records.csv', 'extra.txt', 'manifest.json') }),
      fc.record({ kind: fc.constant('recordLines' as const), a: fc.nat(), b: fc.nat(), op: fc.constantFrom('swap', 'repeat', 'remove') }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let mutated = entries.map((e) => ({ ...e }));
        const pick = (n: number) => n % mutated.length;
        if (m.kind === 'drop') mutated.splice(pick(m.at), 1);
        else if (m.kind === 'duplicate') mutated.push({ ...mutated[pick(m.at)]! });
        else if (m.kind === 'rename') {
          const i = pick(m.at);
          if (mutated[i]!.name === m.to) return;
          mutated[i] = { ...mutated[i]!, name: m.to };
        } else {
          const target = m.a % 2 === 0 ? 'records.json' : 'records.csv';
          const file = mutated.find((e) => e.name === target)!;
          const lines = file.data.toString('utf8').split('\n');
          // Record lines only: records.json's '[' / ']' and records.csv's header stay in place.
          const first = 1;
          const last = lines.length - (target === 'records.json' ? 3 : 2);
          const i = first + (m.a % (last - first + 1));
          const j = first + (m.b % (last - first + 1));
          if (m.op === 'swap') {
            if (lines[i] === lines[j]) return;
            [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          } else if (m.op === 'repeat') lines.splice(i, 0, lines[i]!);
          else lines.splice(i, 1);
          mutated = mutated.map((e) => (e === file ? { name: e.name, data: Buffer.from(lines.join('\n')) } : e));
        }
        const path = join(work, `mut-${fileNo++}.zip`);
        await writeEntries(path, mutated);
        const result = await verifyPackage(path);
        expect(result.ok, JSON.stringify(m)).toBe(false);
      }),
      { numRuns: RUNS * 2 },
    );
  }, LONG);
});
