// An independent reading of the transparency-log formats, for checking the local Rekor's answers
// without the code under test: RFC 6962's Merkle tree hash and audit path by their recursive
// definitions (§2.1, 2.1.1), RFC 9162's inclusion-proof verification algorithm (§2.1.3.2, a different
// formulation from both sigstore-js' and our fast path's), and a Rekor v1 checkpoint note checked
// against a trusted-root log entry.
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { TransparencyLogInstanceJSON } from '../../testkit/index.ts';

const sha256 = (...parts: Buffer[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
export const hashLeaf = (data: Buffer): Buffer => sha256(Buffer.from([0]), data);
const hashChildren = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);
const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);

/** MTH(D[n]) over leaf hashes. */
export function treeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0] as Buffer;
  const k = largestPowerOfTwoBelow(leaves.length);
  return hashChildren(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

/** PATH(m, D[n]) over leaf hashes. */
export function auditPath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), treeHash(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), treeHash(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.3.2: whether `path` proves the leaf at `index` in a tree of `size` with root `root`. */
export function verifyInclusion(
  index: bigint,
  size: bigint,
  leaf: Buffer,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index < 0n || index >= size) return false;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Buffer;
}

/**
 * The note of a Rekor v1 checkpoint ("<origin>\n<size>\n<base64 root>\n[lines]\n\n— <name> <base64(hint ‖ sig)>\n"),
 * when its one signature is by `log`'s key, its key hint the log ID's first 4 bytes and its name in the
 * log's URL; throws otherwise.
 */
export function readCheckpoint(envelope: string, log: TransparencyLogInstanceJSON): Checkpoint {
  const split = envelope.indexOf('\n\n');
  if (split < 0) throw new Error('checkpoint without a blank line');
  const note = envelope.slice(0, split + 1);
  const signatureLine = /^\u2014 (\S+) (\S+)\n$/.exec(envelope.slice(split + 2));
  if (!signatureLine) throw new Error(`not one signature line: ${JSON.stringify(envelope.slice(split + 2))}`);
  const [, name = '', encoded = ''] = signatureLine;
  const bytes = Buffer.from(encoded, 'base64');
  const logID = Buffer.from(log.logId.keyId, 'base64');
  if (!log.baseUrl.includes(name)) throw new Error(`signer ${name} is not the log at ${log.baseUrl}`);
  if (!bytes.subarray(0, 4).equals(logID.subarray(0, 4))) throw new Error('key hint is not the log ID');
  const key = createPublicKey({ key: Buffer.from(log.publicKey.rawBytes, 'base64'), format: 'der', type: 'spki' });
  if (!verify('sha256', Buffer.from(note, 'utf8'), key, bytes.subarray(4)))
    throw new Error('checkpoint signature does not verify');
  const [origin = '', size = '', root = ''] = note.split('\n');
  if (!/^\d+$/.test(size)) throw new Error(`tree size ${size}`);
  return { origin, size: BigInt(size), root: Buffer.from(root, 'base64') };
}
