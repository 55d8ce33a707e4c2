// Issue #14, item 8, "Publishing": "already published" used to mean "a stored bundle signs the same
// statement", and the statement of a run is predictable (a re-run re-signs the same one). Someone with
// write access who stored a bundle with that statement first, under a signature that does not verify,
// made attest mode skip its own: the attestations API held only the squatter's copy, and a verifier
// reading it found nothing that passes. Now a stored copy counts as ours only if we could have made it
// (src/attest/publish/copy-check.ts): ours is stored beside the squatter's, a release asset name the squatter
// took fails in one line naming it (unless replace-release-assets), an image gets our referrer beside the
// squatter's, and a genuine re-run still stores nothing twice.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, STAND_IN_TOKEN, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { createBundleRegistry } from '../../src/registry/index.ts';
import { trustCopies } from '../../testkit/copies.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { runAction } from '../../testkit/runner.ts';

const REPO = 'octo-org/octo-repo';
let services: LocalServices;
let github: GitHubApiStandIn;
let registry: DockerRegistry;
let dockerConfig: string;
let scratch: string;
let ws: string;
let releaseId: number;

before(async () => {
  services = await startLocalServices();
  github = await startGitHubApi({ repositories: [REPO] });
  registry = await startDockerRegistry();
  releaseId = github.createRelease(REPO, 'v1.0.0');
  scratch = await mkdtemp(path.join(os.tmpdir(), 'squat-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  dockerConfig = path.join(scratch, 'docker'); // no credentials: the loopback registry needs none
  await mkdir(dockerConfig);
  await writeFile(path.join(ws, 'app.bin'), 'the real build');
  await writeFile(path.join(ws, 'tool.bin'), 'another build');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
});
after(async () => {
  await Promise.all([services.stop(), github.stop(), registry.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

const env = () => ({ GITHUB_API_URL: github.url, DOCKER_CONFIG: dockerConfig });
const attestStep = (subject: string, extra: Record<string, string>) => ({
  sigstore: 'signing.json',
  'subject-path': subject,
  'github-token': STAND_IN_TOKEN,
  ...extra,
});

/** What the squatter can make: a dry run's bundle (the statement this run will sign), its signature broken. */
async function forgedCopy(
  subject: string | Record<string, string>,
  bundlePath: string,
): Promise<{ mediaType: string }> {
  const step =
    typeof subject === 'string'
      ? attestStep(subject, { 'bundle-path': bundlePath, 'attestations-api': 'false' })
      : { sigstore: 'signing.json', ...subject, 'bundle-path': bundlePath, 'attestations-api': 'false' };
  const dry = await runAction(services, { scratch, workspace: ws, env: env(), inputs: step });
  assert.equal(dry.code, 0, dry.stdout);
  const forged = JSON.parse(await readFile(path.join(ws, bundlePath), 'utf8')) as {
    mediaType: string;
    dsseEnvelope: { signatures: { sig: string }[] };
  };
  const sig = forged.dsseEnvelope.signatures[0];
  assert.ok(sig);
  sig.sig = Buffer.from('not a signature').toString('base64');
  return forged;
}

function verifyStep(subject: string, source: Record<string, string>) {
  return runAction(services, {
    scratch,
    workspace: ws,
    env: env(),
    inputs: {
      mode: 'verify',
      'subject-path': subject,
      'github-token': STAND_IN_TOKEN,
      ...source,
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': services.issuer.issuer,
      repository: REPO,
    },
  });
}

describe('a squatted copy with our statement does not keep ours out', () => {
  it('the attestations API gets our bundle beside a copy whose signature does not verify; a re-run then stores nothing', async () => {
    const forged = await forgedCopy('app.bin', 'dry.sigstore.json');
    const squat = await fetch(`${github.url}/repos/${REPO}/attestations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${STAND_IN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ bundle: forged }),
    });
    assert.equal(squat.status, 201);
    const before = verifyStep('app.bin', { 'attestations-api': 'true' });
    assert.equal((await before).code, 1, 'only the squatted copy is stored: nothing passes yet');

    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: attestStep('app.bin', { 'attestations-api': 'true' }),
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(github.attestations(REPO).length, 2, 'ours was stored beside the squatted copy');
    const verify = await verifyStep('app.bin', { 'attestations-api': 'true' });
    assert.equal(verify.code, 0, verify.stdout);

    // Our stored copy is one we could have made (its CA is the local Fulcio's, from its trust bundle).
    const fulcio = services.sigstore.requests.fulcio;
    const rerun = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: attestStep('app.bin', { 'attestations-api': 'true' }),
    });
    assert.equal(rerun.code, 0, rerun.stdout);
    assert.equal(github.attestations(REPO).length, 2, 'a re-run stores no third copy');
    assert.equal(services.sigstore.requests.fulcio - fulcio, 2, 'one certificate, one trust bundle');
  });

  it('a release asset the squatter uploaded under our name fails in one line naming it, and is replaced when asked', async () => {
    const forged = await forgedCopy('tool.bin', 'tool.dry.sigstore.json');
    const upload = await fetch(
      `${github.url}/uploads/repos/${REPO}/releases/${releaseId}/assets?name=tool.bin.sigstore.json`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${STAND_IN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      },
    );
    assert.equal(upload.status, 201, await upload.text());

    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: attestStep('tool.bin', { 'attestations-api': 'false', 'upload-to-release': 'v1.0.0' }),
    });
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0] ?? '', /tool\.bin\.sigstore\.json/);
    assert.match(run.errors[0] ?? '', /RELEASE_ASSET_CONFLICT/);

    const replaced = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: attestStep('tool.bin', {
        'attestations-api': 'false',
        'upload-to-release': 'v1.0.0',
        'replace-release-assets': 'true',
      }),
    });
    assert.equal(replaced.code, 0, replaced.stdout);
    const verify = await verifyStep('tool.bin', { release: 'v1.0.0' });
    assert.equal(verify.code, 0, verify.stdout);
    // Ours, now stored, is recognised: a re-run leaves it alone.
    const rerun = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: attestStep('tool.bin', { 'attestations-api': 'false', 'upload-to-release': 'v1.0.0' }),
    });
    assert.equal(rerun.code, 0, rerun.stdout);
    assert.match(rerun.stdout, /tool\.bin\.sigstore\.json unchanged/);
  });

  it('an image gets our referrer beside a squatted one, and verify passes', async () => {
    const digest = (await pushTestImage(registry.url, 'octo/app', 'v1', 'octo/app')).digest;
    const image = { 'subject-name': `${registry.host}/octo/app`, 'subject-digest': digest };
    const forged = await forgedCopy(image, 'image.dry.sigstore.json');
    const referrers = createBundleRegistry({ env: { DOCKER_CONFIG: dockerConfig } });
    await referrers.attachBundle(
      `${registry.host}/octo/app@${digest}`,
      forged,
      'https://slsa.dev/provenance/v1',
      trustCopies,
    );
    const verifyImage = () =>
      runAction(services, {
        scratch,
        workspace: ws,
        env: env(),
        inputs: {
          mode: 'verify',
          images: `${registry.host}/octo/app:v1`,
          'trusted-root': 'trusted_root.json',
          'certificate-oidc-issuer': services.issuer.issuer,
          repository: REPO,
        },
      });
    assert.equal((await verifyImage()).code, 1, 'only the squatted referrer: nothing passes yet');

    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { sigstore: 'signing.json', ...image, 'push-to-registry': 'true', 'attestations-api': 'false' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(
      (await referrers.listBundles(`${registry.host}/octo/app@${digest}`)).length,
      2,
      'ours beside the squatted one',
    );
    const verify = await verifyImage();
    assert.equal(verify.code, 0, verify.stdout);
    const rerun = await runAction(services, {
      scratch,
      workspace: ws,
      env: env(),
      inputs: { sigstore: 'signing.json', ...image, 'push-to-registry': 'true', 'attestations-api': 'false' },
    });
    assert.equal(rerun.code, 0, rerun.stdout);
    assert.equal(
      (await referrers.listBundles(`${registry.host}/octo/app@${digest}`)).length,
      2,
      'a re-run attaches no third',
    );
  });
});
