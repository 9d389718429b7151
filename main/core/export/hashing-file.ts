import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** Writes a whole small file (text as UTF-8) and returns its size and hash. */
export async function writeSmallFile(path: string, content: string | Buffer): Promise<WrittenFile> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  await writeFile(path, bytes, { flag: 'wx' });
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A file's size and SHA-256, with the CRC-32 its zip entry needs. */
export interface HashedFile extends WrittenFile {
  crc32: number;
}

/** Size, hash and CRC-32 of a file written by someone else (exceljs). */
export async function hashFile(path: string): Promise<HashedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  let crc = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    crc = crc32(chunk as Buffer, crc);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex'), crc32: crc >>> 0 };
}
