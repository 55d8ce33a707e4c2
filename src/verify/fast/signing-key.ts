// The Verifier's signing-key stage (certificate chain, SCTs, signer) without the work a bundle
// does not need: sigstore-js builds the signer's identity from every certificate extension (each
// OID split into numbers) for a policy this module never gives it, assembles the SCT's signed
// data in growing buffers, and hashes the same trusted issuer key for every bundle. Here the chain
// is checked by sigstore-js' own function, each SCT's signature by its own method over the same
// bytes, the key imported as there, and what getSigner reads it still reads (so it fails where
// that would). When anything does not pass, or the bundle is not signed with a certificate, the
// Verifier's own stage runs instead and passes or fails with its own error: this can only make a
// pass faster, never change a verdict.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { crypto, EXTENSION_OID_SCT, X509SCTExtension, type X509Certificate } from '@sigstore/core';
import type { SignedEntity, Signer, TrustMaterial, Verifier } from '@sigstore/verify';
import {
  filterTLogAuthorities,
  replaceSigningKeyStage,
  verifyCertificateChain,
  type SigningKeyStage,
} from '../crypto/sigstore-internals.ts';

const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

/** `verifier`, its signing-key stage made faster for certificate-signed bundles. */
export function withFastSigningKey(verifier: Verifier, material: TrustMaterial, ctlogThreshold: number): Verifier {
  return replaceSigningKeyStage(
    verifier,
    (stage): SigningKeyStage =>
      (entity, timestamps) =>
        certificateSigner(entity, timestamps, material, ctlogThreshold) ?? stage(entity, timestamps),
  );
}

function certificateSigner(
  entity: SignedEntity,
  timestamps: Date[],
  material: TrustMaterial,
  ctlogThreshold: number,
): Signer | undefined {
  const key = entity.key;
  return key.$case === 'certificate' ? leafSigner(key.certificate, timestamps, material, ctlogThreshold) : undefined;
}

/**
 * The signing-key stage for a certificate-signed bundle: verifyCertificate (the chain at every
 * timestamp, each SCT) and the Verifier's SCT count and duplicate checks, then the signer. A
 * Signer only when every check passes; undefined for "let the Verifier decide" (it may still
 * pass a bundle this refuses, never the other way round). Also the fast path's (fast-path.ts).
 */
export function leafSigner(
  leaf: X509Certificate,
  timestamps: readonly Date[],
  material: TrustMaterial,
  ctlogThreshold: number,
): Signer | undefined {
  try {
    let path: X509Certificate[] = [];
    for (const timestamp of timestamps) path = verifyCertificateChain(timestamp, leaf, material.certificateAuthorities);
    // path[0] is the leaf itself (CertificateChainVerifier puts it first), as verifyCertificate reads it.
    const [first, issuer] = path;
    if (!first || !issuer) return undefined;
    const logIDs = verifiedSCTs(first, issuer, material.ctlogs);
    if (
      !logIDs ||
      logIDs.length < ctlogThreshold ||
      logIDs.some((id, i) => logIDs.slice(i + 1).some((other) => isDeepStrictEqual(id, other)))
    )
      return undefined;
    return signer(first);
  } catch {
    return undefined;
  }
}

/** verifySCTs: the log IDs of the leaf's SCTs, each verified by a trusted CT log; undefined where one is not. */
function verifiedSCTs(
  leaf: X509Certificate,
  issuer: X509Certificate,
  ctlogs: TrustMaterial['ctlogs'],
): Buffer[] | undefined {
  // The first SCT extension, found as verifySCTs finds it (reading each OID until then).
  const extensions = leaf.extensions;
  let at = -1;
  for (let i = 0; i < extensions.length && at < 0; i++) {
    const first = extensions[i]?.subs[0];
    if (!first) return undefined; // verifySCTs would throw here
    if (first.toOID() === EXTENSION_OID_SCT) at = i;
  }
  const extension = extensions[at];
  if (!extension) return [];
  const scts = new X509SCTExtension(extension).signedCertificateTimestamps;
  if (scts.length === 0) return [];
  // The precertificate: the TBS part without the SCT extension, after the issuer key's hash and
  // a 24-bit length (RFC 6962, 3.2).
  const clone = leaf.clone();
  clone.extensions.splice(at, 1);
  const tbs = clone.tbsCertificate.toDER();
  if (tbs.length >= 2 ** 24) return undefined;
  const preCert = Buffer.concat([
    issuerKeyHash(issuer),
    Buffer.from([tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff]),
    tbs,
  ]);
  const logIDs: Buffer[] = [];
  for (const sct of scts) {
    const logs = filterTLogAuthorities(ctlogs, { logID: sct.logID, targetDate: sct.datetime });
    if (!logs.some((log) => sct.verify(preCert, log.publicKey))) return undefined;
    logIDs.push(sct.logID);
  }
  return logIDs;
}

// Per issuer certificate object (a trusted one: path[1] is never the bundle's leaf), whose key never changes.
const issuerKeyHashes = new WeakMap<X509Certificate, Buffer>();

function issuerKeyHash(issuer: X509Certificate): Buffer {
  let hash = issuerKeyHashes.get(issuer);
  if (!hash) {
    hash = crypto.digest('sha256', issuer.publicKey);
    issuerKeyHashes.set(issuer, hash);
  }
  return hash;
}

// getSigner's signer: the same reads (each extension's OID, which throws for one that has none;
// the issuer extension; the SAN) and key import, without the list of every extension's OID as
// numbers, which only a Verifier policy would read.
function signer(leaf: X509Certificate): Signer | undefined {
  if (!leaf.extensions.every((ext) => ext.subs[0]?.tag.isOID())) return undefined;
  const v2 = leaf.extension(OID_FULCIO_ISSUER_V2);
  const issuer = v2
    ? v2.valueObj.subs[0]?.value.toString('ascii')
    : leaf.extension(OID_FULCIO_ISSUER_V1)?.value.toString('ascii');
  const subjectAlternativeName = leaf.subjectAltName;
  return {
    key: importSPKI(leaf.publicKey),
    identity: {
      extensions: issuer === undefined ? {} : { issuer },
      ...(subjectAlternativeName === undefined ? {} : { subjectAlternativeName }),
    },
  };
}

/**
 * The key crypto.createPublicKey(spki) imports, read from PEM: OpenSSL's DER path tries one
 * decoder after another before the SubjectPublicKeyInfo one, and takes about twice as long
 * (~75 against ~40 µs here, once per bundle). Same decoder, same key, same errors for bad bytes.
 */
function importSPKI(spki: Buffer): KeyObject {
  return createPublicKey(`-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`);
}
