// An inclusion proof carries its tree size and root hash twice: as plain fields, and inside the
// checkpoint the log signed. sigstore-js proves inclusion against the signed checkpoint and never
// reads the plain copies, so a bundle whose copies say something else still verified. Nothing is
// forged that way, but a bundle that contradicts itself is damaged or edited, and verification
// fails closed: both copies must agree (as sigstore-go requires).

import type { Bundle } from '@sigstore/bundle';
import { VerificationError } from '../../types.ts';

export function requireConsistentProofs(bundle: Bundle): void {
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const proof = entry.inclusionProof;
    if (!proof?.checkpoint) continue;
    // A checkpoint note: origin, tree size, base64 root hash, optional extension lines, a blank line, signatures.
    const [, size, root] = proof.checkpoint.envelope.split('\n');
    const signedSize = size !== undefined && /^\d+$/.test(size) ? BigInt(size) : undefined;
    const signedRoot = root === undefined ? undefined : Buffer.from(root, 'base64');
    const plainSize = /^\d+$/.test(proof.treeSize) ? BigInt(proof.treeSize) : undefined;
    if (
      signedSize === undefined ||
      signedSize !== plainSize ||
      signedRoot === undefined ||
      !signedRoot.equals(proof.rootHash)
    ) {
      throw new VerificationError({
        check: 'tlog',
        expected: `an inclusion proof whose treeSize and rootHash are the signed checkpoint's (${size ?? '?'}, ${root ?? '?'})`,
        found: `treeSize ${proof.treeSize}, rootHash ${proof.rootHash.toString('base64')}`,
      });
    }
  }
}
