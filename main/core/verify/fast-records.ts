import type { BatchPool, BatchDone } from './batch-pool';
import { MerkleRootBuilder } from '../export/merkle';
import { linesJoin, processBatch, type BatchOutput, type JsonLineKind, type RecordsKind } from './records-batch';

/**
 * The fast route for one records file: its bytes, as they come out of the zip, are cut into
 * batches of whole lines that the pool hashes in parallel; the leaves are folded into the Merkle
 * root in file order. The outcome is either the exact count and root the thorough scan would
 * compute, or "unsure" (with why), and then the verifier runs the thorough scan instead. It never
 * judges the file itself, so its wording never reaches a report.
 */
export type FastRecordsOutcome = { sure: true; count: number; root: string } | { sure: false; why: string };

/** Bytes per batch: large enough to amortize a message, small enough to keep both threads busy. */
const BATCH_BYTES = 4 << 20;
/** The thorough scan refuses lines over 64 Mi characters; a line this long is left to it. */
const MAX_LINE_BYTES = 64 << 20;
/** Batches read ahead of the merge, per thread, before the zip stream is paused. */
const AHEAD_PER_THREAD = 3;

export class FastRecordsCheck {
  private current: Buffer;
  private fill = 0;
  private dispatched = 0;
  private merged = 0;
  private ended = false;
  private why: string | null = null;
  /** Merges run one after another, in dispatch order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly root = new MerkleRootBuilder();
  /** Bytes of an incomplete CSV row at the end of the last merged batch. */
  private carry: Buffer | null = null;
  private lastLine: JsonLineKind = 'none';
  private readonly spare: ArrayBuffer[] = [];
  private waitingForRoom: (() => void) | null = null;

  /** `batchBytes` is for tests: small batches make every kind of cut happen in a small file. */
  constructor(
    private readonly kind: RecordsKind,
    private readonly pool: BatchPool,
    private readonly ahead: number,
    private readonly batchBytes = BATCH_BYTES,
  ) {
    this.current = this.takeBuffer(batchBytes);
  }

  /** Takes the next bytes of the file; returns a promise when the reader should wait for room. */
  push(chunk: Buffer): Promise<void> | undefined {
    if (this.why !== null) return undefined;
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(this.current.length - this.fill, chunk.length - offset);
      chunk.copy(this.current, this.fill, offset, offset + n);
      this.fill += n;
      offset += n;
      if (this.fill === this.current.length && !this.cut()) return undefined;
    }
    if (this.dispatched - this.merged < this.ahead * AHEAD_PER_THREAD) return undefined;
    return new Promise<void>((resolve) => (this.waitingForRoom = resolve));
  }

  end(): void {
    this.ended = true;
    if (this.why !== null || this.fill === 0) return;
    const last = this.current.lastIndexOf(0x0a, this.fill - 1);
    if (last + 1 < this.fill) {
      // The thorough scan words what is wrong with a file that does not end with a newline.
      this.giveUp('the file does not end with a newline');
      return;
    }
    this.dispatch(this.current, this.fill);
    this.fill = 0;
  }

  async outcome(): Promise<FastRecordsOutcome> {
    // Batches dispatched after this call began are awaited too (the chain grows as they come).
    let seen: Promise<void> | null = null;
    while (seen !== this.chain) {
      seen = this.chain;
      await seen;
    }
    if (this.why === null && !this.ended) this.why = 'the file was not read to its end';
    if (this.why === null && this.carry !== null) this.why = 'the last row is incomplete';
    if (this.why === null && this.dispatched === 0) this.why = 'the file is empty';
    if (this.why === null && this.kind === 'json' && this.lastLine !== 'close') this.why = 'the array is not closed at the end';
    if (this.why !== null) return { sure: false, why: this.why };
    return { sure: true, count: this.root.leafCount, root: this.root.root().toString('hex') };
  }

  /** Sends the full lines of the current buffer; keeps the partial last line for the next one. */
  private cut(): boolean {
    const last = this.current.lastIndexOf(0x0a, this.fill - 1);
    if (last < 0) {
      // One line fills the buffer: grow it (up to the thorough scan's own line limit).
      if (this.current.length * 2 > MAX_LINE_BYTES) {
        this.giveUp('a line is too long for the fast route');
        return false;
      }
      const grown = Buffer.allocUnsafeSlow(this.current.length * 2);
      this.current.copy(grown, 0, 0, this.fill);
      this.current = grown;
      return true;
    }
    const rest = this.fill - (last + 1);
    const next = this.takeBuffer(Math.max(this.batchBytes, rest * 2));
    this.current.copy(next, 0, last + 1, this.fill);
    this.dispatch(this.current, last + 1);
    this.current = next;
    this.fill = rest;
    return true;
  }

  private dispatch(buffer: Buffer, length: number): void {
    const first = this.dispatched === 0;
    this.dispatched++;
    // Settled into a value at once, so a failed batch is never an unhandled rejection meanwhile.
    const job = this.pool.run(this.kind, first, buffer.buffer as ArrayBuffer, length).then(
      (done) => done,
      (error: Error) => error,
    );
    this.chain = this.chain.then(() => job.then((done) => this.merge(done, length)));
  }

  private merge(done: BatchDone | Error, length: number): void {
    this.merged++;
    if (done instanceof Error) {
      this.giveUp(`a hashing thread failed (${done.message})`);
    } else {
      let output: BatchOutput = done.output;
      let bytes = new Uint8Array(done.buffer, 0, length);
      if (this.why === null && this.carry !== null) {
        // The batch was hashed as if it began a row, but the row before it was cut: hash the
        // joined bytes again, here (rare: only a quoted field with a line break is ever cut).
        const joined = Buffer.concat([this.carry, bytes]);
        output = processBatch({ kind: this.kind, bytes: joined, first: false });
        bytes = joined;
      }
      this.carry = null;
      if (this.why === null) this.take(output, bytes);
      if (done.buffer.byteLength === this.batchBytes) this.spare.push(done.buffer);
    }
    const wake = this.waitingForRoom;
    this.waitingForRoom = null;
    wake?.();
  }

  private take(output: BatchOutput, bytes: Uint8Array): void {
    if (output.unsure !== null) {
      this.giveUp(output.unsure);
      return;
    }
    if (this.kind === 'json' && output.firstLine !== 'none') {
      if (this.lastLine !== 'none' && !linesJoin(this.lastLine, output.firstLine)) {
        this.giveUp('records are not laid out as written');
        return;
      }
      this.lastLine = output.lastLine;
    }
    this.root.addPacked(output.leaves, output.count);
    if (output.consumed < bytes.length) this.carry = Buffer.from(bytes.subarray(output.consumed));
  }

  private giveUp(why: string): void {
    if (this.why === null) this.why = why;
    this.fill = 0;
  }

  private takeBuffer(size: number): Buffer {
    const reused = size === this.batchBytes ? this.spare.pop() : undefined;
    return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(size);
  }
}
