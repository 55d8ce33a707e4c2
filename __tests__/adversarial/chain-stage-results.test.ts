// Issue #14, item 1: require-chain must read what each stage says. Every bundle here is genuine:
// signed by the bundled action (dist/index.js) with the local job identity of the workflow its
// stage line allows, and linked to the stage before. What differs is the stage's own document: a
// policy evaluation that FAILED (conftest failures, a VSA saying FAILED), an approval whose
// result is "fail", one made by a job with no deployment environment (so nobody approved it), or
// one from another environment than the stage line names. Each used to satisfy the chain (verify
// exited 0); now the gate fails with one line naming the stage and what its document said, and
// the honest chain still passes.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { releaseWorkspace } from '../../testkit/release-scene.ts';

let services: LocalServices;
let scratch: string;
let ws: string;

const workflow = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;

// The policy stage's documents, as the tools write them.
const CONFTEST_PASSED = [{ filename: 'deploy.yaml', namespace: 'main', successes: 4 }];
const CONFTEST_FAILED = [
  { filename: 'deploy.yaml', namespace: 'main', successes: 3, failures: [{ msg: 'containers must not run as root' }] },
];
const VSA_FAILED = {
  verifier: { id: 'https://example.com/policy-engine' },
  timeVerified: '2026-11-01T00:00:00Z',
  resourceUri: 'file:app.tar.gz',
  policy: { uri: 'https://example.com/policies/release' },
  verificationResult: 'FAILED',
  verifiedLevels: ['FAILED'],
};

interface Attest {
  bundle: string;
  signer: string;
  inputs: Record<string, string>;
  links?: string;
  /** Claims of the job's token over the defaults; undefined removes a claim. */
  claims?: Record<string, string | undefined>;
}

async function attest(step: Attest): Promise<void> {
  const ref = `${workflow(step.signer)}@refs/tags/v1.2.0`;
  const defaults = services.issuer.claims;
  services.issuer.claims = { ...defaults, workflow_ref: ref, job_workflow_ref: ref, ...step.claims };
  for (const [k, v] of Object.entries(services.issuer.claims)) if (v === undefined) delete services.issuer.claims[k];
  let run: ActionRun;
  try {
    run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-path': 'app.tar.gz',
        sigstore: 'signing.json',
        'bundle-path': step.bundle,
        links: step.links ?? '',
        'attestations-api': 'false',
        ...step.inputs,
      },
    });
  } finally {
    services.issuer.claims = defaults;
  }
  assert.equal(run.code, 0, `${step.bundle}: ${run.stdout}`);
}

const PROVENANCE = 'provenance.sigstore.json';
const chain = (approvalOptions = ''): string =>
  [
    `provenance signer-workflow=${workflow('release.yml')}`,
    `policy signer-workflow=${workflow('policy.yml')}`,
    `approval signer-workflow=${workflow('deploy.yml')}${approvalOptions}`,
  ].join('\n');

async function gate(policy: string, approval: string, approvalOptions = ''): Promise<ActionRun> {
  return runAction(services, {
    scratch,
    workspace: ws,
    inputs: {
      mode: 'verify',
      'subject-path': 'app.tar.gz',
      'bundle-path': [PROVENANCE, policy, approval].join('\n'),
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': services.issuer.issuer,
      repository: 'octo-org/octo-repo',
      'attestations-api': 'false',
      'require-chain': chain(approvalOptions),
    },
  });
}

/** The step's failure line for a stage rejected on what its own document says. */
const rejected = (stage: string, number: number, bundle: string, expected: string, found: string): RegExp =>
  new RegExp(
    `^::error::release chain broken for 1 of 1 artifact\\(s\\): app\\.tar\\.gz: stage "${stage}" rejected \\(stage-result: expected stage ${number} "${stage}" \\(${bundle.replace(/\./g, '\\.')}\\): ${expected}, found ${found}\\)\\. To fix: .*\\[VERIFICATION_FAILED\\]$`,
  );

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'adv-chain-results-'));
  ws = await releaseWorkspace(services, scratch);
  await writeFile(path.join(ws, 'conftest-passed.json'), JSON.stringify(CONFTEST_PASSED));
  await writeFile(path.join(ws, 'conftest-failed.json'), JSON.stringify(CONFTEST_FAILED));
  await writeFile(path.join(ws, 'vsa-failed.json'), JSON.stringify(VSA_FAILED));
  await writeFile(path.join(ws, 'approval-fail.json'), JSON.stringify({ result: 'fail' }));

  await attest({ bundle: PROVENANCE, signer: 'release.yml', inputs: {} });
  // Policy evaluations, each linking to the build.
  for (const [bundle, document] of [
    ['policy-passed.sigstore.json', 'conftest-passed.json'],
    ['policy-conftest-failed.sigstore.json', 'conftest-failed.json'],
    ['policy-vsa-failed.sigstore.json', 'vsa-failed.json'],
  ]) {
    await attest({
      bundle: bundle ?? '',
      signer: 'policy.yml',
      inputs: { stage: 'policy', 'predicate-path': document ?? '' },
      links: PROVENANCE,
    });
  }
  // Approvals in the production environment that link to the failed evaluations: the gate must not let them through.
  const production = { environment: 'production' };
  await attest({
    bundle: 'approval-after-conftest-failed.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval' },
    links: 'policy-conftest-failed.sigstore.json',
    claims: production,
  });
  await attest({
    bundle: 'approval-after-vsa-failed.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval' },
    links: 'policy-vsa-failed.sigstore.json',
    claims: production,
  });
  // Approvals of the passing evaluation: honest, failed, in no environment, in another environment.
  await attest({
    bundle: 'approval.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval' },
    links: 'policy-passed.sigstore.json',
    claims: production,
  });
  await attest({
    bundle: 'approval-fail.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval', 'predicate-path': 'approval-fail.json' },
    links: 'policy-passed.sigstore.json',
    claims: production,
  });
  await attest({
    bundle: 'approval-no-environment.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval' },
    links: 'policy-passed.sigstore.json',
    claims: { environment: undefined },
  });
  await attest({
    bundle: 'approval-staging.sigstore.json',
    signer: 'deploy.yml',
    inputs: { stage: 'approval' },
    links: 'policy-passed.sigstore.json',
    claims: { environment: 'staging' },
  });
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('require-chain reads what each stage says (issue #14, item 1)', () => {
  it('passes the honest chain: the policy evaluation passed, and production approved', async () => {
    const run = await gate('policy-passed.sigstore.json', 'approval.sigstore.json');
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
  });

  it('fails a policy stage whose conftest result lists failures', async () => {
    const run = await gate('policy-conftest-failed.sigstore.json', 'approval-after-conftest-failed.sigstore.json');
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['verified'], 'false');
    assert.match(
      run.errors.at(-1) ?? '',
      rejected(
        'policy',
        2,
        'policy-conftest-failed.sigstore.json',
        'a test result "PASSED" or "WARNED" with no failed tests',
        'result "FAILED" with 1 failed test\\(s\\)',
      ),
    );
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
  });

  it('fails a policy stage whose VSA says verificationResult FAILED', async () => {
    const run = await gate('policy-vsa-failed.sigstore.json', 'approval-after-vsa-failed.sigstore.json');
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      rejected(
        'policy',
        2,
        'policy-vsa-failed.sigstore.json',
        'a VSA whose verificationResult is "PASSED"',
        'verificationResult "FAILED"',
      ),
    );
  });

  it('fails an approval whose result is fail', async () => {
    const run = await gate('policy-passed.sigstore.json', 'approval-fail.sigstore.json');
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      rejected('approval', 3, 'approval-fail.sigstore.json', 'an approval whose result is "pass"', 'result "fail"'),
    );
  });

  it('fails an approval made by a job with no deployment environment: nobody approved anything', async () => {
    const run = await gate('policy-passed.sigstore.json', 'approval-no-environment.sigstore.json');
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      rejected(
        'approval',
        3,
        'approval-no-environment.sigstore.json',
        'an approval made in a deployment environment \\(whose reviewers let the job run\\)',
        'a job with no deployment environment, so nobody approved it',
      ),
    );
  });

  it('requires the environment the stage line names (approval environment=production)', async () => {
    const named = await gate('policy-passed.sigstore.json', 'approval.sigstore.json', ' environment=production');
    assert.equal(named.code, 0, named.stdout);
    // Without environment=, an approval from staging is still someone's approval ...
    const any = await gate('policy-passed.sigstore.json', 'approval-staging.sigstore.json');
    assert.equal(any.code, 0, any.stdout);
    // ... but not production's.
    const run = await gate('policy-passed.sigstore.json', 'approval-staging.sigstore.json', ' environment=production');
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      rejected(
        'approval',
        3,
        'approval-staging.sigstore.json',
        'an approval in deployment environment "production"',
        'environment "staging"',
      ),
    );
  });

  it('refuses environment= on a stage that is not an approval, naming the stage', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        'subject-path': 'app.tar.gz',
        'bundle-path': PROVENANCE,
        'trusted-root': 'trusted_root.json',
        repository: 'octo-org/octo-repo',
        'attestations-api': 'false',
        'require-chain': `provenance signer-workflow=${workflow('release.yml')} environment=production`,
      },
    });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::require-chain, stage 1: "environment" applies only to an approval or a deployment stage, not to "provenance"\. .*\[INPUT_INVALID\]$/,
    );
  });
});
