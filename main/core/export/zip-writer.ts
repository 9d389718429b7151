import { createWriteStream } from 'node:fs';
import yazl from 'yazl';

export interface ZipInput {
  /** Name inside the zip. */
  name: string;
  /** File on disk to copy in. */
  path: string;
  /** Size, for progress. */
  bytes: number;
}

/**
 * Writes the files into one zip at `zipPath`. Large data files use a fast deflate level: they
 * dominate the time, and level 1 keeps most of the size gain at a fraction of the cost.
 */
export async function writeZip(
  zipPath: string,
  inputs: ZipInput[],
  mtime: Date,
  signal?: AbortSignal,
  onBytes?: (done: number, total: number) => void,
): Promise<void> {
  const zip = new yazl.ZipFile();
  const total = inputs.reduce((sum, i) => sum + i.bytes, 0);
  let done = 0;
  for (const input of inputs) {
    zip.addFile(input.path, input.name, { mtime, mode: 0o100644, compressionLevel: input.bytes > 1 << 20 ? 1 : 6 });
  }
  zip.end();
  const out = createWriteStream(zipPath, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.outputStream.unpipe(out);
      out.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal?.reason ?? new Error('cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    zip.outputStream.on('data', (chunk: Buffer) => {
      done += chunk.length;
      onBytes?.(Math.min(done, total), total);
    });
    zip.outputStream.on('error', fail);
    out.on('error', fail);
    out.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    zip.outputStream.pipe(out);
  });
  if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
}
