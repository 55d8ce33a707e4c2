// Real attestations from the world, as users meet them: what cosign wrote for slsa-github-generator's
// container builder (releases v1.4.0, v1.9.0, v2.1.0; `cosign save` layouts from slsa-verifier's test
// data, copied unchanged into __tests__/fixtures/corpus/cosign-containers) pushed byte for byte to
// Debian's docker-registry, then verified by image digest with the bundled CLI, offline, against the
// public-good root (the snapshot shipped, public-good-offline). The three span what changed over the years: legacy-only Fulcio extensions
// (v1.4.0), Rekor intoto 0.0.1 entries (v1.4.0, v1.9.0) and dsse 0.0.1 (v2.1.0).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushBlob, sha256 } from '../../testkit/registry/images.ts';
import { pushCosignLayout, putRawManifest, type PushedLayout } from '../../testkit/registry/oci-layout.ts';
import { REPO_ROOT, runProcess } from '../../testkit/runner.ts';
import { COSIGN_CONTAINERS, SLSA_GENERATOR_DSSE } from '../verify/crypto/corpus.ts';

const RELEASES = ['v1.4.0', 'v1.9.0', 'v2.1.0'] as const;
const REPOSITORY = 'slsa-framework/example-package';
const SIGNER = 'slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml';
const PREDICATE = 'https://slsa.dev/provenance/v0.2';

const layoutOf = (release: string): string => path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch');

let registry: DockerRegistry;
let ws: string;
const pushed = new Map<string, PushedLayout>();

before(async () => {
  registry = await startDockerRegistry();
  ws = await mkdtemp(path.join(os.tmpdir(), 'cosign-containers-'));
  for (const release of RELEASES)
    pushed.set(release, await pushCosignLayout(registry.url, 'example-package', layoutOf(release)));
});
after(async () => {
  await registry.stop();
  await rm(ws, { recursive: true, force: true });
});

interface Report {
  verified: boolean;
  artifacts: {
    name: string;
    result: 'PASS' | 'FAIL';
    bundles: { source: string; result: 'PASS' | 'FAIL'; failures: { check: string; found: string }[] }[];
  }[];
}

async function verify(
  image: string,
  policy: string[] = ['--repository', REPOSITORY, '--signer-workflow', SIGNER, '--predicate-type', PREDICATE],
) {
  const run = await runProcess(
    process.execPath,
    [
      path.join(REPO_ROOT, 'dist', 'cli.js'),
      'verify',
      '--images',
      image,
      ...policy,
      '--trusted-root',
      'public-good-offline',
      '--attestations-api',
      'false',
      '--format',
      'json',
    ],
    { PATH: process.env['PATH'], HOME: ws },
    ws,
  );
  const report = run.stdout === '' ? undefined : (JSON.parse(run.stdout) as Report);
  return { ...run, report };
}

const failedChecks = (report: Report | undefined): string[] =>
  (report?.artifacts ?? []).flatMap((a) => a.bundles.flatMap((b) => b.failures.map((f) => f.check)));

describe("cosign's attestations of slsa-github-generator's container builder, from Debian's registry", () => {
  it('holds each release byte for byte, as skopeo (another client) reads it back', async () => {
    for (const release of RELEASES) {
      const p = pushed.get(release);
      assert.ok(p);
      for (const [reference, digest] of [
        [p.imageDigest, p.imageDigest],
        [p.attestationTag, p.attestationDigest],
      ] as const) {
        const { stdout } = await promisify(execFile)(
          'skopeo',
          [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/example-package:${reference}`.replace(':sha256:', '@sha256:'),
          ],
          { encoding: 'buffer' },
        );
        assert.equal(sha256(stdout), digest, `${release} ${reference}`);
        assert.deepEqual(
          stdout,
          await readFile(path.join(layoutOf(release), 'blobs', 'sha256', digest.slice('sha256:'.length))),
        );
      }
    }
  });

  for (const release of RELEASES) {
    it(`verifies ${release}'s image by digest with the repository, signer workflow and predicate type`, async () => {
      const digest = (
        await readFile(path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch.digest'), 'utf8')
      ).trim();
      assert.equal(pushed.get(release)?.imageDigest, digest);
      const run = await verify(`${registry.host}/example-package@${digest}`);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.equal(run.report?.verified, true);
      const [artifact] = run.report?.artifacts ?? [];
      assert.equal(artifact?.result, 'PASS');
      // Named as cosign's .att layer, by its index in the attestation manifest.
      assert.deepEqual(
        artifact?.bundles.map((b) => [b.source, b.result]),
        [[`${registry.host}/example-package@${digest}(cosign .att layer 0)`, 'PASS']],
      );
    });
  }

  it('fails a wrong repository as repository, on every release (v1.4.0 names it only in the legacy extension)', async () => {
    for (const release of RELEASES) {
      const run = await verify(`${registry.host}/example-package@${pushed.get(release)?.imageDigest ?? ''}`, [
        '--repository',
        'slsa-framework/other-package',
        '--signer-workflow',
        SIGNER,
        '--predicate-type',
        PREDICATE,
      ]);
      assert.equal(run.code, 1, release);
      assert.deepEqual(failedChecks(run.report), ['repository'], `${release}: ${run.stdout}`);
    }
  });

  it('applies owner and source-ref rules to v1.4.0, whose certificate has only the legacy extensions', async () => {
    const image = `${registry.host}/example-package@${pushed.get('v1.4.0')?.imageDigest ?? ''}`;
    const rules = (owner: string, ref: string): string[] => [
      '--owner',
      owner,
      '--source-ref',
      ref,
      '--signer-workflow',
      SIGNER,
      '--predicate-type',
      PREDICATE,
    ];
    const pass = await verify(image, rules('slsa-framework', 'refs/heads/main'));
    assert.equal(pass.code, 0, pass.stdout);
    const wrongOwner = await verify(image, rules('octo-org', 'refs/heads/main'));
    assert.deepEqual(failedChecks(wrongOwner.report), ['owner'], wrongOwner.stdout);
    const wrongRef = await verify(image, rules('slsa-framework', 'refs/tags/v*'));
    assert.deepEqual(failedChecks(wrongRef.report), ['source-ref'], wrongRef.stdout);
  });

  it('fails a copy whose payload differs by one byte as signature', async () => {
    for (const release of RELEASES) {
      const p = pushed.get(release);
      assert.ok(p);
      const repo = `tampered-${release.replaceAll('.', '-')}`;
      await pushCosignLayout(registry.url, repo, layoutOf(release));
      // The statement's first "example-package" gets one bit flipped; the envelope stays valid JSON.
      const blobs = path.join(layoutOf(release), 'blobs', 'sha256');
      const manifest = JSON.parse(await readFile(path.join(blobs, p.attestationDigest.slice(7)), 'utf8')) as {
        layers: { digest: string; size: number }[];
      };
      const layer = manifest.layers[0];
      assert.ok(layer);
      const envelope = JSON.parse(await readFile(path.join(blobs, layer.digest.slice(7)), 'utf8')) as {
        payload: string;
      };
      const payload = Buffer.from(envelope.payload, 'base64');
      const at = payload.indexOf('example-package');
      payload[at] = (payload[at] ?? 0) ^ 0x01;
      const tampered = Buffer.from(JSON.stringify({ ...envelope, payload: payload.toString('base64') }));
      const blob = await pushBlob(registry.url, repo, tampered);
      const changed = { ...manifest, layers: [{ ...layer, digest: blob.digest, size: blob.size }] };
      await putRawManifest(
        registry.url,
        repo,
        p.attestationTag,
        Buffer.from(JSON.stringify(changed)),
        'application/vnd.oci.image.manifest.v1+json',
      );
      const run = await verify(`${registry.host}/${repo}@${p.imageDigest}`);
      assert.equal(run.code, 1, release);
      assert.deepEqual(failedChecks(run.report), ['signature'], `${release}: ${run.stdout}`);
    }
  });

  it('fails an image with no attestation as subject-digest', async () => {
    const p = pushed.get('v1.4.0');
    assert.ok(p);
    const blobs = path.join(layoutOf('v1.4.0'), 'blobs', 'sha256');
    for (const name of [
      '10f07abc9fc714378445b0030ceed7ad5204e7fa9ac3ca72eca346037aa579da',
      '00aa5a682a32265423afb63f09b83357dbadffe86c4e880278482eaffbc4546c',
      'b9f88661235d25835ef747dab426861d51c4e9923b92623d422d7ac58eb123e9',
      '3095c5371ce925576abaf92fc06d25607b415984d886c1b8eb43cc26536036b9',
    ]) {
      await pushBlob(registry.url, 'unattested', await readFile(path.join(blobs, name)));
    }
    await putRawManifest(
      registry.url,
      'unattested',
      p.imageDigest,
      await readFile(path.join(blobs, p.imageDigest.slice(7))),
      'application/vnd.docker.distribution.manifest.v2+json',
    );
    const run = await verify(`${registry.host}/unattested@${p.imageDigest}`);
    assert.equal(run.code, 1);
    const [artifact] = run.report?.artifacts ?? [];
    assert.equal(artifact?.result, 'FAIL');
    assert.deepEqual(failedChecks(run.report), ['subject-digest'], run.stdout);
  });
});

describe("slsa-github-generator's bare DSSE envelope (generic workflow v1.9.0)", () => {
  it('is refused in one line that says it needs an online Rekor search, and how to get a bundle', async () => {
    const name = 'binary-linux-amd64-workflow_dispatch';
    const run = await runProcess(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'cli.js'),
        'verify',
        '--subject-path',
        name,
        '--bundle-path',
        `${name}.intoto.jsonl`,
        '--repository',
        REPOSITORY,
        '--predicate-type',
        PREDICATE,
        '--trusted-root',
        'public-good-offline',
        '--attestations-api',
        'false',
      ],
      { PATH: process.env['PATH'], HOME: ws },
      SLSA_GENERATOR_DSSE,
    );
    assert.equal(run.code, 1);
    const lines = run.stdout.split('\n').filter((l) => l.includes('bare DSSE envelope'));
    assert.equal(lines.length, 1, run.stdout);
    assert.match(
      lines[0] ?? '',
      /needs an online Rekor search, which offline verification cannot do\. Get a bundle instead: release with slsa-github-generator v2\.1\.0 or later/,
    );
  });
});
