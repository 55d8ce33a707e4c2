// The local Rekor's Merkle tree: an append-only RFC 6962 tree (RFC 9162 §2.1) of leaf hashes. It gives
// the tree hash of any prefix of the log and the audit path of any leaf within that prefix, so a proof
// issued when the log had n entries can be reissued, byte for byte, after the log has grown.
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** MTH({d}) = SHA-256(0x00 || d): the hash of one logged entry. */
export const leafHash = (data: Buffer): Buffer => sha256(LEAF_PREFIX, data);

/** SHA-256(0x01 || left || right): the hash of an inner node. */
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE_PREFIX, left, right);

/** The largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2(n) when n is a power of two, else undefined (plain arithmetic: bitwise operators stop at 2^31). */
function exponentOf(n: number): number | undefined {
  let level = 0;
  let power = 1;
  while (power < n) {
    power *= 2;
    level++;
  }
  return power === n ? level : undefined;
}

export class MerkleTree {
  // levels[h][i] is the hash of the complete subtree of 2^h leaves starting at leaf i·2^h, stored as
  // soon as it is complete. Every left subtree in RFC 6962's recursion is such a subtree, so a tree
  // hash or an audit path costs O(log² n) hashes instead of rehashing every leaf on each append.
  private readonly levels: Buffer[][] = [[]];

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  /** Adds a leaf hash; returns its index. */
  append(leaf: Buffer): number {
    const index = this.size;
    let carry = leaf;
    for (let level = 0; ; level++) {
      const row = (this.levels[level] ??= []);
      row.push(carry);
      if (row.length % 2 === 1) break;
      carry = nodeHash(row[row.length - 2] as Buffer, carry);
    }
    return index;
  }

  /** MTH(D[0:size]): the root hash of the tree when it held `size` leaves. */
  rootHash(size = this.size): Buffer {
    this.requireSize(size);
    return size === 0 ? sha256() : this.subtreeHash(0, size);
  }

  /** PATH(index, D[0:size]): the audit path, lowest level first, as RFC 6962 §2.1.1 defines it. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.requireSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
    }
    return this.path(index, 0, size);
  }

  private requireSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} is not between 0 and ${this.size}`);
    }
  }

  // MTH(D[start:start+count]), count > 0.
  private subtreeHash(start: number, count: number): Buffer {
    const level = exponentOf(count);
    if (level !== undefined && start % count === 0) {
      const stored = this.levels[level]?.[start / count];
      if (!stored) throw new Error(`subtree of ${count} leaves at ${start} is not complete`);
      return stored;
    }
    const k = splitPoint(count);
    return nodeHash(this.subtreeHash(start, k), this.subtreeHash(start + k, count - k));
  }

  // PATH(m, D[start:start+count]).
  private path(m: number, start: number, count: number): Buffer[] {
    if (count <= 1) return [];
    const k = splitPoint(count);
    return m < k
      ? [...this.path(m, start, k), this.subtreeHash(start + k, count - k)]
      : [...this.path(m - k, start + k, count - k), this.subtreeHash(start, k)];
  }
}
