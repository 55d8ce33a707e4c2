// The fence around sigstore-js internals: every reach past a sigstore-js package's public entry
// point (a file inside its dist/ or package directory, a TypeScript-private member, an unexported
// class) is made here and nowhere else in src/, so a new sigstore-js release is checked in one
// place. Those packages are pinned to exact versions in package.json, and
// __tests__/architecture/sigstore-internals.test.ts fails when an installed version differs from
// its pin (naming the entries of SIGSTORE_INTERNALS below to re-check), when one of them is gone
// or changed shape, or when another file in src/ imports a sigstore-js path directly.
//
// Known upstream gaps: where sigstore-js is more lenient than verification must be, we patch it in
// our own files; each fix belongs upstream, and the patch can go once upstream has it.
//   - base64 (base64.ts, used by bundle-format.ts and trust/material.ts): @sigstore/protobuf-specs
//     decodes bytes fields with Buffer.from(text, 'base64'), which skips characters it does not
//     know, so "INVALID!!!BASE64" decodes to some bytes instead of failing. We refuse such text
//     before the bundle or root is parsed. Upstream fix: a strict decoder in protobuf-specs' JSON
//     reader (Go's and Python's decoders refuse it).
//   - DER certificate shape (certificate-shape.ts, der.ts): @sigstore/core's X509Certificate reads
//     "a constructed object with three children" without checking their tags, the signature BIT
//     STRING's unused-bits byte, or that the inner and outer signature algorithms match (RFC 5280
//     §4.1.1.2). A certificate whose outer tags were edited still verified. Its ASN.1 parser does
//     refuse non-minimal and indefinite lengths. Upstream fix: those checks in X509Certificate
//     (Go's crypto/x509, which cosign and gh attestation verify use, makes them).
//   - RFC 3161 genTime (timestamp.ts): @sigstore/core's parseTime accepts a GeneralizedTime only
//     with no fraction or exactly three fraction digits (/(\.\d{3})?Z$/); Sigstore's timestamp
//     authority drops trailing zeros (".12Z"), so about one token in ten failed as "invalid
//     time". Upstream fix: any number of fraction digits (X.690 §11.7).
//   - inclusion proof copies (proof-consistency.ts): @sigstore/verify proves inclusion against the
//     signed checkpoint and never compares the proof's plain treeSize and rootHash with it, so a
//     bundle contradicting itself verified. Upstream fix: require both to agree, as sigstore-go does.
//   - Rekor intoto 0.0.1 entries (intoto-v001.ts): @sigstore/verify refuses them ("unsupported
//     intoto version"); cosign 1.x and slsa-github-generator before v1.10 wrote them. Upstream
//     fix: read the 0.0.1 body (envelope hash, payload hash, PEM certificate).
//   - trusted roots (trust/material.ts): @sigstore/verify's toTrustMaterial treats a missing
//     validFor.start as "trusted forever" and parses PKIX RSA keys as PKCS#1; we build the
//     TrustMaterial ourselves (public types only, so no internal is reached for it).

import { ASN1Obj, type X509Certificate } from '@sigstore/core';
import type { SignedEntity, Signer, Verifier } from '@sigstore/verify';

// Not exported at @sigstore/verify's root; the Verifier calls these for the same checks.
export { verifyCertificateChain } from '@sigstore/verify/dist/key/certificate.js';
export { filterTLogAuthorities } from '@sigstore/verify/dist/trust/filter.js';
// A shipped file of @sigstore/tuf (its package "files"), not an entry point: the public-good seeds.
export { default as tufSeeds } from '@sigstore/tuf/seeds.json' with { type: 'json' };

/** One reach past a sigstore-js public entry point: what, where, why, and who relies on it. */
export interface SigstoreInternal {
  /** The package reached into; its version is pinned exactly. */
  readonly package: '@sigstore/verify' | '@sigstore/core' | '@sigstore/tuf';
  /** How it is reached: a path inside the package, a TypeScript-private member, an unexported class. */
  readonly kind: 'deep import' | 'private member' | 'unexported class';
  /** The path (for a deep import) or Class.member. */
  readonly name: string;
  readonly usedBy: readonly string[];
  readonly why: string;
}

export const SIGSTORE_INTERNALS: readonly SigstoreInternal[] = [
  {
    package: '@sigstore/verify',
    kind: 'deep import',
    name: 'dist/key/certificate.js#verifyCertificateChain',
    usedBy: ['signing-key.ts'],
    why: 'the fast signing-key stage checks the certificate chain with the function the Verifier uses',
  },
  {
    package: '@sigstore/verify',
    kind: 'deep import',
    name: 'dist/trust/filter.js#filterTLogAuthorities',
    usedBy: ['signing-key.ts'],
    why: "the fast signing-key stage picks the CT logs for an SCT as the Verifier's verifySCTs does",
  },
  {
    package: '@sigstore/verify',
    kind: 'private member',
    name: 'Verifier.verifySigningKey',
    usedBy: ['signing-key.ts', 'trust/material.ts'],
    why: 'replaced per Verifier by the faster stage, which falls back to it; verify() calls it as (entity, timestamps) => Signer',
  },
  {
    package: '@sigstore/core',
    kind: 'private member',
    name: 'X509Certificate.findExtension',
    usedBy: ['certificate-cache.ts'],
    why: 'an extension index replaces its linear search (every extension getter calls it with an OID)',
  },
  {
    package: '@sigstore/core',
    kind: 'unexported class',
    name: 'ASN1Tag (via ASN1Obj#tag.constructor)',
    usedBy: ['der.ts'],
    why: "the strict DER reader builds the same tree as ASN1Obj.parseBuffer, with the parser's own tag objects",
  },
  {
    package: '@sigstore/tuf',
    kind: 'deep import',
    name: 'seeds.json',
    usedBy: ['trust/public-good.ts'],
    why: 'the public-good TUF root and trusted-root snapshot the action ships, inlined by the bundler',
  },
];

/** The class of an ASN1Obj's tag; @sigstore/core does not export it. */
export type ASN1Tag = ASN1Obj['tag'];

// One instance of the parser's tag gives the constructor (an ASN.1 NULL: tag 0x05, length 0).
export const ASN1TagClass = ASN1Obj.parseBuffer(Buffer.from([0x05, 0x00])).tag.constructor as new (
  byte: number,
) => ASN1Tag;

/** The Verifier's signing-key stage, as verify() calls it (TypeScript-private there). */
export type SigningKeyStage = (entity: SignedEntity, timestamps: Date[]) => Signer;

/** Replaces `verifier`'s signing-key stage with `replace(original)`; returns the same Verifier. */
export function replaceSigningKeyStage(
  verifier: Verifier,
  replace: (original: SigningKeyStage) => SigningKeyStage,
): Verifier {
  const original = (verifier as unknown as { verifySigningKey: SigningKeyStage }).verifySigningKey.bind(verifier);
  Object.defineProperty(verifier, 'verifySigningKey', { value: replace(original) });
  return verifier;
}

/**
 * Makes `cert` look its extensions up with `find` (an own property over the TypeScript-private
 * method): `find` must return the first extension with the OID, as the linear search does.
 */
export function replaceFindExtension(cert: X509Certificate, find: (oid: string) => ASN1Obj | undefined): void {
  Object.defineProperty(cert, 'findExtension', { value: find });
}
