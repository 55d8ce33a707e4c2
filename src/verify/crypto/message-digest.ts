// The digest a message-signature bundle says it signed, and the check that the artifact we were
// given is that artifact. The bundle's messageDigest is only a hint (the signature is what binds),
// but an artifact that does not match it is the wrong artifact, which the user should hear as
// such rather than as a bad signature.

import { createHash } from 'node:crypto';
import type { MessageSignature } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { VerificationError } from '../types.ts';
import type { ArtifactInput } from './statement.ts';

const NAMES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
  [HashAlgorithm.SHA3_256]: 'sha3-256',
  [HashAlgorithm.SHA3_384]: 'sha3-384',
};

/** The bundle's message digest as algorithm name and hex. */
export function messageDigestOf(signature: MessageSignature): { algorithm: string; hex: string } {
  const { algorithm, digest } = signature.messageDigest;
  // Protobuf-JSON omits a zero enum: an unspecified algorithm is SHA-256 if the length says so
  // (as sigstore-js assumes), and a malformed bundle otherwise.
  const name =
    algorithm === HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED && digest.length === 32 ? 'sha256' : NAMES[algorithm];
  if (name === undefined) {
    throw new VerificationError({
      check: 'bundle-format',
      expected: 'messageDigest.algorithm SHA2_256, SHA2_384, SHA2_512, SHA3_256 or SHA3_384',
      found: `algorithm ${algorithm} with a ${digest.length}-byte digest`,
    });
  }
  return { algorithm: name, hex: digest.toString('hex') };
}

/** Throws a subject-digest failure unless the artifact has the bundle's message digest. */
export function requireMessageDigest(digest: { algorithm: string; hex: string }, artifact: ArtifactInput): void {
  let actual: string;
  if ('data' in artifact) {
    actual = createHash(digest.algorithm).update(artifact.data).digest('hex');
  } else if (artifact.digest.algorithm === digest.algorithm) {
    actual = artifact.digest.hex.toLowerCase();
  } else {
    throw new VerificationError({
      check: 'subject-digest',
      expected: `the artifact's ${digest.algorithm} digest, the algorithm the bundle signed`,
      found: `only its ${artifact.digest.algorithm} digest: give the artifact itself`,
    });
  }
  if (actual !== digest.hex) {
    throw new VerificationError({
      check: 'subject-digest',
      expected: `the artifact the bundle signed (${digest.algorithm}:${digest.hex})`,
      found: `${digest.algorithm}:${actual}`,
    });
  }
}
