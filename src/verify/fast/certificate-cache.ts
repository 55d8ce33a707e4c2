// Speed for sigstore-js' certificate checks, without changing a verdict. For every bundle it
// parses the leaf certificate twice (once more to clone it for the SCT check), throwing and
// catching an exception per extension while parsing; it re-encodes certificates from their
// parsed trees a dozen times (each comparison, each signature check, each public key; about a
// kilobyte allocated per ASN.1 node); it looks extensions up by decoding every extension's OID
// again; it imports the issuer's public key for every signature check; and it verifies a chain
// again per timestamp. A certificate read here (parseCertificate) keeps what it was read from:
// its encodings are the bytes themselves (der.ts), its extensions are indexed once, its
// signature verdict is kept per issuer (a verdict on the same certificate object and the same
// issuer object, both immutable), and issuers' keys are imported once per certificate object.
// Certificates are never modified — the SCT check edits a clone, which shares no list with the
// original — so nothing kept can go stale.

import { ASN1Obj, crypto, X509Certificate } from '@sigstore/core';
import type { KeyObject } from 'node:crypto';
import { shapeProblem } from '../crypto/patches/certificate-shape.ts';
import { readDER } from './der.ts';
import { replaceFindExtension } from '../crypto/sigstore-internals.ts';

/**
 * A certificate from its DER bytes, as X509Certificate.parse reads it (and failing with its error
 * when the bytes are not a strict DER certificate). `der` must not be modified afterwards.
 */
export function parseCertificate(der: Buffer<ArrayBuffer>): X509Certificate {
  // What the strict reader refuses, @sigstore/core's parser either refuses too (with its own
  // message) or reads; the latter gets the slower cache.
  return readCertificate(der) ?? withCachedEncoding(X509Certificate.parse(der));
}

/** The certificate in `der` when it is strict DER (what parseCertificate reads fast); else undefined. */
export function readCertificate(der: Buffer): X509Certificate | undefined {
  const root = readDER(der);
  // A certificate out of its issued shape is read (and refused, for a bundle's) by the slow path.
  return root && !shapeProblem(root) ? new ReadCertificate(root) : undefined;
}

// A key per certificate object: a trusted certificate's is imported once per run, an issuer's
// found in a bundle once per bundle.
const publicKeys = new WeakMap<X509Certificate, KeyObject>();

function publicKeyOf(cert: X509Certificate): KeyObject {
  let key = publicKeys.get(cert);
  if (!key) {
    // As X509Certificate.verify imports it; a key that does not import throws, as there.
    key = crypto.createPublicKey(cert.publicKey);
    publicKeys.set(cert, key);
  }
  return key;
}

class ReadCertificate extends X509Certificate {
  readonly #verdicts = new WeakMap<X509Certificate, boolean>();
  #notBefore: number | undefined;
  #notAfter: number | undefined;

  constructor(root: ASN1Obj) {
    super(root);
    const index = extensionIndex(this);
    // The first extension with the OID, as its linear search finds it.
    if (index) replaceFindExtension(this, (oid) => index.get(oid));
  }

  // Validity is checked per trusted certificate per bundle; each read parses the time text again.
  override get notBefore(): Date {
    return new Date((this.#notBefore ??= super.notBefore.getTime()));
  }

  override get notAfter(): Date {
    return new Date((this.#notAfter ??= super.notAfter.getTime()));
  }

  /** Whether `issuer` (or this certificate itself) signed it: X509Certificate.verify, remembered. */
  override verify(issuer?: X509Certificate): boolean {
    const signer = issuer ?? this;
    let verdict = this.#verdicts.get(signer);
    if (verdict === undefined) {
      verdict = crypto.verify(
        this.tbsCertificate.toDER(),
        publicKeyOf(signer),
        this.signatureValue,
        this.signatureAlgorithm,
      );
      this.#verdicts.set(signer, verdict);
    }
    return verdict;
  }

  /**
   * A copy whose extension list can be edited (the SCT check removes the SCT extension and
   * re-encodes the TBS part): new objects on the path from the root to that list, the rest shared.
   */
  override clone(): X509Certificate {
    const root = this.root;
    const [tbs, ...rest] = root.subs;
    if (!tbs) return super.clone();
    const subs = tbs.subs.slice();
    const at = subs.findIndex((sub) => sub.tag.isContextSpecific(0x03));
    const wrapper = subs[at];
    const list = wrapper?.subs[0];
    if (wrapper && list) subs[at] = copy(wrapper, [copy(list, list.subs.slice()), ...wrapper.subs.slice(1)]);
    return new X509Certificate(copy(root, [copy(tbs, subs), ...rest]));
  }
}

const copy = (obj: ASN1Obj, subs: ASN1Obj[]): ASN1Obj => new CopiedASN1(obj.tag, obj.value, subs);

// A copied object encodes as ASN1Obj.toDER does (from its children as they are when it is
// encoded, or its value when it has none), without a growing buffer per object; a shared child
// returns its bytes.
class CopiedASN1 extends ASN1Obj {
  override toDER(): Buffer {
    const value = this.subs.length > 0 ? Buffer.concat(this.subs.map((sub) => sub.toDER())) : this.value;
    return Buffer.concat([Buffer.from([this.tag.toDER()]), encodeLength(value.length), value]);
  }
}

/**
 * OID → first extension with it. Undefined where the linear search could throw instead: a
 * certificate without the expected structure, an extension that does not start with an OID.
 */
function extensionIndex(cert: X509Certificate): Map<string, ASN1Obj> | undefined {
  const index = new Map<string, ASN1Obj>();
  try {
    for (const ext of cert.extensions) {
      const first = ext.subs[0];
      if (!first) return undefined;
      const oid = first.toOID();
      if (!index.has(oid)) index.set(oid, ext);
    }
  } catch {
    return undefined;
  }
  return index;
}

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
  if (cert instanceof ReadCertificate) return cert; // remembers already
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
