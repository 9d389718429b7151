import { readFileSync, writeFileSync } from 'node:fs';
import yauzl from 'yauzl';
import yazl from 'yazl';

export interface RawEntry {
  name: string;
  data: Buffer;
}

/** All entries of a zip, in order (test helper; trusts the zip). */
export function readEntries(path: string): Promise<RawEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: RawEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Writes entries to a zip as given (duplicates allowed). */
export function writeEntries(path: string, entries: RawEntry[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const e of entries) zip.addBuffer(e.data, e.name, { mtime: new Date(0) });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => {
      writeFileSync(path, Buffer.concat(chunks));
      resolve();
    });
    zip.outputStream.on('error', reject);
  });
}

/** Replaces every occurrence of a same-length name in a zip's bytes (to craft names yazl refuses). */
export function renameInPlace(path: string, from: string, to: string): void {
  if (from.length !== to.length) throw new Error('names must have the same length');
  const bytes = readFileSync(path);
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  let at = bytes.indexOf(a);
  let count = 0;
  while (at >= 0) {
    b.copy(bytes, at);
    count++;
    at = bytes.indexOf(a, at + 1);
  }
  if (count === 0) throw new Error(`name ${from} not found`);
  writeFileSync(path, bytes);
}
