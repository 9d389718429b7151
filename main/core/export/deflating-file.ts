import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants, crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

/** What the manifest and the zip need to know about a data file written by DeflatingFileWriter. */
export interface DeflatedFile {
  /** Size and SHA-256 of the original (uncompressed) bytes, as listed in the manifest. */
  bytes: number;
  sha256: string;
  /** CRC-32 of the original bytes and size of the raw DEFLATE stream on disk, for the zip entry. */
  crc32: number;
  compressedBytes: number;
}

/** Deflate level for the big data files: level 1 keeps most of the size gain at a fraction of the cost. */
export const DATA_DEFLATE_LEVEL = 1;

const BATCH_BYTES = 1 << 20;

/**
 * A data file produced from many small strings and stored only in compressed form. Text is encoded
 * straight into 1 MB buffers (no long concatenated strings), each buffer is hashed (SHA-256 for the
 * manifest, CRC-32 for the zip) and handed to a zlib stream whose compression runs on libuv's
 * thread pool, i.e. on the second core while this thread goes on formatting records. The zip writer
 * later copies the compressed bytes as they are, so the uncompressed file never touches the disk.
 */
export class DeflatingFileWriter {
  private readonly deflate: DeflateRaw;
  private readonly file: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private readonly finished: Promise<void>;
  private batch: Buffer;
  private used = 0;
  private bytes = 0;
  private crc = 0;
  private compressedBytes = 0;
  private failure: Error | null = null;

  constructor(
    readonly path: string,
    private readonly batchBytes = BATCH_BYTES,
    level = DATA_DEFLATE_LEVEL,
  ) {
    this.batch = Buffer.allocUnsafe(batchBytes);
    // Larger zlib chunks mean fewer thread-pool round trips; the queue lets compression run ahead.
    // (zlib streams pass stream options such as highWaterMark through; the typings omit them.)
    const streamOptions = { level, chunkSize: 256 * 1024, strategy: constants.Z_DEFAULT_STRATEGY, highWaterMark: 4 * batchBytes };
    this.deflate = createDeflateRaw(streamOptions);
    this.file = createWriteStream(path, { flags: 'wx' });
    const onError = (error: Error) => {
      this.failure ??= error;
    };
    this.deflate.on('error', onError);
    this.file.on('error', onError);
    this.deflate.on('data', (chunk: Buffer) => {
      this.compressedBytes += chunk.length;
    });
    this.deflate.pipe(this.file);
    this.finished = new Promise<void>((resolve, reject) => {
      this.file.once('close', () => (this.failure ? reject(this.failure) : resolve()));
      this.deflate.once('error', reject);
      this.file.once('error', reject);
    });
    // Awaited in close(); a failure before that is reported by write()/drain() instead.
    this.finished.catch(() => undefined);
  }

  /** Queues text; false means compression is behind and the caller should `await drain()`. */
  write(text: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit, so this check guarantees the text fits.
    if (this.used + text.length * 3 > this.batch.length) {
      this.flush();
      if (text.length * 3 > this.batch.length) {
        this.push(Buffer.from(text, 'utf8'));
        return !this.deflate.writableNeedDrain;
      }
    }
    this.used += this.batch.write(text, this.used, 'utf8');
    return !this.deflate.writableNeedDrain;
  }

  /**
   * Room for up to `bytes` bytes written in place: returns the buffer to write into at `offset`;
   * then `advance(n)` by what was written. (For writers that produce bytes, not strings.)
   */
  reserve(bytes: number): Buffer {
    if (this.used + bytes > this.batch.length) {
      this.flush();
      if (bytes > this.batch.length) this.batch = Buffer.allocUnsafe(bytes);
    }
    return this.batch;
  }

  /** Queues bytes (copied); false means compression is behind and the caller should `await drain()`. */
  writeBytes(source: Uint8Array, from: number, to: number): boolean {
    const out = this.reserve(to - from);
    out.set(source.subarray(from, to), this.used);
    return this.advance(to - from);
  }

  get offset(): number {
    return this.used;
  }

  advance(bytes: number): boolean {
    this.used += bytes;
    return !this.deflate.writableNeedDrain;
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.batch.subarray(0, this.used);
    // zlib keeps the buffer until its thread is done with it, so each batch gets a fresh one.
    this.batch = Buffer.allocUnsafe(this.batchBytes);
    this.used = 0;
    this.push(chunk);
  }

  private push(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    this.hash.update(chunk);
    this.crc = crc32(chunk, this.crc);
    this.bytes += chunk.length;
    this.deflate.write(chunk);
  }

  /** True when compression is behind and the caller should `await drain()`. */
  get behind(): boolean {
    return this.deflate.writableNeedDrain;
  }

  /** Resolves once compression has caught up enough to take more (at once when it already has). */
  async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.deflate.writableNeedDrain) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.deflate.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.deflate.off('drain', onDrain);
        reject(error);
      };
      this.deflate.once('drain', onDrain);
      this.deflate.once('error', onError);
    });
  }

  async close(): Promise<DeflatedFile> {
    this.flush();
    if (this.failure) throw this.failure;
    this.deflate.end();
    await this.finished;
    return { bytes: this.bytes, sha256: this.hash.digest('hex'), crc32: this.crc >>> 0, compressedBytes: this.compressedBytes };
  }

  /** Stops without finishing the file; the caller removes it. */
  async destroy(): Promise<void> {
    this.deflate.unpipe(this.file);
    this.deflate.destroy();
    if (this.file.destroyed || this.file.closed) return;
    await new Promise<void>((resolve) => {
      this.file.once('close', () => resolve());
      this.file.destroy();
    });
  }
}
