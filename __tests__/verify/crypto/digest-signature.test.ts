// Signatures checked over a given SHA-256 digest (verifyOverSHA256Digest): ECDSA through
// @noble/curves agrees with node:crypto's signatures, and with OpenSSL on what it refuses and what it
// accepts: a changed digest or signature, another key or curve, values out of range and non-DER
// encodings are refused; high S is accepted. RSA PKCS#1 v1.5 over a digest, and the refusal of
// other key types.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { verifyOverSHA256Digest } from '../../../src/verify/crypto/digest-signature.ts';
import { VerificationError } from '../../../src/verify/types.ts';

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

const ORDER = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384': 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
} as const;

// Minimal DER for an ECDSA-Sig-Value, to build edge cases.
function derSig(r: Buffer, s: Buffer): Buffer {
  const int = (v: Buffer): Buffer => Buffer.concat([Buffer.from([0x02, v.length]), v]);
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
// The minimal DER INTEGER content of a positive value.
function positive(v: bigint): Buffer {
  const hex = v.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}
const toBigInt = (bytes: Buffer): bigint => BigInt(`0x${bytes.toString('hex')}`);

/** A node:crypto signature over `data`, with its r and s (from the same signature in IEEE P1363 form). */
function signed(privateKey: KeyObject, data: Buffer, size: number): { der: Buffer; r: bigint; s: bigint } {
  const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const r = toBigInt(raw.subarray(0, size));
  const s = toBigInt(raw.subarray(size));
  return { der: derSig(positive(r), positive(s)), r, s };
}

void describe('verifyOverSHA256Digest: ECDSA', () => {
  for (const curve of ['P-256', 'P-384'] as const) {
    void it(`accepts node:crypto ${curve} signatures over SHA-256 and rejects changed ones`, () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const other = generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
      for (let i = 0; i < 20; i++) {
        const data = randomBytes(1 + i * 7);
        const signature = sign('sha256', data, privateKey);
        const digest = sha256(data);
        assert.equal(verifyOverSHA256Digest(publicKey, digest, signature), true);
        assert.equal(verifyOverSHA256Digest(other, digest, signature), false, 'another key');
        const flipped = Buffer.from(digest);
        flipped[i % 32] = (flipped[i % 32] ?? 0) ^ 0x01;
        assert.equal(verifyOverSHA256Digest(publicKey, flipped, signature), false, 'another digest');
        const tampered = Buffer.from(signature);
        tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
        assert.equal(verifyOverSHA256Digest(publicKey, digest, tampered), false, 'a changed signature');
      }
    });

    void it(`accepts a high-S ${curve} signature (s' = n - s), as OpenSSL does`, () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const n = ORDER[curve];
      for (let i = 0; i < 8; i++) {
        const data = randomBytes(16);
        const { r, s } = signed(privateKey, data, curve === 'P-256' ? 32 : 48);
        const mirrored = derSig(positive(r), positive(n - s));
        assert.equal(verify('sha256', data, publicKey, mirrored), true, 'OpenSSL accepts it');
        assert.equal(verifyOverSHA256Digest(publicKey, sha256(data), mirrored), true);
      }
    });
  }

  void it('rejects a signature on another curve', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const data = Buffer.from('artifact');
    assert.equal(verifyOverSHA256Digest(p384.publicKey, sha256(data), sign('sha256', data, p256.privateKey)), false);
    assert.equal(verifyOverSHA256Digest(p256.publicKey, sha256(data), sign('sha256', data, p384.privateKey)), false);
  });

  void it('uses the leftmost bits of a digest longer than the order (SHA-512 on P-256)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = randomBytes(64);
    const signature = sign('sha512', data, privateKey);
    assert.equal(verifyOverSHA256Digest(publicKey, createHash('sha512').update(data).digest(), signature), true);
  });

  void it('rejects r or s of zero or not below the order, and non-DER encodings, as OpenSSL does', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const n = ORDER['P-256'];
    const data = Buffer.from('artifact');
    const digest = sha256(data);
    // A signature whose r has its top bit set, so that it can also be written as a negative INTEGER.
    let sig = signed(privateKey, data, 32);
    while (sig.r < 1n << 255n) sig = signed(privateKey, data, 32);
    const { der: signature, r, s } = sig;
    const cases: [string, Buffer, boolean][] = [
      ['the same values, DER-encoded', signature, true],
      ['r = 0', derSig(positive(0n), positive(s)), false],
      ['s = 0', derSig(positive(r), positive(0n)), false],
      ['s = n', derSig(positive(r), positive(n)), false],
      ['r = n', derSig(positive(n), positive(s)), false],
      // s + n is the same residue but not a valid encoding of s.
      ['s + n', derSig(positive(r), positive(s + n)), false],
      ['a trailing byte', Buffer.concat([signature, Buffer.from([0])]), false],
      ['a superfluous leading zero', derSig(Buffer.concat([Buffer.from([0]), positive(r)]), positive(s)), false],
      ['r written as a negative INTEGER', derSig(positive(r).subarray(1), positive(s)), false],
      [
        'a long-form length where the short form fits',
        Buffer.concat([Buffer.from([0x30, 0x81, signature.length - 2]), signature.subarray(2)]),
        false,
      ],
      ['the SEQUENCE cut short', signature.subarray(0, signature.length - 1), false],
      [
        'the raw r || s form',
        Buffer.from(r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'), 'hex'),
        false,
      ],
    ];
    for (const [what, candidate, expected] of cases) {
      assert.equal(verify('sha256', data, publicKey, candidate), expected, `OpenSSL on ${what}`);
      assert.equal(verifyOverSHA256Digest(publicKey, digest, candidate), expected, what);
    }
  });

  void it('says false, without throwing, for malformed signatures', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const digest = sha256(Buffer.from('artifact'));
    for (const signature of [
      Buffer.alloc(0),
      Buffer.from([0x30]),
      Buffer.from([0x30, 0x00]),
      randomBytes(96),
      Buffer.alloc(10_000, 0x30),
    ])
      assert.equal(verifyOverSHA256Digest(publicKey, digest, signature), false, signature.toString('hex').slice(0, 16));
  });

  void it('does not check other curves (P-521 is refused as a signature failure)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const data = Buffer.from('x');
    assert.throws(
      () => verifyOverSHA256Digest(publicKey, sha256(data), sign('sha256', data, privateKey)),
      (err: unknown) =>
        err instanceof VerificationError && err.failure.check === 'signature' && /secp521r1/.test(err.failure.found),
    );
  });
});

void describe('verifyOverSHA256Digest: RSA and other keys', () => {
  void it('verifies RSA PKCS#1 v1.5 signatures from the digest', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = Buffer.from('artifact');
    const signature = sign('sha256', data, privateKey);
    assert.equal(verifyOverSHA256Digest(publicKey, sha256(data), signature), true);
    assert.equal(verifyOverSHA256Digest(publicKey, sha256(Buffer.from('other')), signature), false);
    assert.equal(verifyOverSHA256Digest(publicKey, sha256(data), Buffer.alloc(256, 1)), false);
  });

  void it('refuses key types that cannot be checked against a digest, as a signature failure', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const data = Buffer.from('artifact');
    assert.throws(
      () => verifyOverSHA256Digest(publicKey, sha256(data), sign(null, data, privateKey)),
      (err: unknown) =>
        err instanceof VerificationError && err.failure.check === 'signature' && /ed25519/.test(err.failure.found),
    );
  });
});
