// ECDSA verification over a digest the caller already has (FIPS 186-5, 6.4.2), for P-256 and P-384.
// Node's crypto only verifies over the message, hashing it itself; a message-signature bundle
// checked against `sha256:<hex>` has no message. sigstore-js' conformance wrapper uses the
// `elliptic` package for this; BigInt arithmetic is enough here, since only public values are
// involved (verification needs no constant time). Tested against node:crypto's signatures.

import type { KeyObject } from 'node:crypto';

interface Curve {
  p: bigint; // field prime
  b: bigint; // a = -3 for both curves
  n: bigint; // group order
  g: Affine;
}
interface Affine {
  x: bigint;
  y: bigint;
}
// Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity.
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    g: {
      x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
      y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    },
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    g: {
      x: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
      y: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    },
  },
};

/** Whether `key` (an EC public key on P-256 or P-384) can be checked here. */
export function supportsPrehashedECDSA(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && (key.asymmetricKeyDetails?.namedCurve ?? '') in CURVES;
}

/** Verifies a DER-encoded ECDSA signature over `digest`; false for anything that does not verify. */
export function verifyPrehashedECDSA(key: KeyObject, digest: Uint8Array, derSignature: Uint8Array): boolean {
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (key.asymmetricKeyType !== 'ec' || !curve) return false;
  const q = publicPoint(key);
  const sig = parseDERSignature(derSignature);
  if (!q || !sig || !onCurve(curve, q)) return false;
  const { r, s } = sig;
  const { n } = curve;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const e = truncatedDigest(digest, n);
  const w = invert(s, n);
  const u1 = mod(e * w, n);
  const u2 = mod(r * w, n);
  const point = toAffine(curve, shamir(curve, u1, curve.g, u2, q));
  return point !== undefined && mod(point.x, n) === r;
}

// The leftmost bits of the digest, as many as the order has (a SHA-256 digest on P-384 is used whole).
function truncatedDigest(digest: Uint8Array, n: bigint): bigint {
  const e = bytesToBigInt(digest);
  const excess = digest.length * 8 - n.toString(2).length;
  return excess > 0 ? e >> BigInt(excess) : e;
}

function publicPoint(key: KeyObject): Affine | undefined {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined;
  return { x: bytesToBigInt(Buffer.from(jwk.x, 'base64url')), y: bytesToBigInt(Buffer.from(jwk.y, 'base64url')) };
}

function onCurve({ p, b }: Curve, { x, y }: Affine): boolean {
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return mod(y * y - (x * x * x - 3n * x + b), p) === 0n;
}

// u1·G + u2·Q in one pass over the bits (Shamir's trick).
function shamir(curve: Curve, u1: bigint, g: Affine, u2: bigint, q: Affine): Jacobian {
  const G = { X: g.x, Y: g.y, Z: 1n };
  const Q = { X: q.x, Y: q.y, Z: 1n };
  const GQ = add(curve, G, Q);
  let acc: Jacobian = { X: 1n, Y: 1n, Z: 0n };
  for (let bit = BigInt(Math.max(u1.toString(2).length, u2.toString(2).length) - 1); bit >= 0n; bit--) {
    acc = double(curve, acc);
    const b1 = (u1 >> bit) & 1n;
    const b2 = (u2 >> bit) & 1n;
    if (b1 && b2) acc = add(curve, acc, GQ);
    else if (b1) acc = add(curve, acc, G);
    else if (b2) acc = add(curve, acc, Q);
  }
  return acc;
}

// dbl-2001-b (a = -3).
function double({ p }: Curve, P: Jacobian): Jacobian {
  if (P.Z === 0n || P.Y === 0n) return { X: 1n, Y: 1n, Z: 0n };
  const delta = mod(P.Z * P.Z, p);
  const gamma = mod(P.Y * P.Y, p);
  const beta = mod(P.X * gamma, p);
  const alpha = mod(3n * (P.X - delta) * (P.X + delta), p);
  const X = mod(alpha * alpha - 8n * beta, p);
  const Z = mod((P.Y + P.Z) * (P.Y + P.Z) - gamma - delta, p);
  const Y = mod(alpha * (4n * beta - X) - 8n * gamma * gamma, p);
  return { X, Y, Z };
}

// add-2007-bl, falling back to doubling when both inputs are the same point.
function add(curve: Curve, P: Jacobian, Q: Jacobian): Jacobian {
  if (P.Z === 0n) return Q;
  if (Q.Z === 0n) return P;
  const { p } = curve;
  const z1z1 = mod(P.Z * P.Z, p);
  const z2z2 = mod(Q.Z * Q.Z, p);
  const u1 = mod(P.X * z2z2, p);
  const u2 = mod(Q.X * z1z1, p);
  const s1 = mod(P.Y * Q.Z * z2z2, p);
  const s2 = mod(Q.Y * P.Z * z1z1, p);
  const h = mod(u2 - u1, p);
  const r = mod(2n * (s2 - s1), p);
  if (h === 0n) return r === 0n ? double(curve, P) : { X: 1n, Y: 1n, Z: 0n };
  const i = mod(4n * h * h, p);
  const j = mod(h * i, p);
  const v = mod(u1 * i, p);
  const X = mod(r * r - j - 2n * v, p);
  const Y = mod(r * (v - X) - 2n * s1 * j, p);
  const Z = mod(((P.Z + Q.Z) * (P.Z + Q.Z) - z1z1 - z2z2) * h, p);
  return { X, Y, Z };
}

function toAffine({ p }: Curve, P: Jacobian): Affine | undefined {
  if (P.Z === 0n) return undefined;
  const zInv = invert(P.Z, p);
  const zInv2 = mod(zInv * zInv, p);
  return { x: mod(P.X * zInv2, p), y: mod(P.Y * zInv2 * zInv, p) };
}

/** The two INTEGERs of an ECDSA-Sig-Value, from strict DER only (as OpenSSL requires). */
export function parseDERSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const outer = readTLV(der, 0, 0x30);
  if (!outer || outer.end !== der.length) return undefined;
  const r = readTLV(der, outer.start, 0x02);
  const s = r && readTLV(der, r.end, 0x02);
  if (!r || !s || s.end !== outer.end) return undefined;
  const ri = derInteger(der.subarray(r.start, r.end));
  const si = derInteger(der.subarray(s.start, s.end));
  return ri === undefined || si === undefined ? undefined : { r: ri, s: si };
}

function readTLV(der: Uint8Array, offset: number, tag: number): { start: number; end: number } | undefined {
  if (der[offset] !== tag) return undefined;
  const first = der[offset + 1];
  if (first === undefined) return undefined;
  let length = first;
  let start = offset + 2;
  if (first >= 0x80) {
    // One length byte is all a P-256/P-384 signature needs; DER allows the long form only where
    // the short one cannot say it.
    const next = der[offset + 2];
    if (first !== 0x81 || next === undefined || next < 0x80) return undefined;
    length = next;
    start = offset + 3;
  }
  const end = start + length;
  return end <= der.length ? { start, end } : undefined;
}

// A positive INTEGER in minimal encoding: no sign bit set, no superfluous leading zero.
function derInteger(bytes: Uint8Array): bigint | undefined {
  const [b0, b1] = bytes;
  if (b0 === undefined || b0 & 0x80) return undefined;
  if (b0 === 0 && b1 !== undefined && !(b1 & 0x80)) return undefined;
  return bytesToBigInt(bytes);
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

// Extended Euclid; m is prime and a is non-zero mod m wherever this is called.
function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}
