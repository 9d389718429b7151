import Database from 'better-sqlite3-multiple-ciphers';
import type { MessagePort } from 'node:worker_threads';
import { openEncryptedDb } from '../cache/connection';
import { createChunkEncoder, type ReaderMessage } from './event-chunks';
import { announcePosted, markStarted, waitForCredit } from './reader-signals';
import { SCAN_COLUMNS, type ScanRow } from './scan-columns';

/**
 * One reader thread of a parallel scan. The seq range (firstSeq, lastSeq] is cut into chunks of
 * `chunkSeqs` seqs; reader r reads chunks r, r + stride, r + 2·stride… on its own read-only
 * connection, so the readers (and the scanning thread, which reads the chunks no thread has)
 * decrypt different pages at the same time; the scanning thread takes the chunks in seq order.
 */
export interface ReaderThreadInput {
  dbPath: string;
  /** The cache key; null for an unencrypted database. */
  key: Uint8Array | null;
  port: MessagePort;
  signals: SharedArrayBuffer;
  reader: number;
  stride: number;
  /** Exclusive. */
  firstSeq: number;
  /** Inclusive. */
  lastSeq: number;
  chunkSeqs: number;
  /** Chunks a reader may post before the scanning thread takes them. */
  ahead: number;
}

export function chunkCount(firstSeq: number, lastSeq: number, chunkSeqs: number): number {
  return Math.max(0, Math.ceil((lastSeq - firstSeq) / chunkSeqs));
}

export function runReaderThread(input: ReaderThreadInput): void {
  const signals = new Int32Array(input.signals);
  markStarted(signals, input.reader);
  const send = (message: ReaderMessage, transfer: ArrayBuffer[] = []) => {
    input.port.postMessage(message, transfer);
    announcePosted(signals);
  };
  let db: Database.Database | undefined;
  try {
    db =
      input.key === null
        ? new Database(input.dbPath, { readonly: true, fileMustExist: true })
        : openEncryptedDb(input.dbPath, Buffer.from(input.key), { readonly: true, create: false });
    // Every page is read once, front to back: a page cache would only hold pages never asked for again.
    db.pragma('cache_size = -2048');
    const select = db.prepare(`SELECT ${SCAN_COLUMNS} FROM records WHERE seq > ? AND seq <= ? ORDER BY seq`).raw(true);
    const encode = createChunkEncoder();
    const chunks = chunkCount(input.firstSeq, input.lastSeq, input.chunkSeqs);
    let posted = 0;
    for (let k = input.reader; k < chunks; k += input.stride) {
      if (!waitForCredit(signals, input.reader, posted, input.ahead)) break;
      const from = input.firstSeq + k * input.chunkSeqs;
      const { chunk, transfer } = encode(select.all(from, Math.min(from + input.chunkSeqs, input.lastSeq)) as ScanRow[]);
      send(chunk, transfer);
      posted++;
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).message });
  } finally {
    db?.close();
    input.port.close();
  }
}
