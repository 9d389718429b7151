import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { DEFAULT_ZIP_LIMITS, unsafeNameReason, type ZipLimits } from './zip-limits';

export interface EntryConsumer {
  /** A promise asks the reader to wait (the stream is paused) until it settles. */
  push(chunk: Buffer): void | Promise<void>;
  end(): void;
}

export interface ZipReadOptions {
  /**
   * Read deflated entries here, in large reads and large chunks, instead of through yauzl's
   * stream (64 KiB reads, 16 KiB chunks): several times less work for a large entry. The bytes
   * and the size checks are the same; only the chunking differs, so the thorough verifier keeps
   * yauzl's stream, whose chunking its partial results on a damaged entry have always followed.
   */
  largeChunks?: boolean;
}

/** Read size and inflated chunk size of our own entry stream. */
const LARGE_CHUNK_BYTES = 1 << 20;

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

export interface ZipReadResult {
  /** False when the file could not be read as a zip at all (not a zip, truncated). */
  readable: boolean;
  /** Names in central-directory order (duplicates included). */
  names: string[];
  /** Problems with the archive itself: unsafe names, duplicates, bombs, broken entries. */
  problems: string[];
}

const openZip = (path: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings off: yauzl would throw on hostile names; we decode and judge them ourselves.
    yauzl.open(path, { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip),
    ),
  );

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // Bit 11 marks UTF-8 names; others are CP437 in theory, which latin1 covers for our checks.
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

/**
 * Streams every acceptable entry of a zip into the consumer `choose` returns (or skips it when
 * null). Never throws for a hostile or broken archive: every problem becomes a line in `problems`.
 */
export async function readZip(
  path: string,
  choose: (entry: ZipEntryInfo) => EntryConsumer | null,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  options: ZipReadOptions = {},
): Promise<ZipReadResult> {
  const result: ZipReadResult = { readable: true, names: [], problems: [] };
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    result.readable = false;
    result.problems.push(`not a readable zip file (${messageOf(error)}); it may be truncated or not a package`);
    return result;
  }
  if (zip.entryCount > limits.maxEntries) {
    result.problems.push(`the zip has ${zip.entryCount} entries; a package has at most ${limits.maxEntries}`);
    zip.close();
    return result;
  }
  const seen = new Set<string>();
  let declaredTotal = 0;
  await new Promise<void>((resolve) => {
    let finished = false;
    const finish = (problem?: string) => {
      if (finished) return;
      finished = true;
      if (problem) result.problems.push(problem);
      try {
        zip.close();
      } catch {
        // already closed
      }
      resolve();
    };
    zip.on('error', (error) => finish(`the zip is damaged (${messageOf(error)})`));
    zip.on('end', () => finish());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = decodeName(entry);
      result.names.push(name);
      const skip = (problem?: string) => {
        if (problem) result.problems.push(problem);
        zip.readEntry();
      };
      const unsafe = unsafeNameReason(name);
      if (unsafe) return skip(`unsafe entry name ${JSON.stringify(name.slice(0, 100))}: ${unsafe}`);
      if (seen.has(name)) return skip(`duplicate entry name ${JSON.stringify(name)}: a zip tool would silently pick one of them`);
      seen.add(name);
      if (name.endsWith('/')) return skip();
      if (entry.isEncrypted()) return skip(`${name}: encrypted entries are not allowed in a package`);
      const size = entry.uncompressedSize;
      declaredTotal += size;
      if (size > limits.maxEntryBytes) return skip(`${name}: ${size} bytes uncompressed is over the ${limits.maxEntryBytes}-byte limit (zip bomb?)`);
      if (declaredTotal > limits.maxTotalBytes) return skip(`${name}: total uncompressed size over the ${limits.maxTotalBytes}-byte limit (zip bomb?)`);
      if (size > limits.ratioFloorBytes && size / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
        return skip(`${name}: compression ratio ${Math.round(size / Math.max(entry.compressedSize, 1))}:1 is over ${limits.maxRatio}:1 (zip bomb?)`);
      }
      const consumer = choose({ name, compressedSize: entry.compressedSize, uncompressedSize: size });
      if (!consumer) return skip();
      const ownInflate = options.largeChunks === true && entry.compressionMethod === 8;
      const onStream = (err: Error | null, opened?: Readable) => {
        if (err || !opened) return skip(`${name}: cannot be read (${messageOf(err)})`);
        const stream = ownInflate ? inflateRaw(opened) : opened;
        // yauzl checks the inflated size of its own stream; ours is checked here, in its words.
        const expected = ownInflate ? size : null;
        let received = 0;
        let failed = false;
        const fail = (problem: string) => {
          failed = true;
          result.problems.push(problem);
          stream.destroy();
          finish();
        };
        stream.on('data', (chunk: Buffer) => {
          if (failed) return;
          received += chunk.length;
          if (expected !== null && received > expected) {
            return fail(`${name}: the data is damaged (too many bytes in the stream. expected ${expected}. got at least ${received})`);
          }
          try {
            const wait = consumer.push(chunk);
            if (wait) {
              stream.pause();
              void wait.then(() => stream.resume());
            }
          } catch (error) {
            failed = true;
            result.problems.push(`${name}: ${messageOf(error)}`);
          }
        });
        stream.on('error', (error) => {
          if (!failed) result.problems.push(`${name}: the data is damaged (${messageOf(error)})`);
          failed = true;
          finish();
        });
        stream.on('end', () => {
          if (!failed && expected !== null && received < expected) {
            return fail(`${name}: the data is damaged (not enough bytes in the stream. expected ${expected}. got only ${received})`);
          }
          if (!failed) {
            try {
              consumer.end();
            } catch (error) {
              result.problems.push(`${name}: ${messageOf(error)}`);
            }
          }
          zip.readEntry();
        });
      };
      if (!ownInflate) {
        zip.openReadStream(entry, onStream);
        return;
      }
      zip.readLocalFileHeader(entry, { minimal: true }, (err, header) => {
        if (err) return onStream(err);
        // A zip cut short ends this stream early: inflating then fails, reported as damage.
        const end = header.fileDataStart + entry.compressedSize;
        onStream(null, end > header.fileDataStart ? createReadStream(path, { start: header.fileDataStart, end: end - 1, highWaterMark: LARGE_CHUNK_BYTES }) : emptyStream());
      });
    });
    zip.readEntry();
  });
  return result;
}

/** The raw deflate data of an entry, inflated in large chunks; read errors become its errors. */
function inflateRaw(raw: Readable): Readable {
  const inflate = createInflateRaw({ chunkSize: LARGE_CHUNK_BYTES });
  raw.on('error', (error) => inflate.destroy(error));
  raw.pipe(inflate);
  return inflate;
}

function emptyStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
