// Speed for sigstore-js' certificate checks, without changing a verdict. For every bundle it
// re-encodes certificates from their parsed trees a dozen times (each comparison, each signature
// check, each public key; about a kilobyte allocated per ASN.1 node) and re-verifies the trusted
// chain (P-384: about a millisecond per signature). The certificates given here are never
// modified — the SCT check edits a clone, which is parsed anew — so their encodings, and a
// trusted certificate's verdicts on its issuers, are computed once and kept on the instance.

import type { ASN1Obj, X509Certificate } from '@sigstore/core';

/** Keeps the certificate's DER, its TBS part's DER (what its signature covers) and its public key. */
export function withCachedEncoding(cert: X509Certificate): X509Certificate {
  const root = cert.root;
  const der = encode(root);
  root.toDER = () => der;
  const tbs = cert.tbsCertificate;
  const tbsDER = encode(tbs);
  tbs.toDER = () => tbsDER;
  // An own property shadows the prototype's getter, which re-encodes on every read.
  Object.defineProperty(cert, 'publicKey', { value: cert.publicKey });
  return cert;
}

/** For trusted certificates: also remembers whether each issuer (or itself) signed it. */
export function withRememberedSignatures(cert: X509Certificate): X509Certificate {
  withCachedEncoding(cert);
  const verify = cert.verify.bind(cert);
  const byIssuer = new WeakMap<X509Certificate, boolean>();
  let self: boolean | undefined;
  cert.verify = (issuer?: X509Certificate): boolean => {
    if (!issuer) return (self ??= verify());
    let verdict = byIssuer.get(issuer);
    if (verdict === undefined) {
      verdict = verify(issuer);
      byIssuer.set(issuer, verdict);
    }
    return verdict;
  };
  return cert;
}

/** ASN1Obj.toDER's encoding (tag, definite length, value or encoded children), without its buffers. */
export function encode(obj: ASN1Obj): Buffer {
  const value = obj.subs.length > 0 ? Buffer.concat(obj.subs.map(encode)) : obj.value;
  return Buffer.concat([Buffer.from([obj.tag.toDER()]), encodeLength(value.length), value]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
