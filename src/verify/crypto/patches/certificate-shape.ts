// The outer shape of an X.509 certificate (RFC 5280 §4.1). Neither @sigstore/core's parser nor
// its X509Certificate looks at the tags of the certificate's own three parts: they read "a
// constructed object with three children" and take the signed part's bytes and the signature's
// contents from it. So a certificate whose outer SEQUENCE tag or signature BIT STRING header was
// changed still verified — nothing is forged (the signed bytes are the same), but a verifier must
// not accept bytes that are not the certificate that was issued. Here: strict DER (as Go's x509,
// which cosign and gh attestation verify use, requires), SEQUENCE { tbsCertificate SEQUENCE,
// signatureAlgorithm SEQUENCE, signatureValue BIT STRING with no unused bits }, and the signature
// algorithm inside the signed part equal to the one outside (§4.1.1.2: the two MUST be the same).

import type { ASN1Obj } from '@sigstore/core';
import { readDER } from '../../fast/der.ts';

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
const VERSION = 0xa0; // [0] EXPLICIT, optional

const tagOf = (obj: ASN1Obj | undefined): number | undefined => obj?.tag.toDER();

/** What is wrong with the certificate's outer shape, in a few words; undefined when nothing is. */
export function certificateShapeProblem(der: Uint8Array): string | undefined {
  const root = readDER(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  return root ? shapeProblem(root) : 'not strict DER';
}

/** certificateShapeProblem for a certificate already read by readDER. */
export function shapeProblem(root: ASN1Obj): string | undefined {
  if (tagOf(root) !== SEQUENCE) return 'not a DER SEQUENCE';
  const [tbs, algorithm, signature, ...more] = root.subs;
  if (tagOf(tbs) !== SEQUENCE) return 'no tbsCertificate SEQUENCE';
  if (tagOf(algorithm) !== SEQUENCE) return 'no signatureAlgorithm SEQUENCE';
  if (tagOf(signature) !== BIT_STRING) return 'no signatureValue BIT STRING';
  if (more.length > 0) return 'more than three parts';
  // A signature is whole bytes: the BIT STRING's first content byte counts unused bits, and must be 0.
  if (signature?.value[0] !== 0) return 'a signature BIT STRING with unused bits';
  // tbsCertificate: [0] version (optional), serialNumber, signature — the inner algorithm.
  const fields = tbs?.subs ?? [];
  const inner = fields[tagOf(fields[0]) === VERSION ? 2 : 1];
  if (!inner || !algorithm || !inner.toDER().equals(algorithm.toDER()))
    return 'a signature algorithm that differs from the signed one';
  return undefined;
}
