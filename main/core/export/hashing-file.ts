import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/**
 * A file written from many small strings: batches them into large writes, hashes exactly the
 * bytes that go to disk (so the manifest never needs a second read), and reports backpressure.
 */
export class HashingFileWriter {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private pending = '';
  private bytes = 0;
  private failure: Error | null = null;
  private blocked = false;

  constructor(readonly path: string, private readonly batchChars = 1 << 18) {
    this.stream = createWriteStream(path, { flags: 'wx' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Queues text; false means the disk is behind and the caller should `await drain()`. */
  write(text: string): boolean {
    this.pending += text;
    if (this.pending.length >= this.batchChars) this.flush();
    return !this.blocked;
  }

  private flush(): void {
    if (this.pending === '') return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) this.blocked = true;
  }

  async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    // The 'drain' event may already have fired: the exporter awaits records.json's drain first,
    // and records.csv can empty its buffer meanwhile. Waiting for an event that already happened
    // hung the export forever (seen with the 1 MB hostile records, where every write blocks).
    if (!this.blocked || !this.stream.writableNeedDrain) {
      this.blocked = false;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.stream.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.stream.off('drain', onDrain);
        reject(error);
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
    this.blocked = false;
  }

  async close(): Promise<WrittenFile> {
    this.flush();
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    if (this.failure) throw this.failure;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Stops writing without flushing; the caller removes the file. */
  destroy(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.destroyed || this.stream.closed) return resolve();
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }
}

/** Writes a whole small file (text as UTF-8) and returns its size and hash. */
export async function writeSmallFile(path: string, content: string | Buffer): Promise<WrittenFile> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  await writeFile(path, bytes, { flag: 'wx' });
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Size and hash of a file written by someone else (exceljs). */
export async function hashFile(path: string): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
