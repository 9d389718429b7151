import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePackage } from '../../../main/core/export/package-writer';
import { generateSigningKey } from '../../../main/core/signing/keys';
import { verifyPackage } from '../../../main/core/verify/verify-package';
import { sampleEntries, sampleMeta } from './fixtures';
import { readEntries, writeEntries, type RawEntry } from './zip-tools';

const dir = mkdtempSync(join(tmpdir(), 'pkg-mut-'));
const pkg = join(dir, 'small.zip');
let entries: RawEntry[] = [];
let zipBytes: Buffer;

beforeAll(async () => {
  await writePackage({ outPath: pkg, records: sampleEntries(6), formats: ['json', 'csv'], meta: sampleMeta, signingKey: generateSigningKey() });
  entries = await readEntries(pkg);
  zipBytes = readFileSync(pkg);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sameContent = (a: RawEntry[], b: RawEntry[]) =>
  a.length === b.length && a.every((e, i) => e.name === b[i].name && e.data.equals(b[i].data));

describe('random mutations (fast-check)', () => {
  it('any change to any file\'s content never verifies and never crashes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
          fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
        ),
        async (which, mutation) => {
          const target = which % entries.length;
          const mutated = entries.map((e, i) => {
            if (i !== target) return e;
            const data = Buffer.from(e.data);
            if (mutation.kind === 'flip') {
              data[mutation.at % data.length] ^= 1 << mutation.bit;
              return { name: e.name, data };
            }
            if (mutation.kind === 'truncate') return { name: e.name, data: data.subarray(0, mutation.at % data.length) };
            return { name: e.name, data: Buffer.concat([data, Buffer.from(mutation.bytes)]) };
          });
          const path = join(dir, `m${run++}.zip`);
          await writeEntries(path, mutated);
          const result = await verifyPackage(path);
          expect(result.ok).toBe(false);
          rmSync(path);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('raw byte damage to the zip never crashes, and verifies only if no file content changed', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }), async (edits) => {
        const bytes = Buffer.from(zipBytes);
        for (const e of edits) bytes[e.at % bytes.length] = e.value;
        const path = join(dir, `r${run++}.zip`);
        writeFileSync(path, bytes);
        const result = await verifyPackage(path);
        expect(typeof result.summary).toBe('string');
        if (result.ok) {
          // Only metadata bytes (times, attributes) changed: the files themselves must be intact.
          expect(sameContent(await readEntries(path), entries)).toBe(true);
        }
        rmSync(path);
      }),
      { numRuns: 80 },
    );
  });
});
