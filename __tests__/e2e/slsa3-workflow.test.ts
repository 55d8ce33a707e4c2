// .github/workflows/provenance-slsa3.yml, the isolated signer (issue 19), run step by step as a runner runs
// its job (testkit/workflow-job.ts) against the local Sigstore stack, the OIDC issuer, the GitHub API stand-in
// and the Actions artifact stand-in. The token is the one GitHub gives a job of a called workflow:
// job_workflow_ref and job_workflow_sha name provenance-slsa3.yml at its release, workflow_ref names the
// caller's workflow. actions/checkout cannot be fetched here, so a stand-in checks out this repository's action,
// and only at the commit the token names. The bundle is then judged by verify mode, as a user's gate would.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { startActionsArtifacts, type ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';
import {
  DEFAULT_REPOSITORY,
  DEFAULT_SHA,
  defaultClaims,
  startLocalServices,
  type GitHubJobClaims,
  type LocalServices,
} from '../../testkit/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { REPO_ROOT, runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import { DefaultArtifactClient } from '@actions/artifact';
import { withArtifactEnv } from '../../src/github/workflow-artifacts.ts';
import { interpolate } from '../../testkit/action-manifest.ts';
import { actionCheckout, artifactStore, runWorkflowJob, thisAction, type JobRun } from '../../testkit/workflow-job.ts';
import { parseSnippet, yamlBlocks } from '../../testkit/workflow-steps.ts';
import { parseWorkflowText, type ParsedWorkflow } from '../../testkit/workflow-parser.ts';

const SIGNER_REPOSITORY = 'provenance-action/provenance-action';
const SIGNER_PATH = '.github/workflows/provenance-slsa3.yml';
const SIGNER_SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
/** The policy that pins the isolated signer by tag, plus the source repository: Build L3. */
const L3_POLICY = {
  repository: DEFAULT_REPOSITORY,
  'signer-workflow': `${SIGNER_REPOSITORY}/${SIGNER_PATH}@refs/tags/v1.3.0`,
};

let services: LocalServices;
let artifacts: ActionsArtifactsStandIn;
let scratch: string;
let workflow: ParsedWorkflow;

before(async () => {
  services = await startLocalServices();
  artifacts = await startActionsArtifacts();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'slsa3-workflow-'));
  workflow = await parseWorkflowText('provenance-slsa3.yml', await readFile(path.join(REPO_ROOT, SIGNER_PATH), 'utf8'));
});
after(async () => {
  await Promise.all([services.stop(), artifacts.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

/** The token of the called workflow's job: the caller's run, the signer workflow's job. */
function isolatedClaims(signerRef = 'refs/tags/v1.3.0'): GitHubJobClaims {
  return {
    ...defaultClaims(services.issuer.issuer),
    job_workflow_ref: `${SIGNER_REPOSITORY}/${SIGNER_PATH}@${signerRef}`,
    job_workflow_sha: SIGNER_SHA,
  };
}
beforeEach(() => {
  services.issuer.claims = isolatedClaims();
});

async function workspace(): Promise<string> {
  const ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  return ws;
}

/** What the caller's build job hands over: `sha256sum app-* | base64 -w0`. */
const FILES = { 'app-linux': 'linux build\n', 'app-darwin': 'darwin build\n' };
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const SUBJECTS = Buffer.from(
  Object.entries(FILES)
    .map(([name, content]) => `${sha256(content)}  ${name}\n`)
    .join(''),
).toString('base64');

let artifactCount = 0;
interface SignerRun {
  /** Secrets of the call, runner variables to add, and the repository the token names (default SIGNER_REPOSITORY). */
  secrets?: Record<string, string>;
  env?: Record<string, string>;
  signerRepository?: string;
  /** The inputs exactly as given: no bundle-artifact name of the test's own (the workflow's default is used). */
  asWritten?: boolean;
}

/** provenance-slsa3.yml's job, called with these inputs, with a bundle artifact name of its own. */
async function runSigner(
  inputs: Record<string, string | boolean>,
  options: SignerRun = {},
): Promise<{ job: JobRun; ws: string; bundleArtifact: string }> {
  const ws = await workspace();
  const bundleArtifact = `provenance-${++artifactCount}`;
  const job = await runWorkflowJob(services, {
    workflow,
    job: 'provenance',
    workspace: ws,
    scratch,
    inputs: options.asWritten === true ? inputs : { 'bundle-artifact': bundleArtifact, ...inputs },
    ...(options.secrets ? { secrets: options.secrets } : {}),
    standIns: {
      [CHECKOUT]: actionCheckout(
        { repository: options.signerRepository ?? SIGNER_REPOSITORY, ref: SIGNER_SHA },
        REPO_ROOT,
      ),
    },
    // github.com's Sigstore defaults cannot be reached here: the action step signs with the local stack.
    actionInputs: { sigstore: 'signing.json' },
    env: { ...artifacts.env, ...options.env },
  });
  return { job, ws, bundleArtifact };
}

/** A verify step of a later job: the files as built, the bundle from the workflow artifact, a policy. */
async function verify(ws: string, bundleArtifact: string, policy: Record<string, string>): Promise<ActionRun> {
  await mkdir(path.join(ws, 'dist'), { recursive: true });
  for (const [name, content] of Object.entries(FILES)) await writeFile(path.join(ws, 'dist', name), content);
  return runAction(services, {
    scratch,
    workspace: ws,
    inputs: {
      mode: 'verify',
      'subject-path': 'dist/*',
      artifact: bundleArtifact,
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': services.issuer.issuer,
      sigstore: 'signing.json',
      'report-path': 'report.json',
      'vsa-path': 'vsa.jsonl',
      ...policy,
    },
    env: artifacts.env,
  });
}

async function vsaLevels(ws: string): Promise<string[]> {
  const bundles = readBundles(await readFile(path.join(ws, 'vsa.jsonl'), 'utf8'));
  return bundles.flatMap((b) => statementOf(b).predicate['verifiedLevels'] as string[]);
}
const report = async (ws: string): Promise<VerifyReport> =>
  JSON.parse(await readFile(path.join(ws, 'report.json'), 'utf8')) as VerifyReport;

const stepNamed = (job: JobRun, name: string) =>
  job.steps.find((s) => s.id === name || s.name === name) ?? assert.fail(`no step ${name}`);
const jobLog = (job: JobRun): string => job.steps.map((s) => `${s.name}: ${s.code}\n${s.stdout}${s.stderr}`).join('\n');

describe('provenance-slsa3.yml signs in its own job, from its own commit', () => {
  let signed: Awaited<ReturnType<typeof runSigner>>;
  before(async () => {
    services.issuer.claims = isolatedClaims();
    signed = await runSigner({ subjects: SUBJECTS });
  });

  it('runs its steps: the verified token names the signer, the action is checked out at its commit, then signs', () => {
    assert.equal(signed.job.code, 0, jobLog(signed.job));
    assert.deepEqual(stepNamed(signed.job, 'signer').outputs, { repository: SIGNER_REPOSITORY, sha: SIGNER_SHA });
    assert.equal(stepNamed(signed.job, "Log in to the images' registry").skipped, true);
    assert.equal(stepNamed(signed.job, 'The subjects handed over').skipped, false);
    const bundlePath = stepNamed(signed.job, 'provenance').outputs['bundle-path'] ?? '';
    assert.equal(signed.job.outputs['bundle-artifact'], signed.bundleArtifact);
    assert.equal(signed.job.outputs['bundle-name'], path.basename(bundlePath));
    assert.match(signed.job.outputs['statement-digests'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(artifacts.artifacts.some((a) => a.name === signed.bundleArtifact && a.finalized));
  });

  it("names the signer workflow as builder, and records the caller's workflow, ref and commit", async () => {
    const bundlePath = stepNamed(signed.job, 'provenance').outputs['bundle-path'] ?? '';
    const [statement] = readBundles(await readFile(bundlePath, 'utf8')).map(statementOf);
    assert.ok(statement);
    assert.deepEqual(
      statement.subject.map((s) => [s.name, s.digest['sha256']]).sort(),
      Object.entries(FILES)
        .map(([name, content]) => [name, sha256(content)])
        .sort(),
    );
    const predicate = statement.predicate as {
      buildDefinition: {
        buildType: string;
        externalParameters: { workflow: Record<string, string> };
        resolvedDependencies: { digest: Record<string, string> }[];
      };
      runDetails: { builder: { id: string } };
    };
    assert.equal(predicate.buildDefinition.buildType, 'https://actions.github.io/buildtypes/workflow/v1');
    assert.equal(
      predicate.runDetails.builder.id,
      `https://github.com/${SIGNER_REPOSITORY}/${SIGNER_PATH}@refs/tags/v1.3.0`,
    );
    assert.deepEqual(predicate.buildDefinition.externalParameters.workflow, {
      ref: 'refs/tags/v1.2.0',
      repository: `https://github.com/${DEFAULT_REPOSITORY}`,
      path: '.github/workflows/release.yml',
    });
    assert.equal(predicate.buildDefinition.resolvedDependencies[0]?.digest['gitCommit'], DEFAULT_SHA);
  });

  it('passes the policy that pins the signer by tag, and its VSA claims SLSA_BUILD_LEVEL_3', async () => {
    const run = await verify(signed.ws, signed.bundleArtifact, L3_POLICY);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(await vsaLevels(signed.ws), ['SLSA_BUILD_LEVEL_3', 'SLSA_BUILD_LEVEL_3']);
  });

  it('passes builder-id pinned by tag, the same way', async () => {
    const run = await verify(signed.ws, signed.bundleArtifact, {
      repository: DEFAULT_REPOSITORY,
      'builder-id': `https://github.com/${SIGNER_REPOSITORY}/${SIGNER_PATH}@refs/tags/v1.3.0`,
    });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(await vsaLevels(signed.ws), ['SLSA_BUILD_LEVEL_3', 'SLSA_BUILD_LEVEL_3']);
  });

  it('passes signer-workflow pinned by the commit the caller reached through its tag, with an L3 VSA', async () => {
    const run = await verify(signed.ws, signed.bundleArtifact, {
      repository: DEFAULT_REPOSITORY,
      'signer-workflow': `${SIGNER_REPOSITORY}/${SIGNER_PATH}@${SIGNER_SHA}`,
    });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(await vsaLevels(signed.ws), ['SLSA_BUILD_LEVEL_3', 'SLSA_BUILD_LEVEL_3']);
  });

  it('names the signer check when the policy pins another release of the signer', async () => {
    const run = await verify(signed.ws, signed.bundleArtifact, {
      ...L3_POLICY,
      'signer-workflow': `${SIGNER_REPOSITORY}/${SIGNER_PATH}@refs/tags/v1.4.0`,
    });
    assert.equal(run.code, 1);
    const checks = (await report(signed.ws)).artifacts.flatMap((a) =>
      a.bundles.flatMap((b) => b.failures.map((f) => f.check)),
    );
    assert.ok(checks.length > 0 && checks.every((c) => c === 'signer-workflow'), checks.join(', '));
  });
});

describe('provenance-slsa3.yml in a workflow_dispatch run', () => {
  it('records the dispatch inputs from the event file the runner wrote for the isolated job', async () => {
    services.issuer.claims = { ...isolatedClaims(), event_name: 'workflow_dispatch' };
    const event = path.join(scratch, `dispatch-${++artifactCount}.json`);
    await writeFile(
      event,
      JSON.stringify({
        ref: services.issuer.claims.ref,
        repository: { full_name: DEFAULT_REPOSITORY },
        inputs: { channel: 'stable', version: '1.2.3' },
      }),
    );
    const signed = await runSigner({ subjects: SUBJECTS }, { env: { GITHUB_EVENT_PATH: event } });
    assert.equal(signed.job.code, 0, jobLog(signed.job));
    const bundlePath = stepNamed(signed.job, 'provenance').outputs['bundle-path'] ?? '';
    const [statement] = readBundles(await readFile(bundlePath, 'utf8')).map(statementOf);
    const predicate = statement?.predicate as {
      buildDefinition: {
        externalParameters: { inputs?: unknown };
        internalParameters: { github: { event_name: string } };
      };
    };
    assert.deepEqual(predicate.buildDefinition.externalParameters.inputs, { channel: 'stable', version: '1.2.3' });
    assert.equal(predicate.buildDefinition.internalParameters.github.event_name, 'workflow_dispatch');
  });
});

describe('provenance-slsa3.yml with artifact: the files are hashed inside the isolated job', () => {
  it('signs the files of the workflow artifact the build job uploaded, and the L3 policy passes', async () => {
    services.issuer.claims = isolatedClaims();
    // The build job's actions/upload-artifact (the same library, against the Actions artifact stand-in).
    const build = await mkdtemp(path.join(scratch, 'build-'));
    for (const [name, content] of Object.entries(FILES)) await writeFile(path.join(build, name), content);
    await withArtifactEnv(artifacts.env, () =>
      new DefaultArtifactClient().uploadArtifact(
        'dist',
        Object.keys(FILES).map((name) => path.join(build, name)),
        build,
      ),
    );
    const signed = await runSigner({ artifact: 'dist' });
    assert.equal(signed.job.code, 0, jobLog(signed.job));
    assert.equal(stepNamed(signed.job, 'The subjects handed over').skipped, true);
    const bundlePath = stepNamed(signed.job, 'provenance').outputs['bundle-path'] ?? '';
    const [statement] = readBundles(await readFile(bundlePath, 'utf8')).map(statementOf);
    assert.deepEqual(
      statement?.subject.map((s) => [s.name, s.digest['sha256']]).sort(),
      Object.entries(FILES)
        .map(([name, content]) => [name, sha256(content)])
        .sort(),
    );
    const run = await verify(signed.ws, signed.bundleArtifact, L3_POLICY);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(await vsaLevels(signed.ws), ['SLSA_BUILD_LEVEL_3', 'SLSA_BUILD_LEVEL_3']);
  });

  it('both subjects and artifact: refused before anything is signed', async () => {
    services.issuer.claims = isolatedClaims();
    const before = services.sigstore.requests.fulcio;
    const signed = await runSigner({ artifact: 'dist', subjects: SUBJECTS });
    assert.equal(signed.job.code, 1);
    assert.deepEqual(signed.job.errors, [
      '::error::provenance-slsa3: give exactly one of subjects, artifact, or subject-name with subject-digest (given: subjects artifact)',
    ]);
    assert.equal(services.sigstore.requests.fulcio, before);
  });
});

describe('provenance-slsa3.yml for an image, against a real registry', () => {
  let registry: DockerRegistry;
  before(async () => {
    registry = await startDockerRegistry();
  });
  after(() => registry.stop());

  it('logs in as docker login would, attaches the bundle to the image, and the L3 policy passes', async () => {
    services.issuer.claims = isolatedClaims();
    const { digest } = await pushTestImage(registry.url, 'octo/app', 'v1', 'slsa3');
    const image = `${registry.host}/octo/app`;
    const { job, ws } = await runSigner(
      {
        'subject-name': image,
        'subject-digest': digest,
        'push-to-registry': true,
        'attestations-api': 'false',
        'registry-username': 'robot',
      },
      { secrets: { 'registry-password': 'robot-secret' } },
    );
    assert.equal(job.code, 0, jobLog(job));
    assert.ok(!jobLog(job).includes('robot-secret'), 'the password is never printed');
    const configPath = path.join(job.home, '.docker', 'config.json');
    assert.deepEqual(JSON.parse(await readFile(configPath, 'utf8')), {
      auths: { [registry.host]: { auth: Buffer.from('robot:robot-secret').toString('base64') } },
    });
    assert.equal((await stat(configPath)).mode & 0o077, 0, 'only its owner reads the credentials');

    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        images: `${image}@${digest}`,
        'trusted-root': 'trusted_root.json',
        'certificate-oidc-issuer': services.issuer.issuer,
        sigstore: 'signing.json',
        'vsa-path': 'vsa.jsonl',
        ...L3_POLICY,
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(await vsaLevels(ws), ['SLSA_BUILD_LEVEL_3']);
  });

  it('an image name that is not registry/repository is refused before the credentials are written', async () => {
    services.issuer.claims = isolatedClaims();
    const before = services.sigstore.requests.fulcio;
    const { job } = await runSigner({
      'subject-name': '"evil":{}}/x',
      'subject-digest': `sha256:${'a'.repeat(64)}`,
      'push-to-registry': true,
    });
    assert.equal(job.code, 1);
    assert.match(job.errors.join('\n'), /subject-name must be registry\/repository/);
    await assert.rejects(stat(path.join(job.home, '.docker', 'config.json')));
    assert.equal(services.sigstore.requests.fulcio, before);
  });
});

describe('what cannot earn Build L3', () => {
  it('the same subjects attested by the action as a plain step: the L3 policy fails on the signer, the VSA says L2', async () => {
    services.issuer.claims = defaultClaims(services.issuer.issuer);
    const ws = await workspace();
    const bundleArtifact = `plain-${++artifactCount}`;
    const plain = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-checksums': Buffer.from(SUBJECTS, 'base64').toString('utf8'),
        sigstore: 'signing.json',
        'upload-artifact': bundleArtifact,
      },
      env: artifacts.env,
    });
    assert.equal(plain.code, 0, plain.stdout);

    const l3 = await verify(ws, bundleArtifact, L3_POLICY);
    assert.equal(l3.code, 1);
    const failures = (await report(ws)).artifacts.flatMap((a) => a.bundles.flatMap((b) => b.failures));
    assert.ok(failures.length > 0 && failures.every((f) => f.check === 'signer-workflow'));
    assert.match(l3.errors.join('\n'), /signer/i);

    const l2 = await verify(ws, bundleArtifact, { repository: DEFAULT_REPOSITORY });
    assert.equal(l2.code, 0, l2.stdout);
    assert.deepEqual(await vsaLevels(ws), ['SLSA_BUILD_LEVEL_2', 'SLSA_BUILD_LEVEL_2']);
  });

  it('a token naming the signer at a branch: the tag-pinned policy fails, and a branch-pinned one earns only L2', async () => {
    services.issuer.claims = isolatedClaims('refs/heads/main');
    const signed = await runSigner({ subjects: SUBJECTS });
    assert.equal(signed.job.code, 0, jobLog(signed.job));
    const pinned = await verify(signed.ws, signed.bundleArtifact, L3_POLICY);
    assert.equal(pinned.code, 1);
    const checks = (await report(signed.ws)).artifacts.flatMap((a) =>
      a.bundles.flatMap((b) => b.failures.map((f) => f.check)),
    );
    assert.ok(checks.length > 0 && checks.every((c) => c === 'signer-workflow'), checks.join(', '));

    const branch = await verify(signed.ws, signed.bundleArtifact, {
      ...L3_POLICY,
      'signer-workflow': `${SIGNER_REPOSITORY}/${SIGNER_PATH}@refs/heads/main`,
    });
    assert.equal(branch.code, 0, branch.stdout);
    assert.deepEqual(await vsaLevels(signed.ws), ['SLSA_BUILD_LEVEL_2', 'SLSA_BUILD_LEVEL_2']);
  });
});

describe('the signer refuses before anything is signed', () => {
  async function refused(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<JobRun> {
    const before = services.sigstore.requests.fulcio;
    const { job } = await runSigner(inputs, { env });
    assert.equal(job.code, 1, jobLog(job));
    assert.equal(job.errors.length, 1, job.errors.join('\n'));
    assert.equal(services.sigstore.requests.fulcio, before, 'nothing was signed');
    return job;
  }

  it('a token whose job_workflow_ref is not provenance-slsa3.yml (a copy run as a plain workflow)', async () => {
    services.issuer.claims = defaultClaims(services.issuer.issuer);
    const job = await refused({ subjects: SUBJECTS });
    assert.match(
      job.errors[0] ?? '',
      /job_workflow_ref "octo-org\/octo-repo\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.2\.0" is not provenance-slsa3\.yml/,
    );
    assert.deepEqual(
      job.steps.map((s) => [s.id ?? s.name, s.code]),
      [
        ['One source of subjects', 0],
        ['signer', 1],
      ],
    );
  });

  it('a token signed by a key its issuer does not publish', async () => {
    const forged = await services.issuer.mint({}, 'sigstore', { untrusted: true });
    const server = createServer((_, res) => res.end(JSON.stringify({ value: forged })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const job = await refused(
        { subjects: SUBJECTS },
        { ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?x=1` },
      );
      assert.match(job.errors[0] ?? '', /signature does not verify against its issuer's keys/);
    } finally {
      server.close();
    }
  });

  it('a token endpoint that cannot be reached, or that refuses, named with its origin', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await refused(
      { subjects: SUBJECTS },
      { ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?x=1` },
    );
    assert.match(
      unreachable.errors[0] ?? '',
      new RegExp(
        `the OIDC token endpoint \\(http://127\\.0\\.0\\.1:${port}\\) cannot be reached: ECONNREFUSED; re-run the job`,
      ),
    );
    const refusing = createServer((_, res) => {
      res.statusCode = 403;
      res.end('{"message":"Resource not accessible by integration"}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const { port: p } = refusing.address() as AddressInfo;
      const job = await refused(
        { subjects: SUBJECTS },
        { ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${p}/token?x=1` },
      );
      assert.match(job.errors[0] ?? '', /the OIDC token endpoint \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 403/);
      assert.ok(!job.errors[0]?.includes(services.issuer.requestToken), 'the request token is never printed');
    } finally {
      refusing.close();
    }
  });

  it('a job without id-token: write', async () => {
    const job = await refused({ subjects: SUBJECTS }, { ACTIONS_ID_TOKEN_REQUEST_URL: '' });
    assert.match(job.errors[0] ?? '', /grant the calling job "permissions: id-token: write"/);
  });

  it("no subjects at all, or a digest without its image name, named by the workflow's own inputs", async () => {
    services.issuer.claims = isolatedClaims();
    const none = await refused({});
    assert.match(
      none.errors[0] ?? '',
      /give exactly one of subjects, artifact, or subject-name with subject-digest \(given: none\)/,
    );
    assert.equal(none.steps.length, 1, 'refused before the token is requested');
    const half = await refused({ 'subject-digest': `sha256:${'a'.repeat(64)}` });
    assert.match(half.errors[0] ?? '', /subject-name and subject-digest go together/);
  });

  it('subjects that are not base64', async () => {
    const job = await refused({ subjects: 'not base64 at all!' });
    assert.match(job.errors[0] ?? '', /subjects is not base64/);
  });

  it('subjects that decode to something other than sha256sum lines', async () => {
    const job = await refused({ subjects: Buffer.from('hello world\n').toString('base64') });
    assert.match(job.errors[0] ?? '', /subject-checksums/);
  });
});

describe("the README's Build L3 snippets, as written", () => {
  it('the build job hands over its hashes, provenance-slsa3.yml signs, and the verify steps pass with an L3 VSA', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const blocks = yamlBlocks(readme);
    const callerBlock = blocks.find((b) =>
      /uses: OWNER\/provenance-action\/\.github\/workflows\/provenance-slsa3\.yml@/.test(b.text),
    );
    const verifyBlock = blocks.find(
      (b) => /mode: verify/.test(b.text) && /provenance-slsa3\.yml@refs\/tags\//.test(b.text),
    );
    assert.ok(callerBlock && verifyBlock, 'the README holds the caller workflow and the verify steps');
    const caller = await parseSnippet(callerBlock.text);
    assert.deepEqual(caller.errors, []);
    const store = artifactStore();

    // The caller's build job: its checkout holds a Makefile (the user's build), then the README's steps run.
    const buildWs = await mkdtemp(path.join(scratch, 'build-'));
    const build = await runWorkflowJob(services, {
      workflow: caller,
      job: 'build',
      workspace: buildWs,
      scratch,
      standIns: {
        'actions/checkout@v4': async (call) => {
          await writeFile(
            path.join(call.workspace, 'Makefile'),
            `dist:\n\tmkdir -p dist\n${Object.entries(FILES)
              .map(([name, content]) => `\tprintf '${content.trim()}\\n' > dist/${name}\n`)
              .join('')}.PHONY: dist\n`,
          );
          return { code: 0 };
        },
        'actions/upload-artifact@v4': store.upload,
      },
    });
    assert.equal(build.code, 0, jobLog(build));
    const lines = (b64: string | undefined): string[] =>
      Buffer.from(b64 ?? '', 'base64')
        .toString('utf8')
        .split('\n')
        .sort();
    assert.deepEqual(
      lines(build.outputs['hashes']),
      lines(SUBJECTS),
      'the build hands over `sha256sum * | base64 -w0` of dist/',
    );

    // The provenance job calls the reusable workflow; GitHub gives its job a token naming it at the called ref.
    const provenanceJob = (caller.document as { jobs: Record<string, { uses: string; with: Record<string, string> }> })
      .jobs['provenance'];
    assert.ok(provenanceJob);
    const [called, ref] = provenanceJob.uses.split('@');
    assert.equal(called, `OWNER/provenance-action/${SIGNER_PATH}`);
    services.issuer.claims = {
      ...defaultClaims(services.issuer.issuer),
      job_workflow_ref: `${called}@refs/tags/${ref}`,
      job_workflow_sha: SIGNER_SHA,
    };
    services.github.createRelease(DEFAULT_REPOSITORY, 'v1.2.0');
    const needs = { build: { outputs: build.outputs, result: 'success' } };
    const inputs = Object.fromEntries(
      Object.entries(provenanceJob.with).map(([k, v]) => [k, interpolate(String(v), { needs })]),
    );
    const { job: signed } = await runSigner(inputs, { signerRepository: 'OWNER/provenance-action', asWritten: true });
    assert.equal(signed.code, 0, jobLog(signed));
    assert.deepEqual(
      services.github
        .assets(DEFAULT_REPOSITORY, 'v1.2.0')
        .map((a) => a.name)
        .sort(),
      Object.keys(FILES)
        .map((f) => `${f}.sigstore.json`)
        .sort(),
      'upload-to-release: auto put the bundles on the release',
    );

    // The verify steps, in a later job of the same run.
    const verifyWs = await workspace();
    const gate = await runWorkflowJob(services, {
      workflow: await parseSnippet(verifyBlock.text),
      job: 'snippet',
      workspace: verifyWs,
      scratch,
      contexts: { needs: { provenance: { outputs: signed.outputs, result: 'success' } } },
      standIns: {
        'actions/download-artifact@v4': store.download,
        'OWNER/provenance-action@v1': thisAction(services, {
          'trusted-root': 'trusted_root.json',
          'certificate-oidc-issuer': services.issuer.issuer,
          sigstore: 'signing.json',
        }),
      },
      env: artifacts.env,
    });
    assert.equal(gate.code, 0, jobLog(gate));
    const bundles = readBundles(await readFile(path.join(verifyWs, 'vsa.intoto.jsonl'), 'utf8'));
    assert.deepEqual(
      bundles.flatMap((b) => statementOf(b).predicate['verifiedLevels'] as string[]),
      ['SLSA_BUILD_LEVEL_3', 'SLSA_BUILD_LEVEL_3'],
    );
  });
});
