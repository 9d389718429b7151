import yauzl from 'yauzl';
import { DEFAULT_ZIP_LIMITS, unsafeNameReason, type ZipLimits } from './zip-limits';

export interface EntryConsumer {
  push(chunk: Buffer): void;
  end(): void;
}

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
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return skip(`${name}: cannot be read (${messageOf(err)})`);
        let failed = false;
        stream.on('data', (chunk: Buffer) => {
          if (failed) return;
          try {
            consumer.push(chunk);
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
          if (!failed) {
            try {
              consumer.end();
            } catch (error) {
              result.problems.push(`${name}: ${messageOf(error)}`);
            }
          }
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return result;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
