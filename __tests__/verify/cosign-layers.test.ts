// cosign's classic attestation layers (real ones, from slsa-github-generator's container builder,
// __tests__/fixtures/corpus/cosign-containers) made into bundles and verified against the
// public-good root: the layer's own checks (Rekor intoto 0.0.1 bodies, the logged envelope's
// hash, legacy certificates), and the tamper operators for this format (testkit/tamper/cosign-layer.ts),
// each mutant run through verify mode's job function here and in the worker pool.

import assert from 'node:assert/strict';
import { X509Certificate } from '@sigstore/core';
import { before, describe, it } from 'node:test';
import { cosignLayerBundle } from '../../src/registry/cosign-bundle.ts';
import { runCryptoJob, type CryptoJob, type CryptoResult } from '../../src/verify/workers/crypto-jobs.ts';
import { runCryptoJobs } from '../../src/verify/workers/crypto-pool.ts';
import { certificateFacts } from '../../src/verify/crypto/certificate-facts.ts';
import { publicGoodSnapshotDocument } from '../../src/verify/trust/public-good.ts';
import { createTrust, validateTrustedRoot, type Trust } from '../../src/verify/trust/index.ts';
import type { CheckName } from '../../src/verify/types.ts';
import {
  layerMutants,
  LAYER_OPERATOR_NAMES,
  type CosignLayer,
  type LayerPart,
} from '../../testkit/tamper/cosign-layer.ts';
import { cosignContainerLayers, publicGoodTrust } from './crypto/corpus.ts';

const LAYERS = cosignContainerLayers();
const BASES: CosignLayer[] = LAYERS.map((l) => ({ name: l.release, envelope: l.envelope, annotations: l.annotations }));
const IMAGE = new Map(LAYERS.map((l) => [l.release, l.imageDigest.slice('sha256:'.length)]));

let trust: Trust;
before(async () => {
  trust = await publicGoodTrust();
});

/** The job verify mode makes of a layer (or the bundle-format failure of one that is not a bundle). */
function jobOf(layer: CosignLayer, base: string, logged = true): CryptoJob | CryptoResult {
  const converted = cosignLayerBundle(layer.envelope, layer.annotations);
  if (converted.problem !== undefined)
    return { failure: { check: 'bundle-format', expected: 'a keyless cosign attestation', found: converted.problem } };
  const hex = IMAGE.get(base) ?? '';
  return {
    bundle: converted.bundle,
    options: {
      artifact: { digest: { algorithm: 'sha256', hex } },
      ...(logged && { loggedEnvelope: converted.loggedEnvelope }),
    },
  };
}
const isJob = (x: CryptoJob | CryptoResult): x is CryptoJob => 'bundle' in x;
const run = (x: CryptoJob | CryptoResult, t: Trust = trust): CryptoResult => (isJob(x) ? runCryptoJob(x, t) : x);

describe('cosign .att layers as bundles', () => {
  it('verifies each release, with and without the logged envelope text (cosign serializes as Go does)', () => {
    for (const base of BASES) {
      for (const logged of [true, false]) {
        const result = run(jobOf(base, base.name, logged));
        assert.ok(result.verified, `${base.name} logged=${logged}: ${JSON.stringify(result.failure)}`);
        assert.match(
          result.verified.certificate?.subjectAlternativeName ?? '',
          /generator_container_slsa3\.yml@refs\/tags\/v\d/,
        );
      }
    }
  });

  it('reads the repository of a 2023 certificate from the legacy extension (.5) on the SAN’s host', () => {
    const converted = cosignLayerBundle(BASES[0]?.envelope ?? '', BASES[0]?.annotations ?? {});
    const raw =
      (converted.bundle?.['verificationMaterial'] as { x509CertificateChain: { certificates: { rawBytes: string }[] } })
        .x509CertificateChain.certificates[0]?.rawBytes ?? '';
    const facts = certificateFacts(X509Certificate.parse(Buffer.from(raw, 'base64')));
    assert.equal(facts.buildSignerURI, undefined, 'v1.4.0 predates the v2 extensions');
    assert.equal(facts.sourceRepositoryURI, 'https://github.com/slsa-framework/example-package');
    assert.equal(facts.sourceRepositoryRef, 'refs/heads/main');
    assert.equal(
      facts.sourceRepositoryOwnerURI,
      undefined,
      'no owner URI is made up; the owner rule reads it from the repository',
    );
  });

  it('refuses an intoto 0.0.1 entry whose envelope bytes are not the logged ones, even when the envelope is the same', () => {
    const base = BASES[0];
    assert.ok(base);
    const job = jobOf(base, base.name);
    assert.ok(isJob(job));
    const reformatted = JSON.stringify(JSON.parse(base.envelope), null, 2);
    const result = runCryptoJob({ ...job, options: { ...job.options, loggedEnvelope: reformatted } }, trust);
    assert.equal(result.failure?.check, 'tlog');
    assert.match(result.failure?.expected ?? '', /the log entry to record this envelope \(SHA-256 [0-9a-f]{64}\)/);
  });

  it('refuses an intoto 0.0.1 entry that no trusted log signed', () => {
    const base = BASES[1];
    assert.ok(base);
    const noLogs = createTrust([
      validateTrustedRoot(
        { ...(publicGoodSnapshotDocument() as Record<string, unknown>), tlogs: [] },
        'public-good without its logs',
      ),
    ]);
    const result = run(jobOf(base, base.name), noLogs);
    assert.equal(result.failure?.check, 'tlog');
    assert.match(
      result.failure?.expected ?? '',
      /inclusion promise \(or proof\) for the intoto 0\.0\.1 entry from a trusted Rekor log/,
    );
  });
});

// The checks that may catch a change to each part (the first check that looks at it wins).
const CAUGHT_BY: Record<LayerPart, readonly CheckName[]> = {
  annotations: ['tlog', 'signature'],
  certificate: ['bundle-format', 'tlog', 'signature', 'certificate-chain'],
  entry: ['bundle-format', 'tlog', 'signature'],
  // The integrated time is checked against the certificate before the SET that signs it.
  set: ['tlog', 'bundle-format', 'certificate-chain', 'timestamp'],
  // An envelope swapped in from another release names another image.
  envelope: ['tlog', 'signature', 'bundle-format', 'subject-digest'],
};

describe('tamper corpus: cosign .att layers', () => {
  const corpus = layerMutants(BASES);

  it('has every operator applied to every release', () => {
    // envelope-reserialized applies to the two intoto 0.0.1 layers only.
    assert.equal(corpus.length, LAYER_OPERATOR_NAMES.length * BASES.length - 1);
  });

  it('rejects every mutant, naming a check that belongs to the part changed', () => {
    const wrong: string[] = [];
    const counts = new Map<string, number>();
    for (const m of corpus) {
      const result = run(jobOf(m.layer, m.base));
      if (result.verified) {
        wrong.push(`${m.name}: verified`);
        continue;
      }
      counts.set(result.failure.check, (counts.get(result.failure.check) ?? 0) + 1);
      if (!CAUGHT_BY[m.part].includes(result.failure.check))
        wrong.push(`${m.name}: ${result.failure.check}: ${result.failure.found}`);
    }
    console.log(
      `cosign layer tamper corpus: ${corpus.length} mutants of ${BASES.length} layers; rejected by ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    assert.deepEqual(wrong, []);
  });

  it('gets the same verdict for every mutant through the worker pool', async () => {
    const jobs = corpus.map((m) => jobOf(m.layer, m.base)).filter(isJob);
    assert.ok(jobs.length > corpus.length / 2);
    const pooled = await runCryptoJobs(jobs, trust, { workers: 1, mainThread: false });
    pooled.forEach((result, i) => assert.deepEqual(result, runCryptoJob(jobs[i] ?? assert.fail(), trust)));
  });
});
