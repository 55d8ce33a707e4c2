// A log entry's inclusion in a trusted Rekor log, checked as @sigstore/verify's verifyTLogInclusion
// checks it (the inclusion promise; the checkpoint and Merkle path), on plain data. Two paths need
// it without the Verifier: the fast path (which must check exactly what the Verifier checks), and
// Rekor `intoto` 0.0.1 entries, whose bodies the Verifier refuses to read at all (intoto-v001.ts),
// so that the Verifier runs on them with their log stage done here.

import { createHash, verify, type KeyObject } from 'node:crypto';
import type { TrustMaterial } from '@sigstore/verify';

type TLog = TrustMaterial['tlogs'][number];

export interface LogEntry {
  logIndex: number;
  keyId: Buffer;
  kind: string;
  version: string;
  /** Seconds since the epoch; never 0 (toSignedEntity counts the entry's time only when set). */
  integratedTime: number;
  signedEntryTimestamp: Buffer;
  proof: InclusionProof | undefined;
  body: Buffer;
}

export interface InclusionProof {
  logIndex: bigint;
  rootHash: Buffer;
  treeSize: string;
  hashes: Buffer[];
  checkpoint: string;
}

// verifyTLogSET: a log with the entry's ID whose key was valid at the integrated time signed the
// canonical JSON of {body, integratedTime, logID, logIndex}.
export function promiseVerified(entry: LogEntry, tlogs: readonly TLog[], signedAt: Date): boolean {
  const at = signedAt.getTime();
  const logs = tlogs.filter(
    (log) => log.logID.equals(entry.keyId) && log.validFor.start.getTime() <= at && at <= log.validFor.end.getTime(),
  );
  if (logs.length === 0) return false;
  // core's json.canonicalize of that object: keys sorted, numbers as JSON numbers.
  const payload = `{"body":"${entry.body.toString('base64')}","integratedTime":${entry.integratedTime},"logID":"${entry.keyId.toString('hex')}","logIndex":${entry.logIndex}}`;
  const data = Buffer.from(payload, 'utf8');
  return logs.some((log) => verifies(data, log.publicKey, entry.signedEntryTimestamp));
}

const NOTE_SIGNATURE = /\u2014 (\S+) (\S+)\n/g;
export const DIGITS = /^\d+$/;

// verifyCheckpoint and verifyMerkleInclusion, after requireConsistentProofs: the checkpoint note
// signed by a log with the entry's ID (any validity: sigstore-js does not filter by time here),
// the proof's plain tree size and root hash equal to the note's, and the RFC 6962 path from the
// body's leaf hash to the note's root hash.
export function proofVerified(entry: LogEntry, proof: InclusionProof, tlogs: readonly TLog[]): boolean {
  const envelope = proof.checkpoint;
  // requireConsistentProofs, on the note's lines as it splits them.
  const [, signedSize, signedRoot] = envelope.split('\n');
  if (signedSize === undefined || !DIGITS.test(signedSize) || signedRoot === undefined) return false;
  if (
    !DIGITS.test(proof.treeSize) ||
    BigInt(signedSize) !== BigInt(proof.treeSize) ||
    !Buffer.from(signedRoot, 'base64').equals(proof.rootHash)
  )
    return false;

  // SignedNote.fromString
  const split = envelope.indexOf('\n\n');
  if (split < 0) return false;
  const note = envelope.slice(0, split + 1);
  const signatures: { name: string; hint: Buffer; signature: Buffer }[] = [];
  for (const [, name, text] of envelope.slice(split + 2).matchAll(NOTE_SIGNATURE)) {
    const bytes = Buffer.from(text ?? '', 'base64');
    if (bytes.length < 5) return false;
    signatures.push({ name: name ?? '', hint: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) return false;
  // LogCheckpoint.fromString (a size BigInt would read in another spelling is not the common case)
  const lines = note.trimEnd().split('\n');
  const [, size, root] = lines;
  if (lines.length < 3 || size === undefined || root === undefined || !DIGITS.test(size)) return false;
  const logSize = BigInt(size);
  const logHash = Buffer.from(root, 'base64');
  // verifySignedNote: some signature verifies with the first log its key hint and name point to.
  const logs = tlogs.filter((log) => log.logID.equals(entry.keyId));
  const data = Buffer.from(note, 'utf8');
  const signed = signatures.some(({ name, hint, signature }) => {
    const log = logs.find((l) => l.logID.subarray(0, 4).equals(hint) && l.baseURL.includes(name));
    return log !== undefined && verifies(data, log.publicKey, signature);
  });
  return signed && merkleRoot(entry.body, proof, logSize)?.equals(logHash) === true;
}

// verifyMerkleInclusion's root for the entry's body, or undefined where it throws.
function merkleRoot(body: Buffer, proof: InclusionProof, treeSize: bigint): Buffer | undefined {
  const index = proof.logIndex;
  if (index < 0n || index >= treeSize) return undefined;
  const inner = bitLength(index ^ (treeSize - 1n));
  const border = onesCount(index >> BigInt(inner));
  if (proof.hashes.length !== inner + border) return undefined;
  let hash = createHash('sha256').update(LEAF_PREFIX).update(body).digest();
  proof.hashes.forEach((sibling, i) => {
    const right = i >= inner || ((index >> BigInt(i)) & 1n) === 1n;
    hash = createHash('sha256')
      .update(NODE_PREFIX)
      .update(right ? sibling : hash)
      .update(right ? hash : sibling)
      .digest();
  });
  return hash;
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);
const onesCount = (n: bigint): number => n.toString(2).split('1').length - 1;

// core's crypto.verify: the key's default digest, and false for anything that throws.
export function verifies(data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}
