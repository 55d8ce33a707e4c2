// A certificate's frame — the outer SEQUENCE, the tags of its three parts, the signature's
// unused-bits byte, the outer signature algorithm — is not covered by its signature, and
// @sigstore/core's parser does not look at it: before certificate-shape.ts, a leaf whose outer
// tag was 0x34 instead of 0x30 verified. Each change here is made to real bundles (GitHub's attest
// action, npm's v0.1 and v0.2) and must be refused by both verification paths, as `bundle-format`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { certificateShapeProblem } from '../../../../src/verify/crypto/patches/certificate-shape.ts';
import { verifyBundleFast } from '../../../../src/verify/fast/fast-path.ts';
import { verifyBundleCrypto } from '../../../../src/verify/crypto/index.ts';
import type { Trust } from '../../../../src/verify/trust/index.ts';
import { VerificationError } from '../../../../src/verify/types.ts';
import { publicGoodTrust } from '../corpus.ts';

type Json = Record<string, unknown>;
const FIXTURES = [
  'github-attest-tflint-ruleset-aws-v0.35.0.sigstore.json',
  'npm-sigstore-2.1.0-bundle-v0.1.json',
  'npm-sigstore-2.2.0-bundle-v0.2.json',
];
const load = (file: string): Json =>
  JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../fixtures/real-world/${file}`, import.meta.url)), 'utf8'),
  ) as Json;

/** The leaf certificate's rawBytes holder, in either material shape. */
function leafHolder(bundle: Json): Json {
  const material = bundle['verificationMaterial'] as Json;
  const holder = (material['certificate'] ??
    (material['x509CertificateChain'] as { certificates: Json[] }).certificates[0]) as Json | undefined;
  assert.ok(holder && typeof holder['rawBytes'] === 'string');
  return holder;
}

// Offsets of the frame within a certificate: [tag at, contents at, end] for the outer object and its three parts.
function frame(der: Buffer): { outer: number[]; tbs: number[]; algorithm: number[]; signature: number[] } {
  const header = (at: number): number[] => {
    const first = der[at + 1] ?? 0;
    const count = first & 0x80 ? first & 0x7f : 0;
    let length = count ? 0 : first;
    for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
    return [at, at + 2 + count, at + 2 + count + length];
  };
  const outer = header(0);
  const tbs = header(outer[1] ?? 0);
  const algorithm = header(tbs[2] ?? 0);
  const signature = header(algorithm[2] ?? 0);
  return { outer, tbs, algorithm, signature };
}

type Change = [label: string, edit: (der: Buffer) => Buffer];
const setByte =
  (at: (der: Buffer) => number, value: (old: number) => number) =>
  (der: Buffer): Buffer => {
    const copy = Buffer.from(der);
    const i = at(copy);
    copy[i] = value(copy[i] ?? 0);
    return copy;
  };
const CHANGES: Change[] = [
  [
    'outer tag 0x30 → 0x34',
    setByte(
      () => 0,
      (b) => b ^ 0x04,
    ),
  ],
  [
    'outer tag 0x30 → 0x31 (SET)',
    setByte(
      () => 0,
      (b) => b ^ 0x01,
    ),
  ],
  [
    'tbsCertificate tag',
    setByte(
      (d) => frame(d).tbs[0] ?? 0,
      (b) => b ^ 0x10,
    ),
  ],
  [
    'signatureAlgorithm tag',
    setByte(
      (d) => frame(d).algorithm[0] ?? 0,
      (b) => b ^ 0x01,
    ),
  ],
  [
    'signature BIT STRING tag → OCTET STRING',
    setByte(
      (d) => frame(d).signature[0] ?? 0,
      (b) => b ^ 0x07,
    ),
  ],
  [
    'signature unused bits 0 → 1',
    setByte(
      (d) => frame(d).signature[1] ?? 0,
      () => 1,
    ),
  ],
  [
    'outer signature algorithm ≠ signed one',
    setByte(
      (d) => (frame(d).algorithm[2] ?? 1) - 1,
      (b) => b ^ 0x01,
    ),
  ],
];

describe('certificate shape', () => {
  let trust: Trust;
  before(async () => {
    trust = await publicGoodTrust();
  });

  it('accepts the certificates of real bundles unchanged, and the bundles still verify', () => {
    for (const file of FIXTURES) {
      const bundle = load(file);
      assert.equal(
        certificateShapeProblem(Buffer.from(leafHolder(bundle)['rawBytes'] as string, 'base64')),
        undefined,
        file,
      );
      assert.ok(verifyBundleFast(bundle, trust), `${file}: fast path`);
      assert.ok(verifyBundleCrypto(bundle, trust), `${file}: full path`);
    }
  });

  for (const [label, edit] of CHANGES) {
    it(`refuses a leaf certificate with its ${label}, in both paths, as bundle-format`, () => {
      for (const file of FIXTURES) {
        const bundle = load(file);
        const holder = leafHolder(bundle);
        const changed = edit(Buffer.from(holder['rawBytes'] as string, 'base64'));
        assert.ok(certificateShapeProblem(changed), `${file}: the shape check saw no problem`);
        holder['rawBytes'] = changed.toString('base64');
        assert.equal(verifyBundleFast(bundle, trust), undefined, `${file}: the fast path passed it`);
        assert.throws(
          () => verifyBundleCrypto(bundle, trust),
          (err: unknown) =>
            err instanceof VerificationError &&
            err.failure.check === 'bundle-format' &&
            /X\.509 certificate/.test(err.failure.expected),
          `${file}: the full path did not refuse it as bundle-format`,
        );
      }
    });
  }

  it('refuses bytes after the certificate and a fourth part', () => {
    const der = Buffer.from(leafHolder(load(FIXTURES[0] ?? '')).rawBytes as string, 'base64');
    assert.equal(
      certificateShapeProblem(Buffer.concat([der, Buffer.from([0x05, 0x00])])),
      'not strict DER',
      'bytes after the certificate',
    );
    // The same three parts and a NULL after them, under a new outer header.
    const [, contentsAt] = frame(der).outer;
    const contents = Buffer.concat([der.subarray(contentsAt), Buffer.from([0x05, 0x00])]);
    const fourParts = Buffer.concat([
      Buffer.from([0x30, 0x82, contents.length >> 8, contents.length & 0xff]),
      contents,
    ]);
    assert.equal(certificateShapeProblem(fourParts), 'more than three parts');
    assert.equal(certificateShapeProblem(Buffer.from([0x30, 0x00])), 'no tbsCertificate SEQUENCE');
    assert.equal(
      certificateShapeProblem(Buffer.from([0x30, 0x81, 0x00])),
      'not strict DER',
      'a length in the long form where the short one says it',
    );
    assert.equal(certificateShapeProblem(Buffer.alloc(0)), 'not strict DER');
    assert.equal(certificateShapeProblem(Buffer.from([0x31, 0x00])), 'not a DER SEQUENCE');
  });
});
