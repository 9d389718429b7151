import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * What goes into the package zip, by how its bytes reach it:
 *  - small: a small file on disk, deflated in memory here;
 *  - deflated: a large data file already compressed to raw DEFLATE while it was produced, copied as is;
 *  - stored: a file that is compressed already (records.xlsx is itself a zip), copied uncompressed.
 */
export type ZipInput =
  | { kind: 'small'; name: string; path: string }
  | { kind: 'deflated'; name: string; path: string; crc32: number; compressedBytes: number; uncompressedBytes: number }
  | { kind: 'stored'; name: string; path: string; crc32: number; bytes: number };

export interface ZipWriteOptions {
  signal?: AbortSignal;
  /** Bytes of large files copied so far, of their total. */
  onBytes?(done: number, total: number): void;
  /** Tests only: write ZIP64 records even for a small archive, to exercise that path. */
  forceZip64?: boolean;
}

const STORE = 0;
const DEFLATE = 8;
const UTF8_NAMES = 1 << 11;
const VERSION_MADE_BY_UNIX = (3 << 8) | 63;
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
const FILE_MODE = 0o100644;
const MAX32 = 0xffffffff;
const COPY_CHUNK = 1 << 20;

interface Placed {
  name: Buffer;
  method: number;
  crc32: number;
  compressedBytes: number;
  uncompressedBytes: number;
  offset: number;
  zip64: boolean;
}

/**
 * Writes a zip at `zipPath` (created new; it must not exist), entries in input order. Sizes and
 * CRCs are known before each entry is written, so no data descriptors are needed; ZIP64 records are
 * used only when a size or offset does not fit in 32 bits.
 */
export async function writeZip(zipPath: string, inputs: ZipInput[], mtime: Date, options: ZipWriteOptions = {}): Promise<void> {
  const { signal, onBytes, forceZip64 = false } = options;
  const sink = new ZipSink(createWriteStream(zipPath, { flags: 'wx' }));
  const { date, time } = dosDateTime(mtime);
  const unixSeconds = Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000)));
  const copiedSize = (i: ZipInput) => (i.kind === 'deflated' ? i.compressedBytes : i.kind === 'stored' ? i.bytes : 0);
  const total = inputs.reduce((sum, i) => sum + copiedSize(i), 0);
  let copiedBefore = 0;
  const placed: Placed[] = [];
  try {
    for (const input of inputs) {
      checkAbort(signal);
      let compressed: Buffer | null = null;
      let entry: Omit<Placed, 'name' | 'offset' | 'zip64'>;
      if (input.kind === 'deflated') {
        entry = { method: DEFLATE, crc32: input.crc32, compressedBytes: input.compressedBytes, uncompressedBytes: input.uncompressedBytes };
      } else if (input.kind === 'stored') {
        entry = { method: STORE, crc32: input.crc32, compressedBytes: input.bytes, uncompressedBytes: input.bytes };
      } else {
        const raw = await readFile(input.path);
        compressed = deflateRawSync(raw, { level: 6 });
        entry = { method: DEFLATE, crc32: crc32(raw), compressedBytes: compressed.length, uncompressedBytes: raw.length };
      }
      const zip64 = forceZip64 || entry.uncompressedBytes >= MAX32 || entry.compressedBytes >= MAX32 || sink.offset >= MAX32;
      const full: Placed = { ...entry, name: Buffer.from(input.name, 'utf8'), offset: sink.offset, zip64 };
      await sink.write(localHeader(full, date, time));
      if (compressed) {
        await sink.write(compressed);
      } else {
        const copied = await sink.copyFile(input.path, signal, (n) => onBytes?.(copiedBefore + n, total));
        if (copied !== full.compressedBytes) throw new Error(`${input.name} changed size while the package was being written`);
        copiedBefore += copied;
      }
      placed.push(full);
    }
    const directoryStart = sink.offset;
    for (const entry of placed) await sink.write(centralRecord(entry, date, time, unixSeconds));
    await sink.write(endRecords(placed.length, directoryStart, sink.offset - directoryStart, sink.offset, forceZip64));
    await sink.close();
  } catch (error) {
    await sink.destroy();
    throw error;
  }
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

/** DOS date/time fields in local time, as zip tools show them. */
function dosDateTime(d: Date): { date: number; time: number } {
  const clamped = d < new Date(1980, 0, 1) ? new Date(1980, 0, 1) : d > new Date(2107, 11, 31, 23, 59, 58) ? new Date(2107, 11, 31, 23, 59, 58) : d;
  const date = ((clamped.getFullYear() - 1980) << 9) | ((clamped.getMonth() + 1) << 5) | clamped.getDate();
  const time = (clamped.getHours() << 11) | (clamped.getMinutes() << 5) | Math.floor(clamped.getSeconds() / 2);
  return { date, time };
}

function writeUInt64(buf: Buffer, value: number, at: number): void {
  buf.writeUInt32LE(value % 0x100000000, at);
  buf.writeUInt32LE(Math.floor(value / 0x100000000), at + 4);
}

function localHeader(e: Placed, date: number, time: number): Buffer {
  // The sizes are known before the data is written, so no data descriptor is needed; ZIP64 puts
  // them in an extra field and marks the 32-bit ones as "see extra".
  const extra = e.zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
  if (e.zip64) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    writeUInt64(extra, e.uncompressedBytes, 4);
    writeUInt64(extra, e.compressedBytes, 12);
  }
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(e.zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 4);
  h.writeUInt16LE(UTF8_NAMES, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt16LE(time, 10);
  h.writeUInt16LE(date, 12);
  h.writeUInt32LE(e.crc32 >>> 0, 14);
  h.writeUInt32LE(e.zip64 ? MAX32 : e.compressedBytes, 18);
  h.writeUInt32LE(e.zip64 ? MAX32 : e.uncompressedBytes, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, e.name, extra]);
}

function centralRecord(e: Placed, date: number, time: number, unixSeconds: number): Buffer {
  // Info-ZIP "UT" field: the modification time in UTC, which DOS fields cannot carry.
  const ut = Buffer.alloc(9);
  ut.writeUInt16LE(0x5455, 0);
  ut.writeUInt16LE(5, 2);
  ut.writeUInt8(0b11, 4);
  ut.writeInt32LE(unixSeconds, 5);
  const zip64 = e.zip64 ? Buffer.alloc(28) : Buffer.alloc(0);
  if (e.zip64) {
    zip64.writeUInt16LE(0x0001, 0);
    zip64.writeUInt16LE(24, 2);
    writeUInt64(zip64, e.uncompressedBytes, 4);
    writeUInt64(zip64, e.compressedBytes, 12);
    writeUInt64(zip64, e.offset, 20);
  }
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
  h.writeUInt16LE(e.zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  h.writeUInt16LE(UTF8_NAMES, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt16LE(time, 12);
  h.writeUInt16LE(date, 14);
  h.writeUInt32LE(e.crc32 >>> 0, 16);
  h.writeUInt32LE(e.zip64 ? MAX32 : e.compressedBytes, 20);
  h.writeUInt32LE(e.zip64 ? MAX32 : e.uncompressedBytes, 24);
  h.writeUInt16LE(e.name.length, 28);
  h.writeUInt16LE(ut.length + zip64.length, 30);
  h.writeUInt16LE(0, 32);
  h.writeUInt16LE(0, 34);
  h.writeUInt16LE(0, 36);
  h.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
  h.writeUInt32LE(e.zip64 ? MAX32 : e.offset, 42);
  return Buffer.concat([h, e.name, ut, zip64]);
}

function endRecords(count: number, directoryStart: number, directoryBytes: number, at: number, force: boolean): Buffer {
  const zip64 = force || count >= 0xffff || directoryStart >= MAX32 || directoryBytes >= MAX32;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    writeUInt64(record, 44, 4);
    record.writeUInt16LE(VERSION_MADE_BY_UNIX, 12);
    record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    writeUInt64(record, count, 24);
    writeUInt64(record, count, 32);
    writeUInt64(record, directoryBytes, 40);
    writeUInt64(record, directoryStart, 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    writeUInt64(locator, at, 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(zip64 ? MAX32 : directoryBytes, 12);
  end.writeUInt32LE(zip64 ? MAX32 : directoryStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** The output file with its running offset and backpressure handled. */
class ZipSink {
  offset = 0;
  private failure: Error | null = null;

  constructor(private readonly out: WriteStream) {
    out.on('error', (error) => {
      this.failure = error;
    });
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.offset += chunk.length;
    if (!this.out.write(chunk)) await this.drain();
  }

  /** Appends a file's bytes; returns how many were copied. */
  async copyFile(path: string, signal: AbortSignal | undefined, onCopied: (bytes: number) => void): Promise<number> {
    let copied = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: COPY_CHUNK })) {
      checkAbort(signal);
      await this.write(chunk as Buffer);
      copied += (chunk as Buffer).length;
      onCopied(copied);
    }
    return copied;
  }

  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.out.off('drain', onDrain);
        reject(error);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** Resolves once the file is complete on disk; rejects with any write or open error. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.out.once('close', () => (this.failure ? reject(this.failure) : resolve()));
      this.out.end();
    });
  }

  destroy(): Promise<void> {
    return new Promise((resolve) => {
      if (this.out.destroyed || this.out.closed) return resolve();
      this.out.once('close', () => resolve());
      this.out.destroy();
    });
  }
}
