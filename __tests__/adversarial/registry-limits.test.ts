// Issue #14, item 8, "Memory" — confirmed: each registry body had its own ceiling (a manifest 4 MiB, a
// layer 64 MiB, 1000 referrers, 1000 layers, 100 pages) but nothing capped their sum, so one image named in
// a manifest could make verify mode buffer MAX_REFERRERS × MAX_BUNDLE_BYTES. Now everything one run reads
// from registries shares MAX_REGISTRY_READ_BYTES, and passing it ends the run in one line. Through the
// bundled action the cap is lowered with its test hook (megabytes instead of half a gigabyte); the unit
// test at the end holds the real constant. The action tests failed on the old code (it read everything).

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  MAX_BUNDLE_BYTES,
  MAX_REGISTRY_READ_BYTES,
  ReadBudget,
  READ_CAP_VARIABLE,
  readLimited,
} from '../../src/registry/limits.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { fakeBundle, pushBlob, pushTestImage, putManifest } from '../../testkit/registry/images.ts';
import { startReferrersRegistry, type ReferrersRegistry } from '../../testkit/registry/referrers-registry.ts';
import { runAction } from '../../testkit/runner.ts';

const MiB = 1024 * 1024;
const CAP = 8 * MiB;
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
let services: LocalServices;
let registry: ReferrersRegistry;
let scratch: string;
let ws: string;

before(async () => {
  services = await startLocalServices();
  registry = await startReferrersRegistry();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'registry-limits-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
});
after(async () => {
  await Promise.all([services.stop(), registry.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

/** A bundle-shaped JSON layer of about 1 MiB: each copy is under every per-body limit. */
async function bigLayer(repository: string): Promise<{ mediaType: string; digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify({ ...fakeBundle('padded'), padding: 'x'.repeat(MiB) }));
  const blob = await pushBlob(registry.url, repository, bytes);
  return { mediaType: BUNDLE, digest: blob.digest, size: blob.size };
}

/** `count` referrers of the image, each a distinct manifest whose one layer is the same 1 MiB blob. */
async function hostileReferrers(repository: string, count: number): Promise<string> {
  const image = await pushTestImage(registry.url, repository, 'v1', repository);
  const config = await pushBlob(registry.url, repository, Buffer.from('{}'));
  const layer = await bigLayer(repository);
  for (let i = 0; i < count; i++) {
    await putManifest(registry.url, repository, `referrer-${i}`, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: BUNDLE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config.digest, size: config.size },
      layers: [layer],
      subject: { mediaType: image.mediaType, digest: image.digest, size: image.size },
      annotations: { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1', n: String(i) },
    });
  }
  return image.digest;
}

const verifyImage = (image: string) =>
  runAction(services, {
    scratch,
    workspace: ws,
    env: { [READ_CAP_VARIABLE]: String(CAP) },
    inputs: {
      mode: 'verify',
      images: image,
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': services.issuer.issuer,
      repository: 'octo-org/octo-repo',
    },
  });

const blobReads = (repository: string): number =>
  registry.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`/v2/${repository}/blobs/`)).length;

describe('one run reads at most MAX_REGISTRY_READ_BYTES from registries', () => {
  it('many referrers of 1 MiB each: the run stops at the cap, in one line', async () => {
    const digest = await hostileReferrers('hostile/referrers', 24);
    const run = await verifyImage(`${registry.host}/hostile/referrers@${digest}`);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.errors.length, 1, run.stdout);
    assert.match(
      run.errors[0] ?? '',
      new RegExp(
        `GET /v2/hostile/referrers/blobs/sha256:[0-9a-f]{64} would take what was read from registries past ${CAP} bytes in total; expected .*\\[REGISTRY_CONTENT_INVALID\\]$`,
      ),
    );
    assert.ok(
      blobReads('hostile/referrers') <= CAP / MiB + 1,
      `stopped reading: ${blobReads('hostile/referrers')} downloads`,
    );
  });

  it("many .att layers (cosign's layout) count against the same total", async () => {
    const repository = 'hostile/att';
    const image = await pushTestImage(registry.url, repository, 'v1', repository);
    const config = await pushBlob(registry.url, repository, Buffer.from('{}'));
    const layer = await bigLayer(repository);
    // Distinct descriptors (annotations) for one blob: cosign's manifest lists one layer per attestation.
    const layers = Array.from({ length: 24 }, (_, i) => ({
      ...layer,
      mediaType: 'application/vnd.dsse.envelope.v1+json',
      annotations: { n: String(i) },
    }));
    await putManifest(registry.url, repository, `${image.digest.replace(':', '-')}.att`, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
      layers,
    });
    const run = await verifyImage(`${registry.host}/${repository}@${image.digest}`);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.errors.at(-1) ?? '', /past 8388608 bytes in total/);
  });

  it('under the cap nothing changes: the referrers are read and judged', async () => {
    const digest = await hostileReferrers('modest/referrers', 3);
    const run = await verifyImage(`${registry.host}/modest/referrers@${digest}`);
    assert.equal(run.code, 1, run.stdout);
    assert.doesNotMatch(run.stdout, /in total/);
    assert.equal(blobReads('modest/referrers'), 3);
  });

  it('the real constant: a budget spent to within 100 bytes refuses a 200-byte body, streamed or declared', async () => {
    assert.ok(MAX_REGISTRY_READ_BYTES >= 4 * MAX_BUNDLE_BYTES, 'room for several of the largest bundles');
    const budget = new ReadBudget(MAX_REGISTRY_READ_BYTES);
    budget.spend(MAX_REGISTRY_READ_BYTES - 100);
    const streamed = new Response(new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(200)), c.close()) }));
    await assert.rejects(
      readLimited(streamed, MAX_BUNDLE_BYTES, 'GET /v2/x/blobs/y', budget),
      new RegExp(`past ${MAX_REGISTRY_READ_BYTES} bytes in total`),
    );
    const declared = new Response(new Uint8Array(200), { headers: { 'content-length': '200' } });
    await assert.rejects(
      readLimited(declared, MAX_BUNDLE_BYTES, 'GET /v2/x/blobs/y', new ReadBudget(100)),
      /past 100 bytes in total/,
    );
  });
});
