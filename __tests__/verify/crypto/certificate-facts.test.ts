// Certificate facts are read exactly as Fulcio wrote them: from real GitHub Actions certificates in
// the conformance corpus (v2 and legacy extensions), and from certificates made with @sigstore/mock
// for what the corpus does not show (legacy-only values, a malformed extension).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from '@sigstore/core';
import { certificateFacts } from '../../../src/verify/crypto/certificate-facts.ts';
import { verifyBundleCrypto } from '../../../src/verify/crypto/index.ts';
import { createTrust, validateTrustedRoot } from '../../../src/verify/trust/index.ts';
import { VerificationError } from '../../../src/verify/types.ts';
import { caseBundle, DEFAULT_IDENTITY, DEFAULT_ISSUER } from './corpus.ts';
import { mockInstance, SAN } from './mock-instance.ts';

const FULCIO = '1.3.6.1.4.1.57264.1';

function leafOf(bundle: unknown): X509Certificate {
  const material = (
    bundle as {
      verificationMaterial: {
        certificate?: { rawBytes: string };
        x509CertificateChain?: { certificates: { rawBytes: string }[] };
      };
    }
  ).verificationMaterial;
  const raw = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes ?? '';
  return X509Certificate.parse(Buffer.from(raw, 'base64'));
}

void describe('certificateFacts', () => {
  void it('reads every GitHub Actions extension of a real Fulcio certificate', () => {
    assert.deepEqual(certificateFacts(leafOf(caseBundle('happy-path-v0.3'))), {
      subjectAlternativeName: DEFAULT_IDENTITY,
      issuer: DEFAULT_ISSUER,
      buildSignerURI: DEFAULT_IDENTITY,
      buildSignerDigest: 'c7b3dfb335f051e1c86bda4c716fac97df62ad81',
      runnerEnvironment: 'github-hosted',
      sourceRepositoryURI: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon',
      sourceRepositoryDigest: 'c7b3dfb335f051e1c86bda4c716fac97df62ad81',
      sourceRepositoryRef: 'refs/heads/main',
      sourceRepositoryIdentifier: '632596897',
      sourceRepositoryOwnerURI: 'https://github.com/sigstore-conformance',
      sourceRepositoryOwnerIdentifier: '131804563',
      buildConfigURI: DEFAULT_IDENTITY,
      buildConfigDigest: 'c7b3dfb335f051e1c86bda4c716fac97df62ad81',
      buildTrigger: 'workflow_dispatch',
      runInvocationURI:
        'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/actions/runs/8347481628/attempts/1',
      sourceRepositoryVisibilityAtSigning: 'public',
    });
  });

  void it('leaves out what an older certificate does not carry (no visibility extension in 2023)', () => {
    const facts = certificateFacts(leafOf(caseBundle('happy-path-v0.1')));
    assert.equal(facts.sourceRepositoryVisibilityAtSigning, undefined);
    assert.equal(
      facts.runInvocationURI,
      'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/actions/runs/5533741497/attempts/1',
    );
  });

  void it('falls back to the legacy extensions, and prefers v2 where both exist', async () => {
    const mock = await mockInstance();
    const bundle = await mock.signMessage(Buffer.from('a'), {
      extensions: [
        { oid: `${FULCIO}.1`, value: 'https://legacy.issuer', legacy: true },
        { oid: `${FULCIO}.2`, value: 'push', legacy: true },
        { oid: `${FULCIO}.3`, value: 'a'.repeat(40), legacy: true },
        { oid: `${FULCIO}.6`, value: 'refs/heads/legacy', legacy: true },
        { oid: `${FULCIO}.14`, value: 'refs/tags/v1.2.0' },
      ],
    });
    const facts = certificateFacts(leafOf(bundle));
    assert.equal(facts.subjectAlternativeName, SAN);
    assert.equal(facts.issuer, 'https://legacy.issuer');
    assert.equal(facts.buildTrigger, 'push');
    assert.equal(facts.sourceRepositoryDigest, 'a'.repeat(40));
    assert.equal(facts.sourceRepositoryRef, 'refs/tags/v1.2.0');
  });

  void it('reads the repository from legacy .5 as the URI .12 would hold, on the host of a workflow SAN only', async () => {
    const mock = await mockInstance();
    const legacy = [{ oid: `${FULCIO}.5`, value: 'octo-org/octo-repo', legacy: true }];
    const onWorkflow = certificateFacts(leafOf(await mock.signMessage(Buffer.from('a'), { extensions: legacy })));
    assert.equal(onWorkflow.sourceRepositoryURI, 'https://github.com/octo-org/octo-repo');
    // A v2 .12 wins where both exist, as Fulcio writes the same claim into both.
    const both = certificateFacts(
      leafOf(
        await mock.signMessage(Buffer.from('a'), {
          extensions: [...legacy, { oid: `${FULCIO}.12`, value: 'https://github.com/octo-org/other' }],
        }),
      ),
    );
    assert.equal(both.sourceRepositoryURI, 'https://github.com/octo-org/other');
    // No workflow URI to take the host from (an email SAN), or a value that is not OWNER/REPO: nothing is made up.
    const onEmail = certificateFacts(
      leafOf(await mock.signMessage(Buffer.from('a'), { san: 'someone@example.com', extensions: legacy })),
    );
    assert.equal(onEmail.sourceRepositoryURI, undefined);
    const odd = certificateFacts(
      leafOf(
        await mock.signMessage(Buffer.from('a'), {
          extensions: [{ oid: `${FULCIO}.5`, value: 'octo-org/octo-repo/extra', legacy: true }],
        }),
      ),
    );
    assert.equal(odd.sourceRepositoryURI, undefined);
  });

  void it('comes out of verifyBundleCrypto for a verified bundle, as written', async () => {
    const mock = await mockInstance();
    const trust = createTrust([validateTrustedRoot(JSON.parse(JSON.stringify(mock.trustedRoot)), 'mock')]);
    const artifact = Buffer.from('artifact');
    const bundle = await mock.signMessage(artifact, {
      extensions: [
        { oid: `${FULCIO}.8`, value: DEFAULT_ISSUER },
        { oid: `${FULCIO}.11`, value: 'self-hosted' },
        { oid: `${FULCIO}.22`, value: 'private' },
      ],
    });
    const { certificate } = verifyBundleCrypto(bundle, trust, { artifact: { data: artifact } });
    assert.equal(certificate?.issuer, DEFAULT_ISSUER);
    assert.equal(certificate.runnerEnvironment, 'self-hosted');
    assert.equal(certificate.sourceRepositoryVisibilityAtSigning, 'private');
  });

  void it('refuses a v2 extension that is not a DER UTF8String instead of guessing', async () => {
    const mock = await mockInstance();
    // `legacy` writes the raw string where v2 requires a UTF8String.
    const bundle = await mock.signMessage(Buffer.from('a'), {
      extensions: [{ oid: `${FULCIO}.12`, value: 'https://github.com/o/r', legacy: true }],
    });
    assert.throws(
      () => certificateFacts(leafOf(bundle)),
      (err: unknown) =>
        err instanceof VerificationError &&
        err.failure.check === 'certificate-identity' &&
        err.failure.expected.includes(`${FULCIO}.12`),
    );
  });
});
