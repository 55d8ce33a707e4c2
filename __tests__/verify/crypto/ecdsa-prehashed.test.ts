// ECDSA over a given digest (our BigInt arithmetic) agrees with node:crypto's signatures, and
// refuses what OpenSSL would refuse: a changed digest or signature, another key, values out of
// range, non-DER encodings. RSA PKCS#1 v1.5 over a digest, and the refusal of other key types.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { parseDERSignature, verifyPrehashedECDSA } from '../../../src/verify/crypto/ecdsa-prehashed.ts';
import { verifyOverSHA256Digest } from '../../../src/verify/crypto/digest-signature.ts';
import { VerificationError } from '../../../src/verify/types.ts';

const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

// Minimal DER for an ECDSA-Sig-Value, to build edge cases.
function derSig(r: Buffer, s: Buffer): Buffer {
  const int = (v: Buffer): Buffer => Buffer.concat([Buffer.from([0x02, v.length]), v]);
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

void describe('verifyPrehashedECDSA', () => {
  for (const curve of ['P-256', 'P-384'] as const) {
    void it(`accepts node:crypto ${curve} signatures over SHA-256 and rejects changed ones`, () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const other = generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
      for (let i = 0; i < 20; i++) {
        const data = randomBytes(1 + i * 7);
        const signature = sign('sha256', data, privateKey);
        const digest = sha256(data);
        assert.equal(verifyPrehashedECDSA(publicKey, digest, signature), true);
        assert.equal(verifyPrehashedECDSA(other, digest, signature), false, 'another key');
        const flipped = Buffer.from(digest);
        flipped[i % 32] = (flipped[i % 32] ?? 0) ^ 0x01;
        assert.equal(verifyPrehashedECDSA(publicKey, flipped, signature), false, 'another digest');
        const tampered = Buffer.from(signature);
        tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
        assert.equal(verifyPrehashedECDSA(publicKey, digest, tampered), false, 'a changed signature');
      }
    });
  }

  void it('uses the leftmost bits of a digest longer than the order (SHA-512 on P-256)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = randomBytes(64);
    const signature = sign('sha512', data, privateKey);
    assert.equal(verifyPrehashedECDSA(publicKey, createHash('sha512').update(data).digest(), signature), true);
  });

  void it('rejects r or s of zero or not below the order, and non-DER encodings', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('artifact');
    const signature = sign('sha256', data, privateKey);
    const digest = sha256(data);
    const parsed = parseDERSignature(signature);
    assert.ok(parsed);
    const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
    const r = Buffer.from(parsed.r.toString(16).padStart(64, '0'), 'hex');
    const s = Buffer.from(parsed.s.toString(16).padStart(64, '0'), 'hex');
    const positive = (v: Buffer): Buffer =>
      (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v.subarray(v.findIndex((b) => b !== 0));
    assert.equal(
      verifyPrehashedECDSA(publicKey, digest, derSig(positive(r), positive(s))),
      true,
      'the same values re-encoded',
    );
    assert.equal(verifyPrehashedECDSA(publicKey, digest, derSig(Buffer.from([0]), positive(s))), false, 'r = 0');
    assert.equal(
      verifyPrehashedECDSA(publicKey, digest, derSig(positive(r), Buffer.concat([Buffer.from([0]), n]))),
      false,
      's = n',
    );
    // s + n is the same residue but not a valid encoding of s.
    const sPlusN = BigInt(`0x${s.toString('hex')}`) + BigInt(`0x${n.toString('hex')}`);
    assert.equal(
      verifyPrehashedECDSA(
        publicKey,
        digest,
        derSig(positive(r), Buffer.from(sPlusN.toString(16).padStart(66, '0'), 'hex')),
      ),
      false,
      's + n',
    );
    assert.equal(parseDERSignature(Buffer.concat([signature, Buffer.from([0])])), undefined, 'trailing bytes');
    assert.equal(
      parseDERSignature(derSig(Buffer.from([0, 1]), Buffer.from([1]))),
      undefined,
      'superfluous leading zero',
    );
    assert.equal(parseDERSignature(derSig(Buffer.from([0x80]), Buffer.from([1]))), undefined, 'negative integer');
    const longForm = Buffer.concat([Buffer.from([0x30, 0x81, signature.length - 2]), signature.subarray(2)]);
    assert.equal(parseDERSignature(longForm), undefined, 'long-form length where the short form fits');
  });

  void it('does not handle other curves (P-521 falls to the caller)', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const data = Buffer.from('x');
    assert.equal(verifyPrehashedECDSA(publicKey, sha256(data), sign('sha256', data, privateKey)), false);
  });
});

void describe('verifyOverSHA256Digest', () => {
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
