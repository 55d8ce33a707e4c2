// The workflows users meet, run as written through the runner harness against the local stack: the
// release workflow of this repository (its hashing job, the provenance-slsa3.yml job it calls, and its verify
// step; testkit/workflow-job.ts runs a job's steps, with stand-ins for checkout) and the first workflow of the
// README. The `with:` blocks come from the files through GitHub's parser,
// with their expressions evaluated as the runner does. The one thing added is the Sigstore instance
// (`sigstore`, `trusted-root`, `certificate-oidc-issuer`): on github.com those defaults name public-good or
// GitHub's instance, which this machine cannot reach, so each run names the local stack instead.
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { startActionsArtifacts, type ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';
import {
  DEFAULT_REF,
  DEFAULT_REPOSITORY,
  DEFAULT_SHA,
  defaultClaims,
  startLocalServices,
  type LocalServices,
} from '../../testkit/index.ts';
import { interpolate } from '../../testkit/action-manifest.ts';
import { REPO_ROOT, runAction, runProcess } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import { actionCheckout, runWorkflowJob, type JobRun, type StandIn } from '../../testkit/workflow-job.ts';
import { parseWorkflowText, type ParsedWorkflow } from '../../testkit/workflow-parser.ts';
import { parseSnippet, workflowSteps, yamlBlocks, type WorkflowStep } from '../../testkit/workflow-steps.ts';

let services: LocalServices;
let artifacts: ActionsArtifactsStandIn;
/** provenance-slsa3.yml checks out the action with this (pinned) actions/checkout. */
const SIGNER_CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
let scratch: string;

before(async () => {
  services = await startLocalServices();
  artifacts = await startActionsArtifacts();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'workflows-e2e-'));
});
after(async () => {
  await Promise.all([services.stop(), artifacts.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  return ws;
}
const localSigning = { sigstore: 'signing.json' };
const localTrust = (): Record<string, string> => ({
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const step = (steps: WorkflowStep[], job: string, uses: string): WorkflowStep =>
  steps.find((s) => s.job === job && s.uses === uses) ?? assert.fail(`no ${uses} step in job ${job}`);

describe('.github/workflows/release.yml, its jobs run as written: hash, sign through provenance-slsa3.yml, verify', () => {
  let release: ParsedWorkflow;
  let ws: string;
  let signed: JobRun;
  let shipped: string[];

  before(async () => {
    release = await parseWorkflowText(
      'release.yml',
      await readFile(path.join(REPO_ROOT, '.github', 'workflows', 'release.yml'), 'utf8'),
    );
    assert.deepEqual(release.errors, []);
    ws = await workspace();
    // The checkout at the tag: the files the action runs, committed.
    const checkout: StandIn = async (call) => {
      await cp(path.join(REPO_ROOT, 'dist'), path.join(call.workspace, 'dist'), { recursive: true });
      await cp(path.join(REPO_ROOT, 'action.yml'), path.join(call.workspace, 'action.yml'));
      const git = await runProcess(
        'sh',
        ['-c', 'git init -q && git add -- dist action.yml'],
        process.env,
        call.workspace,
      );
      return { code: git.code, stderr: git.stderr };
    };
    const subjects = await runWorkflowJob(services, {
      workflow: release,
      job: 'subjects',
      workspace: ws,
      scratch,
      standIns: { 'actions/checkout@v4': checkout },
    });
    assert.equal(subjects.code, 0, subjects.steps.map((s) => s.stdout + s.stderr).join('\n'));
    shipped = [...(await filesUnder(path.join(ws, 'dist'))).map((f) => `dist/${f}`), 'action.yml'];

    // What `gh release create "$GITHUB_REF_NAME"` did in the release job.
    services.github.createRelease(DEFAULT_REPOSITORY, DEFAULT_REF.replace('refs/tags/', ''));
    // The provenance job calls ./.github/workflows/provenance-slsa3.yml: GitHub names it, at the tag, in the
    // called job's token.
    const call = (release.document as { jobs: Record<string, { uses: string; with: Record<string, string> }> }).jobs[
      'provenance'
    ];
    assert.equal(call?.uses, './.github/workflows/provenance-slsa3.yml');
    services.issuer.claims = {
      ...defaultClaims(services.issuer.issuer),
      job_workflow_ref: `${DEFAULT_REPOSITORY}/.github/workflows/provenance-slsa3.yml@${DEFAULT_REF}`,
    };
    const needs = { subjects: { outputs: subjects.outputs, result: 'success' } };
    signed = await runWorkflowJob(services, {
      workflow: await parseWorkflowText(
        'provenance-slsa3.yml',
        await readFile(path.join(REPO_ROOT, '.github', 'workflows', 'provenance-slsa3.yml'), 'utf8'),
      ),
      job: 'provenance',
      workspace: await workspace(),
      scratch,
      inputs: Object.fromEntries(Object.entries(call.with).map(([k, v]) => [k, interpolate(v, { needs })])),
      standIns: {
        [SIGNER_CHECKOUT]: actionCheckout({ repository: DEFAULT_REPOSITORY, ref: DEFAULT_SHA }, REPO_ROOT),
      },
      actionInputs: localSigning,
      env: artifacts.env,
    });
  });

  it('signs every file the action runs, as committed at the tag (all of dist/, chunks included, and action.yml)', async () => {
    assert.equal(signed.code, 0, signed.steps.map((s) => s.stdout + s.stderr).join('\n'));
    const provenance = signed.steps.find((s) => s.id === 'provenance');
    assert.equal(provenance?.outputs['subject-count'], String(shipped.length));
    const bundles = readBundles(await readFile(provenance?.outputs['bundle-path'] ?? '', 'utf8'));
    const subjects = bundles.flatMap((b) => statementOf(b).subject.map((s) => s.name));
    assert.deepEqual(subjects.sort(), [...shipped].sort());
  });

  it('publishes the bundle as the release asset and through the attestations API', () => {
    assert.deepEqual(
      services.github.assets(DEFAULT_REPOSITORY, 'v1.2.0').map((a) => a.name),
      ['provenance-action.intoto.jsonl'],
    );
    assert.equal(
      services.github.attestations(DEFAULT_REPOSITORY).length,
      signed.outputs['statement-digests']?.split('\n').length,
    );
  });

  const verifyStep = (): WorkflowStep => step(workflowSteps(release), 'verify', './');

  it('the verify job passes the published release, reading the release asset and the attestations API', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...verifyStep().with, ...localTrust(), 'report-path': 'report.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
    const report = JSON.parse(await readFile(path.join(ws, 'report.json'), 'utf8')) as VerifyReport;
    assert.equal(report.artifacts.length, shipped.length);
    assert.ok(report.artifacts.every((a) => a.result === 'PASS'));
  });

  it('the verify job refuses provenance signed by a plain step of release.yml: it requires the isolated signer', async () => {
    services.issuer.claims = defaultClaims(services.issuer.issuer);
    const plainWs = await workspace();
    await cp(path.join(ws, 'dist'), path.join(plainWs, 'dist'), { recursive: true });
    await cp(path.join(ws, 'action.yml'), path.join(plainWs, 'action.yml'));
    const plain = await runAction(services, {
      scratch,
      workspace: plainWs,
      inputs: { 'subject-path': 'dist/**\naction.yml', ...localSigning, 'bundle-path': 'plain.intoto.jsonl' },
    });
    assert.equal(plain.code, 0, plain.stdout);
    const run = await runAction(services, {
      scratch,
      workspace: plainWs,
      inputs: {
        ...verifyStep().with,
        ...localTrust(),
        release: '',
        'attestations-api': 'false',
        'bundle-path': 'plain.intoto.jsonl',
      },
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /provenance-slsa3\.yml/);
  });

  it('the verify job fails when a shipped file differs from what was attested', async () => {
    await appendFile(path.join(ws, 'dist', 'index.js'), '\n// changed after the release\n');
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...verifyStep().with, ...localTrust() },
    });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['verified'], 'false');
    assert.match(run.errors.at(-1) ?? '', /verification failed for 1 of \d+ artifact\(s\): index\.js/);
  });
});

describe('the first workflow of the README, as written', () => {
  it('attests dist/*, and the next step finds the bundle at the output it reads', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const first = yamlBlocks(readme)[0] ?? assert.fail('no yaml block in README');
    const parsed = await parseSnippet(first.text);
    assert.deepEqual(parsed.errors, []);
    const steps = workflowSteps(parsed);
    const provenance = step(steps, 'build', 'OWNER/provenance-action@v1');
    assert.ok(
      steps.some((s) => s.run === 'make dist'),
      'the README builds with make dist',
    );

    const ws = await workspace();
    await mkdir(path.join(ws, 'dist'));
    await writeFile(path.join(ws, 'dist', 'app-linux'), 'linux build');
    await writeFile(path.join(ws, 'dist', 'app-darwin'), 'darwin build');
    const run = await runAction(services, { scratch, workspace: ws, inputs: { ...provenance.with, ...localSigning } });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['subject-count'], '2');

    // The upload step reads ${{ steps.provenance.outputs.bundle-path }}: it must name the bundle file.
    const upload = step(steps, 'build', 'actions/upload-artifact@v4');
    const bundlePath = interpolate(upload.with['path'] ?? '', {
      steps: { [provenance.id ?? '']: { outputs: run.outputs } },
    });
    const bundles = readBundles(await readFile(bundlePath, 'utf8'));
    assert.deepEqual(bundles.flatMap((b) => statementOf(b).subject.map((s) => s.name)).sort(), [
      'app-darwin',
      'app-linux',
    ]);

    // A later job downloads the artifact into its workspace and verifies, as the README's gate does.
    await cp(bundlePath, path.join(ws, 'provenance', path.basename(bundlePath)), { recursive: true });
    const verify = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        'subject-path': 'dist/*',
        'bundle-path': `provenance/${path.basename(bundlePath)}`,
        repository: DEFAULT_REPOSITORY,
        ...localTrust(),
      },
    });
    assert.equal(verify.code, 0, verify.stdout);
  });
});
