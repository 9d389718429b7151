import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MerkleRootBuilder, auditPath, leafHash, verifyInclusion } from '../../../main/core/export/merkle';

// Straight from RFC 6962 section 2.1, recursively: the reference our streaming code must match.
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
function referenceRoot(items: string[]): Buffer {
  if (items.length === 0) return sha();
  if (items.length === 1) return sha(Buffer.from([0]), Buffer.from(items[0]));
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(items.slice(0, k)), referenceRoot(items.slice(k)));
}
function referencePath(m: number, items: string[]): Buffer[] {
  if (items.length <= 1) return [];
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return m < k
    ? [...referencePath(m, items.slice(0, k)), referenceRoot(items.slice(k))]
    : [...referencePath(m - k, items.slice(k)), referenceRoot(items.slice(0, k))];
}

const itemsOf = (n: number) => Array.from({ length: n }, (_, i) => `record-${i}`);
const pack = (items: string[]) => Buffer.concat(items.map((s) => leafHash(s)));

describe('RFC 6962 Merkle tree', () => {
  it('matches the known empty-tree and single-leaf values', () => {
    expect(new MerkleRootBuilder().root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // RFC 6962 test vector: leaf of the empty string.
    expect(leafHash('').toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });

  it('streaming root equals the recursive definition for every size up to 70', () => {
    for (let n = 0; n <= 70; n++) {
      const builder = new MerkleRootBuilder();
      for (const s of itemsOf(n)) builder.addRecord(s);
      expect(builder.root().equals(referenceRoot(itemsOf(n))), `n=${n}`).toBe(true);
      expect(builder.leafCount).toBe(n);
    }
  });

  it('leaves added packed, in batches of any size, give the same root as one by one', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 20 }), (n, cuts) => {
        const items = itemsOf(n);
        const leaves = pack(items);
        const packed = new MerkleRootBuilder();
        for (let at = 0, k = 0; at < n; k++) {
          const size = Math.min(n - at, cuts[k % cuts.length]!);
          packed.addPacked(leaves.subarray(32 * at, 32 * (at + size)), size);
          at += size;
        }
        expect(packed.leafCount).toBe(n);
        expect(packed.root().equals(referenceRoot(items))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('audit paths equal the RFC ones and verify, for every leaf of trees up to 33', () => {
    for (let n = 1; n <= 33; n++) {
      const items = itemsOf(n);
      const root = referenceRoot(items);
      for (let m = 0; m < n; m++) {
        const path = auditPath(pack(items), m);
        expect(path.map((p) => p.toString('hex'))).toEqual(referencePath(m, items).map((p) => p.toString('hex')));
        expect(verifyInclusion(leafHash(items[m]), m, n, path, root)).toBe(true);
      }
    }
  });

  it('rejects wrong leaves, indexes and paths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.nat(), fc.nat(), (n, a, b) => {
        const items = itemsOf(n);
        const m = a % n;
        const root = referenceRoot(items);
        const path = auditPath(pack(items), m);
        expect(verifyInclusion(leafHash('forged'), m, n, path, root)).toBe(false);
        const other = b % n;
        if (other !== m) expect(verifyInclusion(leafHash(items[m]), other, n, path, root)).toBe(false);
        // (A different tree size can still lead to the same root when the leaf's side of the tree
        // has the same shape; proofs are bound to the size through the signed manifest instead.)
        if (path.length > 0) {
          const bent = path.map((p) => Buffer.from(p));
          bent[b % bent.length][0] ^= 1;
          expect(verifyInclusion(leafHash(items[m]), m, n, bent, root)).toBe(false);
          expect(verifyInclusion(leafHash(items[m]), m, n, path.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(leafHash(items[m]), m, n, [...path, path[0] ?? root], root)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
