// The signed content of a message-signature bundle when only the artifact's SHA-256 digest is
// known (`sha256:<hex>` instead of a file). sigstore-js' MessageSignatureContent needs the
// artifact's bytes to verify, and so does node:crypto, which hashes the message itself and cannot
// verify over a bare digest. This one verifies the signature over the digest itself: ECDSA (P-256,
// P-384) through @noble/curves, RSA PKCS#1 v1.5 by recovering and comparing the DigestInfo. Other
// key types cannot sign a bare digest the way Sigstore uses them, so they fail.
// Why @noble/curves: a security tool should not carry its own curve arithmetic, and noble is
// audited (Trail of Bits 2023, Cure53 2024), widely used, pure JS, and pinned exactly here. It is
// called to verify as OpenSSL does: strict DER only, r and s in [1, n-1], high S accepted (OpenSSL
// does not enforce low S), the digest's leftmost bits as many as the order has (FIPS 186-5
// bits2int; a SHA-256 digest on P-384 is used whole). Checked against node:crypto's signatures and
// the conformance corpus (__tests__/verify/crypto/digest-signature.test.ts, conformance.test.ts).

import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import type { SignedEntity } from '@sigstore/verify';
import { VerificationError } from '../types.ts';

type SignatureContent = SignedEntity['signature'];

// DER of DigestInfo{ sha256, NULL } up to the digest (RFC 8017, 9.2 note 1).
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

// node:crypto's curve names for the curves checked here.
const ECDSA_CURVES: ReadonlyMap<string, typeof p256> = new Map([
  ['prime256v1', p256],
  ['secp384r1', p384],
]);
const VERIFY_AS_OPENSSL = { prehash: false, format: 'der', lowS: false } as const;

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
  const ecdsa =
    key.asymmetricKeyType === 'ec' ? ECDSA_CURVES.get(key.asymmetricKeyDetails?.namedCurve ?? '') : undefined;
  if (ecdsa) {
    const point = publicPoint(key);
    try {
      return point !== undefined && ecdsa.verify(signature, digest, point, VERIFY_AS_OPENSSL);
    } catch {
      return false; // noble throws on some malformed input before it can say false
    }
  }
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

// SEC 1 uncompressed point (0x04 || x || y) of an EC public key, whatever form it was read in.
function publicPoint(key: KeyObject): Uint8Array | undefined {
  const { x, y } = key.export({ format: 'jwk' });
  if (typeof x !== 'string' || typeof y !== 'string') return undefined;
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
}
