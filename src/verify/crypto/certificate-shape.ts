// The outer shape of an X.509 certificate (RFC 5280 §4.1), checked on its bytes. Neither
// @sigstore/core's parser nor the DER reader looks at the tags of the certificate's own three
// parts: they read "a constructed object with three children" and take the signed part's bytes
// and the signature's contents from it. So a certificate whose outer SEQUENCE tag or signature
// BIT STRING header was changed still verified — nothing is forged (the signed bytes are the
// same), but a verifier must not accept bytes that are not the certificate that was issued.
// Here: SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signatureValue BIT
// STRING with no unused bits }, nothing after it, and the signature algorithm inside the signed
// part equal to the one outside (§4.1.1.2: the two MUST be the same).

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;

interface Part {
  tag: number;
  /** Where the contents start and end. */
  start: number;
  end: number;
}

// One DER header at `at` within `limit`: definite lengths only, in the minimal form.
function partAt(der: Uint8Array, at: number, limit: number): Part | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at] ?? 0;
  let length = der[at + 1] ?? 0;
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit || der[start] === 0) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
    if (length < 128) return undefined;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : undefined;
}

const same = (der: Uint8Array, a: Part, b: Part): boolean => {
  if (a.end - a.start !== b.end - b.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (der[a.start + i] !== der[b.start + i]) return false;
  return true;
};

/** What is wrong with the certificate's outer shape, in a few words; undefined when nothing is. */
export function certificateShapeProblem(der: Uint8Array): string | undefined {
  const outer = partAt(der, 0, der.length);
  if (!outer || outer.tag !== SEQUENCE) return 'not a DER SEQUENCE';
  if (outer.end !== der.length) return 'bytes after the certificate';
  const tbs = partAt(der, outer.start, outer.end);
  if (!tbs || tbs.tag !== SEQUENCE) return 'no tbsCertificate SEQUENCE';
  const algorithm = partAt(der, tbs.end, outer.end);
  if (!algorithm || algorithm.tag !== SEQUENCE) return 'no signatureAlgorithm SEQUENCE';
  const signature = partAt(der, algorithm.end, outer.end);
  if (!signature || signature.tag !== BIT_STRING) return 'no signatureValue BIT STRING';
  if (signature.end !== outer.end) return 'more than three parts';
  // A signature is whole bytes: the BIT STRING's first content byte counts unused bits, and must be 0.
  if (signature.end === signature.start || der[signature.start] !== 0) return 'a signature BIT STRING with unused bits';
  // tbsCertificate: [0] version (optional), serialNumber, signature — the inner algorithm.
  let at = tbs.start;
  const first = partAt(der, at, tbs.end);
  if (first?.tag === 0xa0) at = first.end;
  const serial = partAt(der, at, tbs.end);
  const inner = serial && partAt(der, serial.end, tbs.end);
  if (!inner || inner.tag !== SEQUENCE || !same(der, inner, algorithm)) return 'a signature algorithm that differs from the signed one';
  return undefined;
}
