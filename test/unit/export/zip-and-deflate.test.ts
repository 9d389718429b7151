import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DeflatingFileWriter } from '../../../main/core/export/deflating-file';
import { writeZip, type ZipInput } from '../../../main/core/export/zip-writer';
import { readZip } from '../../../main/core/verify/zip-reader';
import { readEntries } from '../../integration/export/zip-tools';

const dir = mkdtempSync(join(tmpdir(), 'export-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Strings of every width: ASCII, two- and three-byte UTF-8, surrogate pairs, and one bigger than a batch. */
function pieces(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 5000; i++) out.push(`line ${i}, é ✓ 😀 ${'x'.repeat(i % 97)}\r\n`);
  out.push('y'.repeat(3000), '', 'ü'.repeat(1500));
  return out;
}

async function deflated(name: string, texts: string[], batchBytes?: number) {
  const path = join(dir, name);
  const writer = new DeflatingFileWriter(path, batchBytes);
  for (const t of texts) if (!writer.write(t)) await writer.drain();
  return { path, file: await writer.close() };
}

describe('DeflatingFileWriter', () => {
  it('stores exactly the UTF-8 of what was written, and reports its size, SHA-256 and CRC-32', async () => {
    const texts = pieces();
    const expected = Buffer.from(texts.join(''), 'utf8');
    for (const batch of [1024, 4096, undefined]) {
      const { path, file } = await deflated(`d-${batch ?? 'default'}.bin`, texts, batch);
      const stored = readFileSync(path);
      expect(inflateRawSync(stored).equals(expected)).toBe(true);
      expect(file.bytes).toBe(expected.length);
      expect(file.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
      expect(file.crc32).toBe(crc32(expected));
      expect(file.compressedBytes).toBe(stored.length);
    }
  });
});

describe('writeZip', () => {
  async function build(name: string, forceZip64: boolean) {
    const texts = pieces();
    const big = await deflated(`${name}-big.bin`, texts);
    const smallPath = join(dir, `${name}-small.txt`);
    writeFileSync(smallPath, '{"a":1}\n');
    const storedPath = join(dir, `${name}-stored.bin`);
    const storedBytes = Buffer.from('PK already compressed, say');
    writeFileSync(storedPath, storedBytes);
    const inputs: ZipInput[] = [
      { kind: 'small', name: 'manifest.json', path: smallPath },
      { kind: 'deflated', name: 'records.csv', path: big.path, crc32: big.file.crc32, compressedBytes: big.file.compressedBytes, uncompressedBytes: big.file.bytes },
      { kind: 'stored', name: 'records.xlsx', path: storedPath, crc32: crc32(storedBytes), bytes: storedBytes.length },
    ];
    const zipPath = join(dir, `${name}.zip`);
    const progress: number[] = [];
    await writeZip(zipPath, inputs, new Date(Date.UTC(2025, 10, 25, 9, 0, 0)), { forceZip64, onBytes: (done) => progress.push(done) });
    return { zipPath, expected: new Map([['manifest.json', readFileSync(smallPath)], ['records.csv', Buffer.from(texts.join(''), 'utf8')], ['records.xlsx', storedBytes]]), progress };
  }

  for (const forceZip64 of [false, true]) {
    it(`writes entries a standard reader extracts byte for byte, in order${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const { zipPath, expected, progress } = await build(forceZip64 ? 'z64' : 'plain', forceZip64);
      const entries = await readEntries(zipPath);
      expect(entries.map((e) => e.name)).toEqual([...expected.keys()]);
      for (const e of entries) expect(e.data.equals(expected.get(e.name)!)).toBe(true);
      // The verifier's reader (sizes validated, names checked) accepts it without a problem.
      const result = await readZip(zipPath, () => ({ push: () => undefined, end: () => undefined }));
      expect(result).toEqual({ readable: true, names: [...expected.keys()], problems: [] });
      expect(progress.at(-1)).toBeGreaterThan(0);
    });
  }

  it('refuses to overwrite and leaves nothing behind when an input is missing', async () => {
    const zipPath = join(dir, 'missing.zip');
    await expect(writeZip(zipPath, [{ kind: 'small', name: 'a', path: join(dir, 'nope') }], new Date())).rejects.toThrow();
    writeFileSync(join(dir, 'taken.zip'), 'x');
    await expect(writeZip(join(dir, 'taken.zip'), [], new Date())).rejects.toThrow();
    expect(statSync(join(dir, 'taken.zip')).size).toBe(1);
  });
});
