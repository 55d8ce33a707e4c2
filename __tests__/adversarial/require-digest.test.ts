// Issue #14, item 8, "Tags" — confirmed: verify mode resolves a tag with one HEAD request and the
// deployment resolves it again, so a tag moved in between (by anyone who can push to the repository)
// deploys an image that was never verified. The first test shows the race through the bundled action (it
// holds on the old code and the new: a tag is a name, not an image). The fix is require-digest: with it, a
// reference without @sha256: is refused in one line before any registry is asked, from images and from
// manifests alike; the tests of it fail on the old code, which has no such input.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBundleRegistry } from '../../src/registry/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { pushTestImage, putManifest } from '../../testkit/registry/images.ts';
import { startReferrersRegistry, type ReferrersRegistry } from '../../testkit/registry/referrers-registry.ts';
import { runAction } from '../../testkit/runner.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';
import { trustCopies } from '../../testkit/copies.ts';

const REPO = 'octo-org/octo-repo';
const ANONYMOUS = {
  forRegistry: () => Promise.resolve(undefined),
  location: 'nowhere (the test registry needs no login)',
};
let services: LocalServices;
let registry: ReferrersRegistry;
let scratch: string;
let ws: string;
let signed: string; // digest of the image that has provenance
let unsigned: string; // digest of one that has none

before(async () => {
  services = await startLocalServices();
  registry = await startReferrersRegistry();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'require-digest-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  signed = (await pushTestImage(registry.url, 'octo/app', 'v1', 'signed build')).digest;
  unsigned = (await pushTestImage(registry.url, 'octo/app', 'other', 'unsigned build')).digest;
  const bundle = await signStatement(
    services,
    provenanceStatement(services, [{ name: `${registry.host}/octo/app`, digest: { sha256: signed.slice(7) } }]),
  );
  await createBundleRegistry({ credentials: ANONYMOUS }).attachBundle(
    `${registry.host}/octo/app@${signed}`,
    bundle,
    'https://slsa.dev/provenance/v1',
    trustCopies,
  );
});
after(async () => {
  await Promise.all([services.stop(), registry.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

const policy = () => ({
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: REPO,
});
const verify = (inputs: Record<string, string>) =>
  runAction(services, { scratch, workspace: ws, inputs: { mode: 'verify', ...policy(), ...inputs } });

describe('tags are resolved twice: by the gate, then by the deployment', () => {
  it('confirmed: a tag that passes the gate can name an unverified image by the time it is deployed', async () => {
    const gate = await verify({ images: `${registry.host}/octo/app:v1` });
    assert.equal(gate.code, 0, gate.stdout);
    // Someone with push access moves the tag after the gate and before the deployment pulls it.
    const manifest = await fetch(`${registry.url}/v2/octo/app/manifests/${unsigned}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await putManifest(registry.url, 'octo/app', 'v1', (await manifest.json()) as object);
    assert.equal(
      await createBundleRegistry({ credentials: ANONYMOUS }).resolveDigest(`${registry.host}/octo/app:v1`),
      unsigned,
      'what the deployment now pulls',
    );
    const again = await verify({ images: `${registry.host}/octo/app:v1` });
    assert.equal(again.code, 1, 'the image the tag names now has no provenance');
  });
});

describe('require-digest: true', () => {
  it('refuses an image given by tag, in one line, before reading the registry', async () => {
    const before = registry.requests.length;
    const run = await verify({ images: `${registry.host}/octo/app:v1`, 'require-digest': 'true' });
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.errors.length, 1, run.stdout);
    assert.match(
      run.errors[0] ?? '',
      /require-digest: images names the image ".*\/octo\/app:v1", which is not pinned by digest .*expected registry\/repository\[:tag\]@sha256:<64 hex>\. Pin the image .*\[INPUT_INVALID\]$/,
    );
    assert.equal(registry.requests.length, before, 'no registry request');
  });

  it('refuses a manifest line with a tag, naming the file and line', async () => {
    await writeFile(
      path.join(ws, 'deploy.yaml'),
      `kind: Pod\nspec:\n  containers:\n    - name: pinned\n      image: ${registry.host}/octo/app@${signed}\n    - name: tagged\n      image: ${registry.host}/octo/app:v1\n`,
    );
    const run = await verify({ manifests: 'deploy.yaml', 'require-digest': 'true' });
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      /require-digest: manifests: deploy\.yaml:7 names the image ".*\/octo\/app:v1"/,
    );
  });

  it('passes images pinned by digest (with or without a tag beside it)', async () => {
    const run = await verify({
      images: `${registry.host}/octo/app@${signed}\n${registry.host}/octo/app:v1@${signed}`,
      'require-digest': 'true',
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
  });

  it('the CLI offers it as --require-digest', async () => {
    const { runProcess, REPO_ROOT } = await import('../../testkit/runner.ts');
    const cli = await runProcess(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist/cli.js'),
        'verify',
        '--images',
        `${registry.host}/octo/app:v1`,
        '--require-digest',
        ...Object.entries(policy()).flatMap(([k, v]) => [`--${k}`, v]),
      ],
      { PATH: process.env['PATH'], HOME: process.env['HOME'] },
      ws,
    );
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stderr, /provenance: require-digest: images names the image/);
  });
});
