import { open } from 'node:fs/promises';

/** Consecutive lines of a file: `lines[i]` is line `firstLine + i` (1-based), without its break. */
export interface LineBatch {
  firstLine: number;
  lines: string[];
  /** Bytes of the file read so far (for progress). */
  bytesRead: number;
}

/** Large reads: readline's per-line events cost more than parsing the JSON on each line. */
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Streams a text file as batches of lines (one batch per chunk read), so memory stays bounded by
 * the chunk plus the longest line. Line breaks are `\n`, `\r\n` or a lone `\r`, as readline counts
 * them, so the line numbers in error reports match what editors show. A chunk is decoded only up to
 * its last `\n` byte, which never occurs inside a multi-byte UTF-8 character.
 */
export async function* readLineBatches(path: string): AsyncGenerator<LineBatch> {
  const handle = await open(path, 'r');
  try {
    // Bytes after the last line break seen so far (a line not yet complete).
    let pending: Buffer[] = [];
    let bytesRead = 0;
    let nextLine = 1;
    const toBatch = (text: string): LineBatch => {
      // The common case has no `\r` at all; only then is the slower regular-expression split needed.
      const lines = text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
      // Text ending in a break splits into one empty string too many.
      if (lines.length > 1 && lines.at(-1) === '') lines.pop();
      if (nextLine === 1 && lines[0]!.charCodeAt(0) === 0xfeff) lines[0] = lines[0]!.slice(1);
      const batch = { firstLine: nextLine, lines, bytesRead };
      nextLine += lines.length;
      return batch;
    };
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead: n } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      bytesRead += n;
      const data = chunk.subarray(0, n);
      const lastBreak = data.lastIndexOf(NEWLINE);
      if (lastBreak === -1) {
        pending.push(data);
        continue;
      }
      // Up to and including the break, so a `\r\n` is never cut in two.
      const complete = pending.length > 0 ? Buffer.concat([...pending, data.subarray(0, lastBreak + 1)]) : data.subarray(0, lastBreak + 1);
      pending = lastBreak + 1 < n ? [data.subarray(lastBreak + 1)] : [];
      yield toBatch(complete.toString('utf8'));
    }
    // The last line has no break after it (or the file ends with one and nothing is left).
    if (pending.length > 0) yield toBatch(Buffer.concat(pending).toString('utf8'));
  } finally {
    await handle.close();
  }
}
