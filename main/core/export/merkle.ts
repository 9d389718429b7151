import { hash } from 'node:crypto';

/**
 * RFC 6962 (Certificate Transparency) Merkle tree over SHA-256:
 *   leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
 * A tree of n leaves splits at k, the largest power of two smaller than n, so any third party with
 * the RFC can recompute our roots and audit paths.
 */

export const MERKLE_ALGORITHM = 'rfc6962-sha256';

const nodeInput = Buffer.alloc(65);
nodeInput[0] = 0x01;

/** Leaf hash of one record's canonical JSON text (UTF-8). */
export function leafHash(canonicalText: string): Buffer {
  // U+0000 encodes as the single byte 0x00 in UTF-8: one string, one hash call, no copies.
  return hash('sha256', `\u0000${canonicalText}`, 'buffer') as unknown as Buffer;
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer') as unknown as Buffer;
}

export function emptyRoot(): Buffer {
  return hash('sha256', Buffer.alloc(0), 'buffer') as unknown as Buffer;
}

/**
 * Streaming root: a stack of complete subtrees (at most log2(n) + 1 of them), merged whenever two
 * of equal size meet. Folding what remains from the right reproduces RFC 6962's split exactly,
 * because the left parts are always the largest powers of two.
 */
export class MerkleRootBuilder {
  private readonly hashes: Buffer[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  get leafCount(): number {
    return this.count;
  }

  addLeafHash(leaf: Buffer): void {
    let h = leaf;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      this.sizes.pop();
      h = nodeHash(this.hashes.pop() as Buffer, h);
      size *= 2;
    }
    this.hashes.push(h);
    this.sizes.push(size);
    this.count++;
  }

  addRecord(canonicalText: string): void {
    this.addLeafHash(leafHash(canonicalText));
  }

  root(): Buffer {
    if (this.hashes.length === 0) return emptyRoot();
    let acc = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) acc = nodeHash(this.hashes[i], acc);
    return acc;
  }
}

/** Largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Root of leaf hashes [start, end) stored back to back (32 bytes each) in `leaves`. */
export function subtreeRoot(leaves: Buffer, start: number, end: number): Buffer {
  const builder = new MerkleRootBuilder();
  for (let i = start; i < end; i++) builder.addLeafHash(leaves.subarray(i * 32, i * 32 + 32));
  return builder.root();
}

/**
 * The ranges whose subtree roots form the audit path of leaf m in a tree of n leaves, ordered from
 * the leaf upwards (RFC 6962 section 2.1.1). They depend only on (m, n).
 */
export function auditPathRanges(m: number, n: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m - start < k) {
      ranges.push([start + k, end]);
      end = start + k;
    } else {
      ranges.push([start, start + k]);
      start += k;
    }
  }
  return ranges.reverse();
}

/** Audit path of leaf m given all leaf hashes packed in one buffer (32 bytes each). */
export function auditPath(leaves: Buffer, m: number): Buffer[] {
  const n = leaves.length / 32;
  if (!Number.isInteger(m) || m < 0 || m >= n) throw new Error(`leaf index ${m} is outside a tree of ${n} leaves`);
  return auditPathRanges(m, n).map(([start, end]) => subtreeRoot(leaves, start, end));
}

/**
 * Recomputes the root from a leaf and its audit path (RFC 9162 section 2.1.3.2 algorithm) and
 * compares it with the expected root. Any inconsistency (wrong length, index out of range) is false.
 */
export function verifyInclusion(leaf: Buffer, m: number, n: number, path: Buffer[], expectedRoot: Buffer): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m >= n) return false;
  if (path.some((p) => p.length !== 32)) return false;
  let fn = m;
  let sn = n - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(expectedRoot);
}
