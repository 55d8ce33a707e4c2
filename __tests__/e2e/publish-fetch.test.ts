// Publish and fetch, end to end through the bundled action: attest mode attaches bundles to images
// in a real registry (Debian's docker-registry, read back with skopeo) and publishes them to
// GitHub (release assets, attestations API — a loopback stand-in, as no real GitHub runs here);
// verify mode then finds them in each place and passes, and fails what has none.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { SerializedBundle } from '@sigstore/bundle';
import { createBundleRegistry } from '../../src/registry/index.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startActionsArtifacts, type ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';
import { startGitHubApi, STAND_IN_TOKEN, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { runAction } from '../../testkit/runner.ts';
import { trustCopies } from '../../testkit/copies.ts';

const REPO = 'octo-org/octo-repo';
let services: LocalServices;
let registry: DockerRegistry;
let github: GitHubApiStandIn;
let scratch: string;
let ws: string;
let dockerConfig: string;
const images: Record<string, string> = {}; // repository → digest

before(async () => {
  services = await startLocalServices();
  registry = await startDockerRegistry();
  github = await startGitHubApi({ repositories: [REPO] });
  github.createRelease(REPO, 'v1.2.0');
  scratch = await mkdtemp(path.join(os.tmpdir(), 'publish-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  dockerConfig = path.join(scratch, 'docker'); // no credentials: the loopback registry needs none
  await mkdir(dockerConfig);
  await writeFile(path.join(ws, 'app-linux'), 'linux build');
  await writeFile(path.join(ws, 'app-darwin'), 'darwin build');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  // Seeded by name: three different images (same content would mean the same digest, i.e. the same artifact).
  for (const name of ['octo/app', 'octo/worker', 'octo/unsigned'])
    images[name] = (await pushTestImage(registry.url, name, 'v1', name)).digest;
});
after(async () => {
  await Promise.all([services.stop(), registry.stop(), github.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

const env = () => ({ DOCKER_CONFIG: dockerConfig, GITHUB_API_URL: github.url });
// Attest steps keep out of the attestations API unless a test asks for it (the job token is always there, as
// on github.com), so each test reads only the copies it published.
const signing = { sigstore: 'signing.json', 'attestations-api': 'false' };
const policy = () => ({
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: REPO,
  'signer-workflow': `${REPO}/.github/workflows/release.yml`,
});
const ref = (name: string, tagOrDigest = ':v1') => `${registry.host}/${name}${tagOrDigest}`;

describe('images: attest pushes referrers, verify finds them', () => {
  it('attaches provenance to two images in one step; skopeo sees both indexes', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: {
        ...signing,
        'subject-name': `${registry.host}/octo/app\n${registry.host}/octo/worker`,
        'subject-digest': `${images['octo/app']}\n${images['octo/worker']}`,
        'push-to-registry': 'true',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    for (const name of ['octo/app', 'octo/worker']) {
      const tag = (images[name] ?? '').replace(':', '-');
      const tags = JSON.parse(
        execFileSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.host}/${name}`], {
          encoding: 'utf8',
        }),
      ) as { Tags: string[] };
      assert.ok(tags.Tags.includes(tag), `${name} has the ${tag} index`);
      const index = JSON.parse(
        execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/${name}:${tag}`], {
          encoding: 'utf8',
        }),
      ) as { manifests: { artifactType?: string }[] };
      assert.deepEqual(
        index.manifests.map((m) => m.artifactType),
        ['application/vnd.dev.sigstore.bundle.v0.3+json'],
      );
    }
  });

  it('verify mode resolves tags, reads the referrers, passes both images and fails one without provenance', async () => {
    const pass = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', images: `${ref('octo/app')}\n${ref('octo/worker')}`, ...policy() },
    });
    assert.equal(pass.code, 0, pass.stdout);
    assert.equal(pass.outputs['verified'], 'true');

    const fail = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', images: `${ref('octo/app')}\n${ref('octo/unsigned')}`, ...policy() },
    });
    assert.equal(fail.code, 1);
    assert.match(fail.errors.at(-1) ?? '', /1 of 2 artifact\(s\): .*octo\/unsigned:v1 \(subject-digest/);
  });

  it('a tampered copy in the registry fails, naming the check', async () => {
    const digest = (await pushTestImage(registry.url, 'octo/tampered', 'v1', 'octo/tampered')).digest;
    const signed = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: {
        ...signing,
        'subject-name': `${registry.host}/octo/tampered`,
        'subject-digest': digest,
        'bundle-path': 'tampered.sigstore.json',
      },
    });
    assert.equal(signed.code, 0, signed.stdout);
    const bundle = JSON.parse(await readFile(path.join(ws, 'tampered.sigstore.json'), 'utf8')) as SerializedBundle;
    const signature = 'dsseEnvelope' in bundle ? bundle.dsseEnvelope?.signatures[0] : undefined;
    assert.ok(signature);
    const bytes = Buffer.from(signature.sig, 'base64');
    bytes[8] = (bytes[8] ?? 0) ^ 1;
    signature.sig = bytes.toString('base64');
    await createBundleRegistry({ env: { DOCKER_CONFIG: dockerConfig } }).attachBundle(
      `${registry.host}/octo/tampered@${digest}`,
      bundle,
      'https://slsa.dev/provenance/v1',
      trustCopies,
    );
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', images: ref('octo/tampered'), ...policy(), 'report-path': 'tampered-report.json' },
    });
    assert.equal(run.code, 1);
    const report = JSON.parse(await readFile(path.join(ws, 'tampered-report.json'), 'utf8')) as VerifyReport;
    assert.deepEqual(
      report.artifacts[0]?.bundles.map((b) => b.failures.map((f) => f.check)),
      [['signature']],
    );
  });

  it('manifests: every image a deployment references is checked, and the failing line annotated', async () => {
    await writeFile(
      path.join(ws, 'deploy.yaml'),
      `kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${ref('octo/app')}\n        - name: side\n          image: ${ref('octo/unsigned')}\n`,
    );
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { mode: 'verify', manifests: 'deploy.yaml', ...policy() },
    });
    assert.equal(run.code, 1);
    assert.ok(
      run.stdout.split('\n').some((l) => /^::error title=[^:]*octo\/unsigned[^:]*,file=deploy\.yaml,line=9::/.test(l)),
      run.stdout,
    );
  });
});

describe('workflow artifact: attest uploads the bundle file, a later job verifies from it', () => {
  let artifacts: ActionsArtifactsStandIn;
  before(async () => {
    artifacts = await startActionsArtifacts();
  });
  after(() => artifacts.stop());

  it('uploads, then verify mode downloads it and passes', async () => {
    const attest = await runAction(services, {
      scratch,
      workspace: ws,
      env: { ...env(), ...artifacts.env },
      inputs: { ...signing, 'subject-path': 'app-*', 'upload-artifact': 'provenance' },
    });
    assert.equal(attest.code, 0, attest.stdout);
    assert.deepEqual(
      artifacts.artifacts.map((a) => a.name),
      ['provenance'],
    );
    const verify = await runAction(services, {
      scratch,
      workspace: ws,
      env: { ...env(), ...artifacts.env },
      inputs: { mode: 'verify', 'subject-path': 'app-*', artifact: 'provenance', ...policy() },
    });
    assert.equal(verify.code, 0, verify.stdout);
    assert.match(verify.stdout, /PASS app-linux/);
  });

  it('links the uploaded bundle from the attest summary, and verify uploads its report and links it from its summary', async () => {
    const runEnv = {
      ...env(),
      ...artifacts.env,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_RUN_ID: '4242',
    };
    const attest = await runAction(services, {
      scratch,
      workspace: ws,
      env: runEnv,
      inputs: { ...signing, 'subject-path': 'app-linux', 'upload-artifact': 'linked-provenance' },
    });
    assert.equal(attest.code, 0, attest.stdout);
    const bundleArtifact = artifacts.artifacts.find((a) => a.name === 'linked-provenance');
    assert.ok(bundleArtifact);
    assert.match(
      attest.summary,
      new RegExp(
        `uploaded as workflow artifact \\[\`linked-provenance\`\\]\\(https://github\\.com/octo-org/octo-repo/actions/runs/4242/artifacts/\\d+\\)`,
      ),
    );
    const verify = await runAction(services, {
      scratch,
      workspace: ws,
      env: runEnv,
      inputs: {
        mode: 'verify',
        'subject-path': 'app-linux',
        artifact: 'linked-provenance',
        'upload-artifact': 'verify-report',
        ...policy(),
      },
    });
    assert.equal(verify.code, 0, verify.stdout);
    assert.ok(
      artifacts.artifacts.some((a) => a.name === 'verify-report'),
      'the report was uploaded',
    );
    const reportLink = (name: string): RegExp =>
      new RegExp(
        `the JSON report in the workflow artifact \\[\`${name}\`\\]\\(https://github\\.com/octo-org/octo-repo/actions/runs/4242/artifacts/\\d+\\)`,
      );
    assert.match(verify.summary, reportLink('verify-report'));
    const failing = await runAction(services, {
      scratch,
      workspace: ws,
      env: runEnv,
      inputs: {
        mode: 'verify',
        'subject-path': 'app-linux',
        artifact: 'linked-provenance',
        'upload-artifact': 'verify-report-2',
        ...policy(),
        repository: 'octo-org/other',
      },
    });
    assert.equal(failing.code, 1);
    assert.ok(artifacts.artifacts.some((a) => a.name === 'verify-report-2'));
    assert.match(failing.summary, reportLink('verify-report-2'));
  });

  it('outside GitHub Actions (no runtime token) ends in one line saying so', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { ...signing, 'subject-path': 'app-linux', 'upload-artifact': 'provenance' },
    });
    assert.equal(run.code, 1);
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0] ?? '', /GitHub Actions artifact service.*\[ARTIFACTS_UNAVAILABLE\]$/);
  });
});

describe('GitHub: attest uploads release assets and stores attestations, verify reads both', () => {
  const gh = { 'github-token': STAND_IN_TOKEN };

  it('publishes one <subject>.sigstore.json per subject and one attestation, surviving 503s', async () => {
    github.failFirst(2, 503);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { ...signing, ...gh, 'subject-path': 'app-*', 'upload-to-release': 'auto', 'attestations-api': 'true' },
    });
    // Faults queued for endpoints this run never called must not leak into the next tests.
    for (const queue of Object.values(github.faults)) queue.length = 0;
    assert.equal(run.code, 0, run.stdout);
    assert.ok(github.requests.filter((r) => r.status === 503).length >= 4, 'the injected 503s were met and retried');
    assert.deepEqual(
      github
        .assets(REPO, 'v1.2.0')
        .map((a) => a.name)
        .sort(),
      ['app-darwin.sigstore.json', 'app-linux.sigstore.json'],
    );
    assert.equal(github.attestations(REPO).length, 1);
    assert.match(
      run.outputs['attestation-url'] ?? '',
      /^https:\/\/github\.com\/octo-org\/octo-repo\/attestations\/\d+$/,
    );
  });

  it('a re-run of the step re-signs the same statement: nothing is uploaded or stored twice', async () => {
    const uploads = github.requestsTo('upload-asset').length;
    const again = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { ...signing, ...gh, 'subject-path': 'app-*', 'upload-to-release': 'v1.2.0', 'attestations-api': 'true' },
    });
    assert.equal(again.code, 0, again.stdout);
    assert.equal(github.requestsTo('upload-asset').length, uploads, 'no upload');
    assert.equal(github.assets(REPO, 'v1.2.0').length, 2);
    assert.equal(github.attestations(REPO).length, 1, 'no second attestation');
  });

  it('a new run attempt (another statement) meets assets with other content: refused by name, replaced when asked', async () => {
    const saved = services.issuer.claims.run_attempt;
    services.issuer.claims.run_attempt = '7';
    try {
      const again = await runAction(services, {
        scratch,
        workspace: ws,
        env: env(),
        inputs: {
          ...signing,
          ...gh,
          'subject-path': 'app-*',
          'upload-to-release': 'v1.2.0',
          'attestations-api': 'false',
        },
      });
      assert.equal(again.code, 1);
      assert.match(again.errors[0] ?? '', /app-darwin\.sigstore\.json/);
      const replaced = await runAction(services, {
        scratch,
        workspace: ws,
        env: env(),
        inputs: {
          ...signing,
          ...gh,
          'subject-path': 'app-*',
          'upload-to-release': 'v1.2.0',
          'replace-release-assets': 'true',
          'attestations-api': 'false',
        },
      });
      assert.equal(replaced.code, 0, replaced.stdout);
      assert.equal(github.assets(REPO, 'v1.2.0').length, 2);
    } finally {
      services.issuer.claims.run_attempt = saved;
    }
  });

  it('verify mode reads the release assets, or the attestations API, and passes', async () => {
    for (const source of [{ release: 'v1.2.0' }, { 'attestations-api': 'true' }]) {
      const run = await runAction(services, {
        scratch,
        workspace: ws,
        env: env(),
        inputs: { mode: 'verify', 'subject-path': 'app-*', ...gh, ...source, ...policy() },
      });
      assert.equal(run.code, 0, `${JSON.stringify(source)}\n${run.stdout}`);
    }
  });

  it('a GitHub API that is down ends in one line naming it', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: { ...env(), GITHUB_API_URL: 'http://127.0.0.1:9' },
      inputs: { ...signing, ...gh, 'subject-path': 'app-linux', 'attestations-api': 'true' },
    });
    assert.equal(run.code, 1);
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0] ?? '', /GitHub API/);
  });
});
