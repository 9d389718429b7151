import type { MessagePort } from 'node:worker_threads';
import { processBatch, type BatchOutput, type RecordsKind } from './records-batch';

/**
 * The messages between the verifier and its hashing threads. A batch's bytes travel to the
 * thread and back (transferred, not copied) so the verifier can reuse the buffer, and keep the
 * bytes it may need again (a batch cut inside a quoted CSV field is hashed again with the tail
 * of the one before it).
 */
export interface BatchRequest {
  seq: number;
  kind: RecordsKind;
  first: boolean;
  buffer: ArrayBuffer;
  length: number;
}

export interface BatchReply extends Omit<BatchOutput, 'leaves'> {
  seq: number;
  buffer: ArrayBuffer;
  leaves: ArrayBuffer;
  leavesLength: number;
}

/** Runs in a worker thread: hashes every batch it is sent, replying in the order received. */
export function serveBatches(port: MessagePort): void {
  port.on('message', (request: BatchRequest) => {
    const bytes = new Uint8Array(request.buffer, 0, request.length);
    let output: BatchOutput;
    try {
      output = processBatch({ kind: request.kind, bytes, first: request.first });
    } catch (error) {
      // A bug here must not pass for a verdict: the verifier falls back to the thorough scan.
      output = { leaves: new Uint8Array(0), count: 0, consumed: 0, unsure: `hashing thread failed: ${String(error)}`, firstLine: 'none', lastLine: 'none' };
    }
    const leaves = output.leaves.byteOffset === 0 && output.leaves.buffer instanceof ArrayBuffer ? output.leaves.buffer : output.leaves.slice().buffer;
    const reply: BatchReply = { ...output, seq: request.seq, buffer: request.buffer, leaves, leavesLength: output.leaves.byteLength };
    port.postMessage(reply, [request.buffer, leaves]);
  });
}
