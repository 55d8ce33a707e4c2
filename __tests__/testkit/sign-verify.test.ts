// End-to-end: bundles signed against the local stack verify with @sigstore/verify under the stack's trusted
// root (transparency log and TSA variants), and do not verify under another stack's root.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { SigningConfig } from '@sigstore/protobuf-specs';
import { bundleToJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { bundleBuilderFromSigningConfig } from '@sigstore/sign';
import { X509Certificate } from '@sigstore/core';
import { startLocalServices, startSigstoreStack } from '../../testkit/index.ts';
import type { LocalServices, SigstoreStack } from '../../testkit/index.ts';
import { STATEMENT, expectedSAN, signStatement, verifyBundle } from './helpers.ts';

void describe('local Sigstore stack', () => {
  let services: LocalServices;
  let other: SigstoreStack;
  let rekorBundle: SerializedBundle;
  let tsaBundle: SerializedBundle;

  before(async () => {
    services = await startLocalServices();
    other = await startSigstoreStack();
  });
  after(async () => {
    await services.stop();
    await other.stop();
  });

  void it('signs with Fulcio + Rekor and the bundle verifies with SAN and issuer policy', async () => {
    const { sigstore, issuer } = services;
    rekorBundle = await signStatement(sigstore, issuer, { witness: 'rekor' });
    assert.equal(rekorBundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const entry = rekorBundle.verificationMaterial.tlogEntries[0];
    assert.ok(entry);
    assert.deepEqual(entry.kindVersion, { kind: 'dsse', version: '0.0.1' });
    // The body is in Rekor's stored form, not the proposal.
    const body = JSON.parse(Buffer.from(entry.canonicalizedBody, 'base64').toString()) as {
      spec: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(body.spec).sort(), ['envelopeHash', 'payloadHash', 'signatures']);

    const signer = verifyBundle(rekorBundle, sigstore.trustedRoot, issuer, true);
    assert.equal(signer.identity?.subjectAlternativeName, expectedSAN(issuer));
    assert.equal(signer.identity?.extensions?.issuer, issuer.issuer);
  });

  void it('puts the GitHub claims into the Fulcio certificate extensions', () => {
    const { issuer } = services;
    const raw = rekorBundle.verificationMaterial.certificate?.rawBytes;
    assert.ok(raw);
    const cert = X509Certificate.parse(Buffer.from(raw, 'base64'));
    const ext = (oid: string): string | undefined => cert.extension(oid)?.value.subarray(2).toString();
    assert.equal(ext('1.3.6.1.4.1.57264.1.9'), expectedSAN(issuer));
    assert.equal(ext('1.3.6.1.4.1.57264.1.12'), 'https://github.com/octo-org/octo-repo');
    assert.equal(ext('1.3.6.1.4.1.57264.1.14'), 'refs/tags/v1.2.0');
    assert.equal(ext('1.3.6.1.4.1.57264.1.20'), 'push');
  });

  void it('rejects a policy with the wrong SAN', () => {
    const { sigstore, issuer } = services;
    const saved = issuer.claims.job_workflow_ref;
    issuer.claims.job_workflow_ref = 'octo-org/other/.github/workflows/x.yml@refs/heads/main';
    try {
      assert.throws(() => verifyBundle(rekorBundle, sigstore.trustedRoot, issuer, true), /certificate identity error/);
    } finally {
      issuer.claims.job_workflow_ref = saved;
    }
  });

  void it('signs with Fulcio + TSA and verifies, 20 times in a row without a flake', async () => {
    const { sigstore, issuer } = services;
    for (let i = 0; i < 20; i++) {
      tsaBundle = await signStatement(sigstore, issuer, { witness: 'tsa', statement: { ...STATEMENT, run: i } });
      // Protobuf-JSON leaves an empty list out entirely.
      assert.equal(tsaBundle.verificationMaterial.tlogEntries, undefined);
      assert.equal(tsaBundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
      verifyBundle(tsaBundle, sigstore.trustedRoot, issuer, false);
    }
  });

  void it('refuses bundles under the trusted root of a different stack', () => {
    const { sigstore, issuer } = services;
    assert.throws(
      () => verifyBundle(rekorBundle, other.trustedRoot, issuer, true),
      /Failed to verify certificate chain/,
    );
    assert.throws(() => verifyBundle(tsaBundle, other.trustedRoot, issuer, false), /timestamp could not be verified/);
    // Each key matters on its own: our CA and CT log, but the other stack's Rekor key.
    const foreignLog = {
      ...other.trustedRoot,
      certificateAuthorities: sigstore.trustedRoot.certificateAuthorities,
      ctlogs: sigstore.trustedRoot.ctlogs,
    };
    assert.throws(() => verifyBundle(rekorBundle, foreignLog, issuer, true), /inclusion promise could not be verified/);
    const foreignCT = { ...sigstore.trustedRoot, ctlogs: other.trustedRoot.ctlogs };
    assert.throws(() => verifyBundle(rekorBundle, foreignCT, issuer, true), /SCT verification failed/);
  });

  void it('loads no HTTP interceptor (nock) into the process', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.ok(
      loaded.some((p) => p.includes('@sigstore/mock')),
      'the mock is loaded through CommonJS',
    );
    assert.deepEqual(
      loaded.filter((p) => /[\\/]nock[\\/]/.test(p)),
      [],
    );
  });

  void it('serves a signing config that sigstore-js accepts, for both witness kinds', async () => {
    const { sigstore, issuer } = services;
    for (const config of [
      sigstore.signingConfig({ tlog: true, tsa: false }),
      sigstore.signingConfig({ tlog: false, tsa: true }),
    ]) {
      const parsed = SigningConfig.fromJSON(JSON.parse(JSON.stringify(config)));
      const builder = bundleBuilderFromSigningConfig({
        signingConfig: parsed,
        identityProvider: { getToken: () => issuer.mint({}, 'sigstore') },
        bundleType: 'dsseEnvelope',
      });
      const bundle = bundleToJSON(
        await builder.create({ data: Buffer.from(JSON.stringify(STATEMENT)), type: 'application/vnd.in-toto+json' }),
      );
      const tlog = config.rekorTlogUrls.length > 0;
      assert.equal((bundle.verificationMaterial.tlogEntries as unknown[] | undefined)?.length, tlog ? 1 : undefined);
      verifyBundle(bundle, sigstore.trustedRoot, issuer, tlog);
    }
    const full = sigstore.signingConfig({ tlog: true, tsa: true });
    assert.equal(full.tsaUrls[0]?.url, `${sigstore.tsaURL}/api/v1/timestamp`);
    assert.equal(full.oidcUrls[0]?.url, issuer.issuer);
    assert.ok(Date.parse(full.caUrls[0]?.validFor.start ?? '') < Date.now());
  });
});
