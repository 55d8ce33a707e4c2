// The signed content of a message-signature bundle when only the artifact's SHA-256 digest is
// known (`sha256:<hex>` instead of a file). sigstore-js' MessageSignatureContent needs the
// artifact's bytes to verify; this one verifies the signature over the digest itself: ECDSA
// (P-256, P-384) by our own arithmetic, RSA PKCS#1 v1.5 by recovering and comparing the
// DigestInfo. Other key types cannot sign a bare digest the way Sigstore uses them, so they fail.

import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import type { SignedEntity } from '@sigstore/verify';
import { VerificationError } from '../types.ts';
import { supportsPrehashedECDSA, verifyPrehashedECDSA } from './ecdsa-prehashed.ts';

type SignatureContent = SignedEntity['signature'];

// DER of DigestInfo{ sha256, NULL } up to the digest (RFC 8017, 9.2 note 1).
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export class DigestSignatureContent implements SignatureContent {
  readonly signature: Buffer;
  readonly #digest: Buffer;

  /** `digest`: the artifact's SHA-256, already checked to equal the bundle's messageDigest. */
  constructor(signature: Buffer, digest: Buffer) {
    this.signature = signature;
    this.#digest = digest;
  }

  compareSignature(signature: Buffer): boolean {
    return signature.equals(this.signature);
  }

  compareDigest(digest: Buffer): boolean {
    return digest.equals(this.#digest);
  }

  // A message signature is over the artifact, so the digest of the signed bytes is the artifact's.
  compareSignedDigest(digest: Buffer): boolean {
    return digest.equals(this.#digest);
  }

  verifySignature(key: KeyObject): boolean {
    return verifyOverSHA256Digest(key, this.#digest, this.signature);
  }
}

/** Verifies `signature` made by hashing with SHA-256 and signing, given only the hash. */
export function verifyOverSHA256Digest(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (supportsPrehashedECDSA(key)) return verifyPrehashedECDSA(key, digest, signature);
  if (key.asymmetricKeyType === 'rsa') {
    let recovered: Buffer;
    try {
      recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    } catch {
      return false;
    }
    return recovered.equals(Buffer.concat([SHA256_DIGEST_INFO, digest]));
  }
  const type =
    key.asymmetricKeyType === 'ec'
      ? `EC ${key.asymmetricKeyDetails?.namedCurve ?? '?'}`
      : (key.asymmetricKeyType ?? 'unknown');
  throw new VerificationError({
    check: 'signature',
    expected: 'an ECDSA P-256/P-384 or RSA PKCS#1 v1.5 key, whose signature can be checked against a digest',
    found: `a ${type} key: give the artifact itself instead of its digest`,
  });
}
