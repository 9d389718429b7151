import { hash } from 'node:crypto';

/**
 * The RFC 6962 root over leaf hashes that arrive packed (32 bytes each), as export/merkle.ts's
 * MerkleRootBuilder computes it: a stack of complete subtrees, merged whenever two of the same
 * size meet, folded from the right at the end. Here whole aligned blocks of a batch are reduced
 * level by level in one buffer before they join the stack, and crypto.hash returns each digest
 * as a latin1 string (one character per byte): a million records mean a million node hashes,
 * and a Buffer per digest, or a string per leaf, would cost more than the hashing.
 */
const LEAF_BYTES = 32;

export class PackedLeafRoot {
  /** Roots of the complete subtrees so far, left to right, with their sizes (powers of two). */
  private readonly hashes: string[] = [];
  private readonly sizes: number[] = [];
  /** 0x01 ‖ left ‖ right, the input of every node hash. */
  private readonly scratch = Buffer.alloc(1 + 2 * LEAF_BYTES);
  private level = Buffer.alloc(0);
  private count = 0;

  constructor() {
    this.scratch[0] = 0x01;
  }

  get leafCount(): number {
    return this.count;
  }

  /** Adds `count` leaves from `leaves` (32 bytes each, in order). */
  addPacked(leaves: Uint8Array, count: number): void {
    const view = Buffer.from(leaves.buffer, leaves.byteOffset, count * LEAF_BYTES);
    let at = 0;
    while (at < count) {
      // The largest block that starts at a multiple of its own size and fits: a complete subtree.
      let size = 1;
      while (this.count % (size * 2) === 0 && at + size * 2 <= count) size *= 2;
      this.push(this.blockRoot(view, at, size), size);
      at += size;
    }
  }

  private blockRoot(view: Buffer, at: number, size: number): string {
    if (size === 1) return view.toString('latin1', at * LEAF_BYTES, (at + 1) * LEAF_BYTES);
    if (this.level.length < (size / 2) * LEAF_BYTES) this.level = Buffer.allocUnsafe((size / 2) * LEAF_BYTES);
    const level = this.level;
    // First level straight from the leaves, then each level in place over the one below.
    let width = size / 2;
    for (let i = 0; i < width; i++) {
      view.copy(this.scratch, 1, (at + 2 * i) * LEAF_BYTES, (at + 2 * i + 2) * LEAF_BYTES);
      level.write(hash('sha256', this.scratch, 'binary'), i * LEAF_BYTES, LEAF_BYTES, 'latin1');
    }
    while (width > 1) {
      width /= 2;
      for (let i = 0; i < width; i++) {
        level.copy(this.scratch, 1, 2 * i * LEAF_BYTES, (2 * i + 2) * LEAF_BYTES);
        level.write(hash('sha256', this.scratch, 'binary'), i * LEAF_BYTES, LEAF_BYTES, 'latin1');
      }
    }
    return level.toString('latin1', 0, LEAF_BYTES);
  }

  private push(subtree: string, size: number): void {
    let h = subtree;
    let s = size;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === s) {
      this.sizes.pop();
      h = this.node(this.hashes.pop() as string, h);
      s *= 2;
    }
    this.hashes.push(h);
    this.sizes.push(s);
    this.count += size;
  }

  private node(left: string, right: string): string {
    this.scratch.write(left, 1, LEAF_BYTES, 'latin1');
    this.scratch.write(right, 1 + LEAF_BYTES, LEAF_BYTES, 'latin1');
    return hash('sha256', this.scratch, 'binary');
  }

  /** The root, as MerkleRootBuilder.root() gives it (SHA-256 of nothing for no leaves). */
  root(): Buffer {
    if (this.hashes.length === 0) return hash('sha256', Buffer.alloc(0), 'buffer') as unknown as Buffer;
    let acc = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) acc = this.node(this.hashes[i], acc);
    return Buffer.from(acc, 'latin1');
  }
}
