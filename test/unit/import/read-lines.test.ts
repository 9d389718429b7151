import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { readLineBatches } from '../../../main/core/import/read-lines';
import { tempDir } from '../cache/fixtures';

const work = tempDir('ar-read-lines-');
afterAll(() => work.cleanup());

/** What the chunked reader must reproduce: readline, which import used before, line by line. */
async function viaReadline(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

async function viaBatches(path: string): Promise<{ lines: string[]; firstLines: number[]; bytes: number }> {
  const lines: string[] = [];
  const firstLines: number[] = [];
  let bytes = 0;
  for await (const batch of readLineBatches(path)) {
    // Every batch continues where the last one ended.
    expect(batch.firstLine).toBe(lines.length + 1);
    firstLines.push(batch.firstLine);
    lines.push(...batch.lines);
    bytes = batch.bytesRead;
  }
  return { lines, firstLines, bytes };
}

function file(name: string, content: string | Buffer): string {
  const path = join(work.dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readLineBatches', () => {
  const cases: Array<[string, string]> = [
    ['LF with a final break', 'a\nb\n\nc\n'],
    ['no final break', 'a\nb'],
    ['CRLF', 'a\r\nb\r\n\r\nc\r\n'],
    ['lone CR counts as a break, as readline does', 'a\rb\r\nc\n'],
    ['only breaks', '\n\n\r\n'],
    ['empty file', ''],
  ];
  for (const [name, content] of cases) {
    it(`splits like readline: ${name}`, async () => {
      const path = file(`${name.replace(/\W+/g, '-')}.txt`, content);
      const { lines, bytes } = await viaBatches(path);
      expect(lines).toEqual(await viaReadline(path));
      expect(bytes).toBe(Buffer.byteLength(content));
    });
  }

  it('drops a byte-order mark at the start only', async () => {
    const { lines } = await viaBatches(file('bom.txt', '\uFEFFfirst\n\uFEFFsecond\n'));
    expect(lines).toEqual(['first', '\uFEFFsecond']);
  });

  it('keeps lines whole across 1 MiB chunks: long lines, multi-byte characters and CRLF on the boundary', async () => {
    const lines: string[] = [];
    // Sizes chosen so breaks, CRLF pairs and 3- and 4-byte characters land on chunk edges somewhere.
    for (let i = 0, length = 0; length < 3.5 * (1 << 20); i++) {
      lines.push(`${i}:${'€'.repeat(i % 700)}${'x'.repeat((i * 37) % 1500)}😀`);
      length += lines.at(-1)!.length + 2;
    }
    lines.push('y'.repeat(2.5 * (1 << 20))); // longer than a chunk
    lines.push('last');
    const path = file('long.txt', lines.join('\r\n'));
    const got = await viaBatches(path);
    expect(got.firstLines.length).toBeGreaterThan(2);
    expect(got.lines).toEqual(lines);
    expect(got.lines).toEqual(await viaReadline(path));
  });

  it('counts a CRLF cut by the chunk edge as one break, and decodes a character cut by it', async () => {
    const chunk = 1 << 20;
    // Byte chunk-1 is '\r' and byte chunk is '\n'; in the second file a 4-byte emoji starts 2 bytes before the edge.
    const crlf = file('crlf-edge.txt', `${'a'.repeat(chunk - 1)}\r\nnext\r\n`);
    expect((await viaBatches(crlf)).lines).toEqual(['a'.repeat(chunk - 1), 'next']);
    const split = file('char-edge.txt', `${'b'.repeat(chunk - 2)}😀\n${'c'.repeat(10)}\n`);
    expect((await viaBatches(split)).lines).toEqual([`${'b'.repeat(chunk - 2)}😀`, 'c'.repeat(10)]);
  });
});
