// Issue #14, item 5 (and #19 at the end: when Build L3 is claimed): a VSA may claim only the build level that verified build provenance earned.
// A custom "lint ok" attestation, signed by the genuine local identity of a GitHub-hosted job
// through the bundled action (dist/index.js), passes a verify step whose policy asks for exactly
// that predicate type; the VSA that step signs with vsa-path used to claim SLSA_BUILD_LEVEL_2 from
// the lint job's runner, though no provenance was read at all. Now it says SLSA_BUILD_LEVEL_0 (the
// build track's "lack of SLSA", a result the VSA spec lists), and the same in a chain with no
// provenance stage; a chain whose provenance was built on a self-hosted runner gets that
// provenance's Build L1, not the lint job's L2; honest provenance still earns Build L2.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';
import { releaseWorkspace } from '../../testkit/release-scene.ts';

let services: LocalServices;
let scratch: string;
let ws: string;

const workflow = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;
const LINT = 'https://example.com/attestation/lint/v1';
const GATE = `${workflow('deploy.yml')}@refs/tags/v1.2.0`;

async function attest(
  bundle: string,
  signer: string,
  inputs: Record<string, string>,
  claims: Record<string, string> = {},
): Promise<void> {
  const ref = `${workflow(signer)}@refs/tags/v1.2.0`;
  const defaults = services.issuer.claims;
  services.issuer.claims = { ...defaults, workflow_ref: ref, job_workflow_ref: ref, ...claims };
  let run: ActionRun;
  try {
    run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-path': 'app.tar.gz',
        sigstore: 'signing.json',
        'bundle-path': bundle,
        'attestations-api': 'false',
        ...inputs,
      },
    });
  } finally {
    services.issuer.claims = defaults;
  }
  assert.equal(run.code, 0, `${bundle}: ${run.stdout}`);
}

/** A verify step of the deploy workflow, with these policy inputs (and a VSA file, when `vsa` names one). */
async function gate(inputs: Record<string, string>): Promise<ActionRun> {
  const defaults = services.issuer.claims;
  services.issuer.claims = { ...defaults, workflow_ref: GATE, job_workflow_ref: GATE };
  try {
    return await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        'subject-path': 'app.tar.gz',
        'trusted-root': 'trusted_root.json',
        'certificate-oidc-issuer': services.issuer.issuer,
        repository: 'octo-org/octo-repo',
        'attestations-api': 'false',
        sigstore: 'signing.json',
        ...inputs,
      },
    });
  } finally {
    services.issuer.claims = defaults;
  }
}

/** A verify step signing a VSA as the deploy workflow; the VSA's statement, checked to verify. */
async function gateVsa(inputs: Record<string, string>): Promise<Record<string, unknown>> {
  const file = `vsa-${Math.random().toString(36).slice(2)}.intoto.jsonl`;
  const run = await gate({ 'vsa-path': file, ...inputs });
  assert.equal(run.code, 0, run.stdout);
  const [vsa = assert.fail('no VSA')] = readBundles(await readFile(path.join(ws, file), 'utf8'));
  verifyWithSigstoreJs(vsa, services.sigstore.trustedRoot, {
    san: `https://github.com/${GATE}`,
    issuer: services.issuer.issuer,
  });
  const statement = statementOf(vsa);
  assert.equal(statement.predicate['verificationResult'], 'PASSED');
  return statement.predicate;
}

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'adv-vsa-levels-'));
  ws = await releaseWorkspace(services, scratch);
  // "lint ok", from a GitHub-hosted job: no provenance at all.
  await attest('lint.sigstore.json', 'lint.yml', {
    'predicate-type': LINT,
    predicate: JSON.stringify({ linter: 'eslint', result: 'ok' }),
  });
  // Honest build provenance from a GitHub-hosted runner, and one built on a self-hosted runner that links to the lint.
  await attest('provenance.sigstore.json', 'release.yml', {});
  await attest(
    'provenance-self-hosted.sigstore.json',
    'release.yml',
    { links: 'lint.sigstore.json' },
    { runner_environment: 'self-hosted' },
  );
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a VSA claims only the build level verified provenance earned (issue #14, item 5)', () => {
  it('gives an artifact that passed on a "lint ok" attestation alone no build level', async () => {
    const vsa = await gateVsa({
      'bundle-path': 'lint.sigstore.json',
      'predicate-type': LINT,
      'signer-workflow': workflow('lint.yml'),
    });
    assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_0']);
  });

  it('gives a chain with no provenance stage no build level', async () => {
    const vsa = await gateVsa({
      'bundle-path': 'lint.sigstore.json',
      'require-chain': `${LINT} signer-workflow=${workflow('lint.yml')}`,
    });
    assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_0']);
  });

  it("takes a chain's level from its provenance stage, not from the runner of the stage before it", async () => {
    const chain = [
      `${LINT} signer-workflow=${workflow('lint.yml')}`,
      `provenance signer-workflow=${workflow('release.yml')}`,
    ].join('\n');
    const vsa = await gateVsa({
      'bundle-path': 'lint.sigstore.json\nprovenance-self-hosted.sigstore.json',
      'require-chain': chain,
    });
    assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_1']);
  });

  it('still gives Build L2 to provenance from a GitHub-hosted runner', async () => {
    const vsa = await gateVsa({
      'bundle-path': 'provenance.sigstore.json',
      'signer-workflow': workflow('release.yml'),
    });
    assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_2']);
  });
});

// Issue #19: Build L3 is claimed only for provenance signed by a reusable workflow of another repository
// than the source, pinned by the policy, on a GitHub-hosted runner. Each attack below gets a signature from
// the genuine local identity it names; what it cannot get is a certificate naming another signer.
describe('Build L3 is claimed only for a pinned reusable workflow of another repository (issue #19)', () => {
  const SIGNER = 'provenance-action/provenance-action/.github/workflows/provenance-slsa3.yml';
  const SIGNER_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
  const isolated = (ref: string, extra: Record<string, string> = {}): Record<string, string> => ({
    workflow_ref: `${workflow('release.yml')}@refs/tags/v1.2.0`,
    job_workflow_ref: `${ref}@refs/tags/v1.3.0`,
    job_workflow_sha: SIGNER_SHA,
    ...extra,
  });
  before(async () => {
    await attest('isolated.sigstore.json', 'release.yml', {}, isolated(SIGNER));
    await attest('same-repo.sigstore.json', 'release.yml', {}, isolated(workflow('provenance-slsa3.yml')));
    await attest(
      'same-repo-other-case.sigstore.json',
      'release.yml',
      {},
      isolated('Octo-Org/Octo-Repo/.github/workflows/provenance-slsa3.yml'),
    );
    await attest(
      'isolated-self-hosted.sigstore.json',
      'release.yml',
      {},
      isolated(SIGNER, { runner_environment: 'self-hosted' }),
    );
  });

  it('claims L3 for the isolated signer pinned by tag, and by commit through builder-id', async () => {
    const byTag = await gateVsa({
      'bundle-path': 'isolated.sigstore.json',
      'signer-workflow': `${SIGNER}@refs/tags/v1.3.0`,
    });
    assert.deepEqual(byTag['verifiedLevels'], ['SLSA_BUILD_LEVEL_3']);
    const byCommit = await gateVsa({
      'bundle-path': 'isolated.sigstore.json',
      'builder-id': `https://github.com/${SIGNER}@${SIGNER_SHA}`,
    });
    assert.deepEqual(byCommit['verifiedLevels'], ['SLSA_BUILD_LEVEL_3']);
  });

  it('claims only L2 when the policy names the signer without a ref', async () => {
    const unpinned = await gateVsa({ 'bundle-path': 'isolated.sigstore.json', 'signer-workflow': SIGNER });
    assert.deepEqual(unpinned['verifiedLevels'], ['SLSA_BUILD_LEVEL_2']);
  });

  it('claims only L2 for a signer workflow in the source repository, whatever the case of its name', async () => {
    for (const [bundle, signer] of [
      ['same-repo.sigstore.json', workflow('provenance-slsa3.yml')],
      ['same-repo-other-case.sigstore.json', 'Octo-Org/Octo-Repo/.github/workflows/provenance-slsa3.yml'],
    ] as const) {
      const vsa = await gateVsa({ 'bundle-path': bundle, 'signer-workflow': `${signer}@refs/tags/v1.3.0` });
      assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_2'], bundle);
    }
  });

  it('claims only L1 for the isolated signer on a self-hosted runner', async () => {
    const vsa = await gateVsa({
      'bundle-path': 'isolated-self-hosted.sigstore.json',
      'signer-workflow': `${SIGNER}@refs/tags/v1.3.0`,
    });
    assert.deepEqual(vsa['verifiedLevels'], ['SLSA_BUILD_LEVEL_1']);
  });

  it('refuses a plain step whose predicate claims the isolated signer as its builder: it is checked against the certificate', async () => {
    const forged = {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: 'refs/tags/v1.2.0',
            repository: 'https://github.com/octo-org/octo-repo',
            path: '.github/workflows/release.yml',
          },
        },
        internalParameters: { github: { event_name: 'push', runner_environment: 'github-hosted' } },
        resolvedDependencies: [],
      },
      runDetails: { builder: { id: `https://github.com/${SIGNER}@refs/tags/v1.3.0` }, metadata: {} },
    };
    await attest('forged-builder.sigstore.json', 'release.yml', {
      'predicate-type': 'https://slsa.dev/provenance/v1',
      predicate: JSON.stringify(forged),
    });
    const run = await gate({
      'bundle-path': 'forged-builder.sigstore.json',
      'builder-id': `https://github.com/${SIGNER}@refs/tags/v1.3.0`,
      'report-path': 'forged-report.json',
    });
    assert.equal(run.code, 1, run.stdout);
    const report = JSON.parse(await readFile(path.join(ws, 'forged-report.json'), 'utf8')) as {
      artifacts: { bundles: { failures: { check: string }[] }[] }[];
    };
    const checks = report.artifacts.flatMap((a) => a.bundles.flatMap((b) => b.failures.map((f) => f.check)));
    // The certificate names release.yml: the policy's builder is not the signer, and the predicate lies about it.
    assert.deepEqual(checks.sort(), ['builder-id', 'predicate-matches-certificate']);
  });
});
