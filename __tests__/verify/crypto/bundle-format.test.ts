// Which bundles are read at all: every version in the wild, protobuf-JSON's omissions, and the
// refusals the parser alone would let through.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_MEDIA_TYPES, parseBundle } from '../../../src/verify/crypto/index.ts';
import { VerificationError } from '../../../src/verify/types.ts';
import { caseBundle } from './corpus.ts';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
// The parts of a bundle's JSON these tests change.
interface BundleJSON {
  mediaType: string;
  verificationMaterial: { timestampVerificationData?: unknown };
  dsseEnvelope: { signatures: { sig: string; keyid?: string }[] };
}
const bundleJSON = (name: string): BundleJSON => clone(caseBundle(name)) as BundleJSON;

function refuses(bundle: unknown, says: RegExp): void {
  assert.throws(
    () => parseBundle(bundle),
    (err: unknown) =>
      err instanceof VerificationError && err.failure.check === 'bundle-format' && says.test(err.message),
  );
}

void describe('parseBundle', () => {
  void it('reads v0.1, v0.2, v0.3 and the v0.3 media type', () => {
    for (const name of ['happy-path-v0.1', 'happy-path-v0.2', 'happy-path-v0.3', 'happy-path-v0.3-new-mediaType']) {
      const bundle = parseBundle(caseBundle(name));
      assert.ok(BUNDLE_MEDIA_TYPES.includes(bundle.mediaType), name);
    }
  });

  void it('fills in what protobuf-JSON leaves out (empty lists, zero values)', () => {
    const bundle = bundleJSON('happy-path-intoto-in-dsse-v3');
    const [signature] = bundle.dsseEnvelope.signatures;
    assert.ok(signature);
    delete signature.keyid;
    delete bundle.verificationMaterial.timestampVerificationData;
    const parsed = parseBundle(bundle);
    assert.equal(parsed.content.$case === 'dsseEnvelope' && parsed.content.dsseEnvelope.signatures[0]?.keyid, '');
  });

  void it('refuses unknown media types, bad base64, negative indexes, and a chain with its root', () => {
    const unknown = bundleJSON('happy-path-v0.3');
    unknown.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=0.9';
    refuses(unknown, /media type/);
    refuses(caseBundle('bundle-invalid-base64-signature_fail'), /messageSignature\.signature in base64/);
    refuses(caseBundle('bundle-negative-log-index_fail'), /logIndex: a non-negative integer/);
    refuses(caseBundle('bundle-with-root-cert_fail'), /without its root certificate/);
    refuses(caseBundle('bundle-empty-certificate-chain_fail'), /x509CertificateChain\.certificates/);
    refuses(caseBundle('intoto-missing-inclusion-proof_fail'), /inclusionProof/);
    const v3WithChain = bundleJSON('happy-path-v0.1');
    v3WithChain.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    refuses(v3WithChain, /verificationMaterial\.content/);
    const twoSignatures = bundleJSON('happy-path-intoto-in-dsse-v3');
    twoSignatures.dsseEnvelope.signatures.push(...twoSignatures.dsseEnvelope.signatures);
    refuses(twoSignatures, /dsseEnvelope\.signatures/);
  });
});
