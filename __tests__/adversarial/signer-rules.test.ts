// Issue #14, item 3: signer rules that leave the source open. A builder (slsa-github-generator, or
// any reusable workflow) signs for every repository that calls it: its certificate names the
// builder as signer and the CALLER as source. Here evil/app calls octo-org/builder's reusable
// workflow, end to end through the bundled action against the local stack; a gate whose rules
// name only the builder (builder-id, signer-repository, signer-workflow) used to pass it.
// Now builder-id and signer-repository without repository or owner are refused before any bundle
// is read, signer-workflow alone means "that workflow, in its own repository", and the same holds
// for each stage of require-chain.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { REPO_ROOT, runAction, runProcess, type ActionRun } from '../../testkit/runner.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { releaseWorkspace } from '../../testkit/release-scene.ts';

const BUILDER = 'octo-org/builder/.github/workflows/build.yml';
const BUILDER_REF = `${BUILDER}@refs/tags/v1.2.0`;

let services: LocalServices;
let scratch: string;
let ws: string;

/** Attest mode in a job of `repository`, whose job_workflow_ref is `jobWorkflowRef`. */
async function attestAs(repository: string, jobWorkflowRef: string, bundle: string): Promise<void> {
  const defaults = services.issuer.claims;
  const [owner = ''] = repository.split('/');
  const workflowRef = `${repository}/.github/workflows/release.yml@refs/tags/v1.2.0`;
  services.issuer.claims = {
    ...defaults,
    repository,
    repository_owner: owner,
    sub: `repo:${repository}:ref:refs/tags/v1.2.0`,
    workflow_ref: workflowRef,
    job_workflow_ref: jobWorkflowRef,
  };
  try {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-path': 'app.tar.gz',
        sigstore: 'signing.json',
        'bundle-path': bundle,
        'attestations-api': 'false',
      },
    });
    assert.equal(run.code, 0, run.stdout);
  } finally {
    services.issuer.claims = defaults;
  }
}

const gate = (rules: Record<string, string>, bundle = 'evil.sigstore.json'): Record<string, string> => ({
  mode: 'verify',
  'subject-path': 'app.tar.gz',
  'bundle-path': bundle,
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  'attestations-api': 'false',
  ...rules,
});

const verify = (rules: Record<string, string>, bundle?: string): Promise<ActionRun> =>
  runAction(services, { scratch, workspace: ws, inputs: gate(rules, bundle) });
const report = async (run: ActionRun): Promise<VerifyReport> =>
  JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'adversarial-signer-'));
  ws = await releaseWorkspace(services, scratch);
  // The attack: evil/app calls octo-org/builder's reusable workflow.
  await attestAs('evil/app', BUILDER_REF, 'evil.sigstore.json');
  // The legitimate uses: octo-org/app calling the same builder, and octo-org/builder building itself.
  await attestAs('octo-org/app', BUILDER_REF, 'app.sigstore.json');
  await attestAs('octo-org/builder', BUILDER_REF, 'builder.sigstore.json');
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a policy that names the builder but not the source', () => {
  for (const [name, value] of [
    ['builder-id', `https://github.com/${BUILDER_REF}`],
    ['signer-repository', 'octo-org/builder'],
  ] as const) {
    it(`refuses ${name} alone before any bundle is read, in one line`, async () => {
      const run = await verify({ [name]: value });
      assert.equal(run.code, 1);
      assert.equal(run.errors.length, 1, run.stdout);
      assert.match(
        run.errors[0] ?? '',
        new RegExp(
          `^::error::verify mode: ${name} "[^"]+" names the workflow that signs, not the repository it builds, and neither repository nor owner is set, .*Add "repository: OWNER/REPO" \\(or "owner: OWNER"\\).*\\[INPUT_CONFLICT\\]$`,
        ),
      );
      assert.doesNotMatch(run.stdout, /read \d+ bundle/);
    });

    it(`passes ${name} with repository for the caller it names, and fails the attacker's bundle`, async () => {
      const good = await verify({ [name]: value, repository: 'octo-org/app' }, 'app.sigstore.json');
      assert.equal(good.code, 0, good.stdout);
      const evil = await verify({ [name]: value, repository: 'octo-org/app' });
      assert.equal(evil.code, 1);
      assert.match(
        evil.errors.at(-1) ?? '',
        /app\.tar\.gz \(repository: expected octo-org\/app, found https:\/\/github\.com\/evil\/app/,
      );
    });
  }

  it('reads signer-workflow alone as the workflow in its own repository: a caller from elsewhere fails', async () => {
    const evil = await verify({ 'signer-workflow': BUILDER });
    assert.equal(evil.code, 1);
    assert.match(
      evil.errors.at(-1) ?? '',
      /app\.tar\.gz \(repository: expected octo-org\/builder, the signer workflow's own repository \(signer-workflow without repository or owner accepts no caller from another repository; set repository or owner to allow one\), found https:\/\/github\.com\/evil\/app\)/,
    );
    const own = await verify({ 'signer-workflow': BUILDER }, 'builder.sigstore.json');
    assert.equal(own.code, 0, own.stdout);
    assert.equal((await report(own)).artifacts[0]?.result, 'PASS');
  });

  it('accepts owner as the source rule', async () => {
    const evil = await verify({ 'builder-id': `https://github.com/${BUILDER_REF}`, owner: 'octo-org' });
    assert.equal(evil.code, 1);
    assert.match(evil.errors.at(-1) ?? '', /\(owner: expected octo-org, found https:\/\/github\.com\/evil/);
  });

  it('refuses a require-chain stage whose own rules leave the source open', async () => {
    const run = await verify({ 'require-chain': `provenance builder-id=https://github.com/${BUILDER_REF}` });
    assert.equal(run.code, 1);
    assert.equal(run.errors.length, 1, run.stdout);
    assert.match(
      run.errors[0] ?? '',
      /^::error::require-chain, stage 1 \("provenance"\): builder-id "https:\/\/github\.com\/octo-org\/builder\/[^"]+" names the workflow that signs, not the repository it builds.*\[INPUT_CONFLICT\]$/,
    );
    const pinned = await verify({
      repository: 'octo-org/app',
      'require-chain': `provenance builder-id=https://github.com/${BUILDER_REF}`,
    });
    assert.equal(pinned.code, 1);
    assert.match(
      pinned.errors.at(-1) ?? '',
      /stage "provenance" rejected \(repository: expected stage 1 "provenance" \(evil\.sigstore\.json\): octo-org\/app/,
    );
  });

  it('the CLI refuses builder-id alone with the same line', async () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const run = await runProcess(
      process.execPath,
      [
        cli,
        'verify',
        '--subject-path',
        'app.tar.gz',
        '--bundle-path',
        'evil.sigstore.json',
        '--trusted-root',
        'trusted_root.json',
        '--certificate-oidc-issuer',
        services.issuer.issuer,
        '--builder-id',
        `https://github.com/${BUILDER_REF}`,
      ],
      { PATH: process.env['PATH'] ?? '' },
      ws,
    );
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stderr,
      /^provenance: verify mode: builder-id "[^"]+" names the workflow that signs, not the repository it builds/m,
    );
  });
});
