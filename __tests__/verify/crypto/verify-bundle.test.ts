// verifyBundleCrypto end to end: what a verified bundle yields (statement, message digest, facts,
// signing time), and that each way of breaking a bundle is reported as the check that broke.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RFC3161Timestamp } from '@sigstore/core';
import { verifyBundleCrypto, type CryptoOptions } from '../../../src/verify/crypto/index.ts';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { createTrust, validateTrustedRoot, type Trust, type TrustedRootJSON } from '../../../src/verify/trust/index.ts';
import { VerificationError, type CheckName } from '../../../src/verify/types.ts';
import { caseBundle, casePath, caseTrust, defaultArtifact, DEFAULT_IDENTITY, publicGoodTrust } from './corpus.ts';
import { mockInstance } from './mock-instance.ts';

const A_TXT_SHA256 = 'a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';

const trustOf = (...roots: TrustedRootJSON[]): Trust =>
  createTrust(roots.map((r, i) => validateTrustedRoot(JSON.parse(JSON.stringify(r)), `root ${i}`)));
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function rejects(
  check: CheckName,
  bundle: unknown,
  trust: Trust,
  options: CryptoOptions = {},
  says?: RegExp,
): VerificationError {
  let caught: unknown;
  try {
    verifyBundleCrypto(bundle, trust, options);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof VerificationError, `expected a ${check} failure, got ${String(caught)}`);
  assert.equal(caught.failure.check, check, caught.message);
  if (says) assert.match(caught.message, says);
  assert.doesNotMatch(caught.message, /\n/, 'one line');
  return caught;
}

// Flips one bit in the middle of a base64 field.
function flip(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  const i = Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

void describe('verifyBundleCrypto: what a verified bundle yields', () => {
  void it('a DSSE bundle: its in-toto statement, certificate facts and the log time', async () => {
    const trust = await publicGoodTrust();
    const verified = verifyBundleCrypto(caseBundle('happy-path-intoto-in-dsse-v3'), trust);
    assert.equal(verified.statement?.predicateType, 'https://slsa.dev/provenance/v1');
    // Digest records are prototype-free (their keys are the statement's): compared by their entries.
    assert.deepEqual(
      verified.statement.subject.map((s) => ({ ...s, digest: { ...s.digest } })),
      [{ name: 'a.txt', digest: { sha256: A_TXT_SHA256 } }],
    );
    assert.equal(verified.certificate?.subjectAlternativeName, DEFAULT_IDENTITY);
    assert.equal(verified.signedAt.toISOString(), new Date(1734374576 * 1000).toISOString());
    assert.equal(verified.messageDigest, undefined);
    // The artifact, by bytes or digest, must be a subject.
    verifyBundleCrypto(caseBundle('happy-path-intoto-in-dsse-v3'), trust, { artifact: { data: defaultArtifact() } });
    verifyBundleCrypto(caseBundle('happy-path-intoto-in-dsse-v3'), trust, {
      artifact: { digest: { algorithm: 'sha256', hex: A_TXT_SHA256.toUpperCase() } },
    });
    rejects(
      'subject-digest',
      caseBundle('happy-path-intoto-in-dsse-v3'),
      trust,
      { artifact: { data: Buffer.from('other') } },
      /a\.txt sha256:a0cf/,
    );
  });

  void it('a message signature: by artifact or by digest, with its message digest', async () => {
    const trust = await publicGoodTrust();
    const bundle = caseBundle('happy-path-v0.3');
    const byData = verifyBundleCrypto(bundle, trust, { artifact: { data: defaultArtifact() } });
    const byDigest = verifyBundleCrypto(bundle, trust, {
      artifact: { digest: { algorithm: 'sha256', hex: A_TXT_SHA256 } },
    });
    assert.deepEqual(byData.messageDigest, { algorithm: 'sha256', hex: A_TXT_SHA256 });
    assert.deepEqual(byDigest, byData);
    assert.equal(byData.statement, undefined);
    rejects('signature', bundle, trust, {}, /neither/);
    rejects('subject-digest', bundle, trust, { artifact: { digest: { algorithm: 'sha256', hex: '0'.repeat(64) } } });
  });

  void it('accepts JSON text and bytes as well as parsed JSON', async () => {
    const trust = await publicGoodTrust();
    const text = readFileSync(casePath('happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'), 'utf8');
    assert.ok(verifyBundleCrypto(text, trust).statement);
    assert.ok(verifyBundleCrypto(Buffer.from(text), trust).statement);
  });

  void it('a managed-key bundle: no certificate facts; the key is required and must be the signer', async () => {
    const trust = await publicGoodTrust();
    const bundle = caseBundle('managed-key-happy-path');
    const key = readFileSync(casePath('managed-key-happy-path', 'key.pub'), 'utf8');
    const verified = verifyBundleCrypto(bundle, trust, { key, artifact: { data: defaultArtifact() } });
    assert.equal(verified.certificate, undefined);
    rejects('public-key', bundle, trust, { artifact: { data: defaultArtifact() } }, /no key given/);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    rejects('public-key', bundle, trust, { key: other, artifact: { data: defaultArtifact() } }, /a different key/);
    rejects(
      'public-key',
      caseBundle('happy-path-v0.3'),
      trust,
      { key, artifact: { data: defaultArtifact() } },
      /certificate/,
    );
    assert.throws(
      () => verifyBundleCrypto(bundle, trust, { key: 'not a key', artifact: { data: defaultArtifact() } }),
      (err: unknown) => err instanceof ProvenanceError && err.code === 'INPUT_INVALID',
    );
  });

  void it('reads an RFC 3161 time with two fraction digits, which @sigstore/core refuses', async () => {
    const mock = await mockInstance({ tsaOffsetMs: 2120 });
    const artifact = Buffer.from('artifact');
    const bundle = await mock.signMessage(artifact);
    const token = (
      bundle as {
        verificationMaterial: { timestampVerificationData: { rfc3161Timestamps: { signedTimestamp: string }[] } };
      }
    ).verificationMaterial.timestampVerificationData.rfc3161Timestamps[0]?.signedTimestamp;
    // Why LenientTimestamp exists: the mock, like Sigstore's TSA, writes genTime as "...10.12Z".
    assert.throws(() => RFC3161Timestamp.parse(Buffer.from(token ?? '', 'base64')).signingTime, /invalid time/);
    const verified = verifyBundleCrypto(bundle, trustOf(mock.trustedRoot), { artifact: { data: artifact } });
    assert.equal(verified.signedAt.getTime(), mock.issuedAt.getTime() + 2120);
  });
});

void describe('verifyBundleCrypto: each failure names its check', () => {
  void it('bundle-format: not JSON, not a bundle, an unknown version, a payload that is not a statement', async () => {
    const trust = await publicGoodTrust();
    rejects('bundle-format', '{"mediaType": ', trust, {}, /invalid JSON/);
    rejects('bundle-format', [], trust);
    const unknown = clone(caseBundle('happy-path-v0.3')) as Record<string, unknown>;
    unknown.mediaType = 'application/vnd.dev.sigstore.bundle.v0.4+json';
    rejects('bundle-format', unknown, trust, { artifact: { data: defaultArtifact() } }, /v0\.4/);
    const mock = await mockInstance();
    const dsse = await mock.signStatement({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a', digest: { sha256: A_TXT_SHA256 } }],
      predicateType: 'p',
    });
    (dsse.dsseEnvelope as { payload: string }).payload = Buffer.from(
      '{"_type": "https://in-toto.io/Statement/v1"}',
    ).toString('base64');
    rejects('bundle-format', dsse, trustOf(mock.trustedRoot), {}, /predicateType|subject/);
  });

  void it('signature: a tampered signature, whichever stage notices first', async () => {
    const trust = await publicGoodTrust();
    // With a log entry, the entry no longer matches; with a timestamp, its imprint no longer does.
    const logged = clone(caseBundle('happy-path-v0.3')) as { messageSignature: { signature: string } };
    logged.messageSignature.signature = flip(logged.messageSignature.signature);
    rejects('signature', logged, trust, { artifact: { data: defaultArtifact() } }, /tlog fails too/);
    const mock = await mockInstance();
    const artifact = Buffer.from('artifact');
    const stamped = (await mock.signMessage(artifact)) as { messageSignature: { signature: string } };
    stamped.messageSignature.signature = flip(stamped.messageSignature.signature);
    rejects('signature', stamped, trustOf(mock.trustedRoot), { artifact: { data: artifact } }, /timestamp fails too/);
    rejects('signature', caseBundle('dsse-invalid-sig_fail'), trust);
  });

  void it('certificate-chain: a certificate from another CA, or used outside its validity', async () => {
    const mock = await mockInstance();
    const other = await mockInstance();
    const artifact = Buffer.from('artifact');
    const bundle = await mock.signMessage(artifact);
    // Same TSA and CT log, another CA: only the chain can fail.
    rejects(
      'certificate-chain',
      bundle,
      trustOf({ ...mock.trustedRoot, certificateAuthorities: other.trustedRoot.certificateAuthorities }),
      { artifact: { data: artifact } },
    );
    rejects('certificate-chain', caseBundle('bundle-from-wrong-instance_fail'), await publicGoodTrust(), {
      artifact: { data: defaultArtifact() },
    });
    rejects(
      'certificate-chain',
      caseBundle('intoto-expired-certificate_fail'),
      await caseTrust('intoto-expired-certificate_fail'),
      {},
      /expired/,
    );
  });

  void it('sct: no SCT in the certificate, or one from an untrusted CT log', async () => {
    const mock = await mockInstance({ ctlog: false });
    const artifact = Buffer.from('artifact');
    rejects(
      'sct',
      await mock.signMessage(artifact),
      trustOf(mock.trustedRoot),
      { artifact: { data: artifact } },
      /no signed certificate timestamp/,
    );
    rejects('sct', caseBundle('invalid-ct-key_fail'), await caseTrust('invalid-ct-key_fail'), {
      artifact: { data: defaultArtifact() },
    });
  });

  void it('timestamp: a timestamp from an untrusted TSA, or no trusted time at all', async () => {
    const mock = await mockInstance();
    const other = await mockInstance();
    const artifact = Buffer.from('artifact');
    const bundle = await mock.signMessage(artifact);
    rejects(
      'timestamp',
      bundle,
      trustOf({ ...mock.trustedRoot, timestampAuthorities: other.trustedRoot.timestampAuthorities }),
      { artifact: { data: artifact } },
    );
    rejects(
      'timestamp',
      caseBundle('rekor2-no-timestamp_fail'),
      await caseTrust('rekor2-no-timestamp_fail'),
      { artifact: { data: defaultArtifact() } },
      /no trusted time/,
    );
  });

  void it('tlog: a bad inclusion promise, or no entry where the root has a log', async () => {
    rejects(
      'tlog',
      caseBundle('set-invalid-signature_fail'),
      await publicGoodTrust(),
      { artifact: { data: defaultArtifact() } },
      /inclusion promise/,
    );
    const mock = await mockInstance();
    const artifact = Buffer.from('artifact');
    const pg = (await publicGoodTrust()).instances[0];
    assert.ok(pg);
    // The mock instance plus a transparency log: a bundle without a log entry no longer suffices.
    const withLog = {
      ...mock.trustedRoot,
      tlogs: (JSON.parse(readFileSync(casePath('rekor2-happy-path', 'trusted_root.json'), 'utf8')) as TrustedRootJSON)
        .tlogs,
    };
    rejects(
      'tlog',
      await mock.signMessage(artifact),
      trustOf(withLog),
      { artifact: { data: artifact } },
      /no transparency log entry/,
    );
  });

  void it('trusted-root: nothing to verify against', () => {
    rejects('trusted-root', caseBundle('happy-path-v0.3'), createTrust([]), { artifact: { data: defaultArtifact() } });
  });
});

void describe('verifyBundleCrypto with several trusted roots', () => {
  void it('accepts a bundle any root verifies, and reports the failure of the root it got furthest with', async () => {
    const mock = await mockInstance();
    const other = await mockInstance();
    const publicGood = JSON.parse(
      readFileSync(casePath('trust-root-tlog-validity-end-inclusive', 'trusted_root.json'), 'utf8'),
    ) as TrustedRootJSON;
    const artifact = Buffer.from('artifact');
    const bundle = await mock.signMessage(artifact);
    verifyBundleCrypto(bundle, trustOf(publicGood, mock.trustedRoot), { artifact: { data: artifact } });
    verifyBundleCrypto(caseBundle('happy-path-v0.1'), trustOf(mock.trustedRoot, publicGood), {
      artifact: { data: defaultArtifact() },
    });
    // public-good fails at the timestamp, the look-alike root at the certificate chain: the latter is shown.
    const lookAlike = { ...mock.trustedRoot, certificateAuthorities: other.trustedRoot.certificateAuthorities };
    rejects('certificate-chain', bundle, trustOf(publicGood, lookAlike), { artifact: { data: artifact } });
  });
});
