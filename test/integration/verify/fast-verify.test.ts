import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writePackage } from '../../../main/core/export/package-writer';
import { parseAuditEntry, type AuditEntry } from '../../../main/core/records/entry';
import { generateSigningKey } from '../../../main/core/signing/keys';
import { signBytes } from '../../../main/core/signing/signature';
import { FastRecordsCheck } from '../../../main/core/verify/fast-records';
import { verifyPackage, type VerifyOptions } from '../../../main/core/verify/verify-package';
import { hostileRecords } from '../../fixtures/hostile/corpus';
import { makeTempDir } from '../../helpers/temp-cache';
import { sampleEntries, sampleMeta } from '../export/fixtures';
import { readEntries, writeEntries, type RawEntry } from '../export/zip-tools';

// The fast route (records hashed from their bytes, on threads) must give exactly the verdict and
// the words of the thorough route, on good packages and on every kind of tampering. Packages
// here are small, so the fast route is forced on (it normally starts at 8 MiB of records).
const FAST_HERE: VerifyOptions = { records: { fastFromBytes: 0, threads: 0 } };
const FAST_THREADS: VerifyOptions = { records: { fastFromBytes: 0, threads: 2 } };
const THOROUGH: VerifyOptions = { records: { thoroughOnly: true } };

const temp = makeTempDir();
const key = generateSigningKey();
const pkg = join(temp.dir, 'package.zip');
let original: RawEntry[] = [];

/** The sample entries plus the hostile corpus (lone surrogates, NUL, formulas, a 1 MB field). */
function records(): AuditEntry[] {
  const hostile = hostileRecords().map((r) => parseAuditEntry(r)).flatMap((p) => (p.ok ? [p.entry] : []));
  return [...sampleEntries(150), ...hostile];
}

beforeAll(async () => {
  await writePackage({ outPath: pkg, records: records(), formats: ['json', 'csv'], meta: sampleMeta, signingKey: key });
  original = await readEntries(pkg);
}, 60_000);
afterAll(() => temp.remove());

const get = (name: string) => original.find((e) => e.name === name)!.data;
let variants = 0;
async function variant(change: (files: RawEntry[]) => RawEntry[]): Promise<string> {
  const path = join(temp.dir, `v${variants++}.zip`);
  await writeEntries(path, change(original.map((e) => ({ name: e.name, data: Buffer.from(e.data) }))));
  return path;
}
const replace = (name: string, data: Buffer) => (files: RawEntry[]) => files.map((e) => (e.name === name ? { name, data } : e));

/** Replaces a records file and re-signs the manifest with its new hash (an insider's forgery). */
function resigned(name: string, data: Buffer) {
  return (files: RawEntry[]) => {
    const manifest = JSON.parse(get('manifest.json').toString());
    const listed = manifest.files.find((f: { path: string }) => f.path === name);
    listed.bytes = data.length;
    listed.sha256 = createHash('sha256').update(data).digest('hex');
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    return replace('manifest.json', bytes)(replace('manifest.sig', signBytes(key.privatePem, bytes))(replace(name, data)(files)));
  };
}

async function expectSameVerdict(path: string) {
  const thorough = await verifyPackage(path, THOROUGH);
  expect(await verifyPackage(path, FAST_HERE)).toEqual(thorough);
  return thorough;
}

describe('fast and thorough verification agree', () => {
  it('on the untouched package, and the fast route decides it (no second, thorough pass)', async () => {
    const outcome = vi.spyOn(FastRecordsCheck.prototype, 'outcome');
    try {
      const fast = await verifyPackage(pkg, FAST_HERE);
      expect(fast.ok).toBe(true);
      expect(outcome).toHaveBeenCalledTimes(2); // records.json and records.csv
      for (const result of outcome.mock.results) expect(await result.value).toMatchObject({ sure: true, count: records().length });
      expect(fast).toEqual(await verifyPackage(pkg, THOROUGH));
      expect(await verifyPackage(pkg, FAST_THREADS)).toEqual(fast);
    } finally {
      outcome.mockRestore();
    }
  }, 60_000);

  const csvRows = () => get('records.csv').toString('utf8').split('\r\n');
  const jsonLines = () => get('records.json').toString('utf8').split('\n');

  it.each([
    ['a byte flipped in records.csv', () => {
      const data = Buffer.from(get('records.csv'));
      data[Math.floor(data.length / 3)] ^= 0x04;
      return replace('records.csv', data);
    }],
    ['a byte flipped in records.json', () => {
      const data = Buffer.from(get('records.json'));
      data[Math.floor(data.length / 3)] ^= 0x04;
      return replace('records.json', data);
    }],
    ['CSV rows swapped, re-signed', () => {
      const rows = csvRows();
      [rows[5], rows[6]] = [rows[6]!, rows[5]!];
      return resigned('records.csv', Buffer.from(rows.join('\r\n')));
    }],
    ['a CSV cell edited, re-signed', () => resigned('records.csv', Buffer.from(get('records.csv').toString('utf8').replace('rec-000007', 'rec-000777')))],
    ['a CSV body made non-canonical, re-signed', () => resigned('records.csv', Buffer.from(get('records.csv').toString('utf8').replace('{""a"":[1,2,{""z"":null}]}', '{""a"": [1,2,{""z"":null}]}')))],
    ['a CSV row removed, re-signed', () => {
      const rows = csvRows();
      rows.splice(10, 1);
      return resigned('records.csv', Buffer.from(rows.join('\r\n')));
    }],
    ['records.csv without its last line break, re-signed', () => resigned('records.csv', get('records.csv').subarray(0, -2))],
    ['a JSON line re-spaced, re-signed', () => {
      const lines = jsonLines();
      lines[3] = lines[3]!.replace('":', '": ');
      return resigned('records.json', Buffer.from(lines.join('\n')));
    }],
    ['JSON lines reordered, re-signed', () => {
      const lines = jsonLines();
      [lines[4], lines[5]] = [lines[5]!, lines[4]!];
      return resigned('records.json', Buffer.from(lines.join('\n')));
    }],
    ['the JSON array left open, re-signed', () => resigned('records.json', Buffer.from(jsonLines().slice(0, -2).join('\n') + '\n'))],
    ['invalid UTF-8 in records.json, re-signed', () => resigned('records.json', Buffer.from(get('records.json').toString('latin1').replace('rec-000002', 'rec-\xff00002'), 'latin1'))],
  ])('on %s', async (_label, change) => {
    const result = await expectSameVerdict(await variant(change()));
    expect(result.ok).toBe(false);
  }, 60_000);

  it('on a zip damaged in its deflate data', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(pkg);
    const at = bytes.indexOf(Buffer.from('records.csv')) + 200;
    for (let i = 0; i < 16; i++) bytes[at + i] ^= 0x5a;
    const path = join(temp.dir, 'damaged.zip');
    writeFileSync(path, bytes);
    const result = await expectSameVerdict(path);
    expect(result.ok).toBe(false);
  }, 60_000);
});
