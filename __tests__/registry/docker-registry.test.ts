// Against Debian's docker-registry (no referrers API): bundles attached through the `sha256-<hex>`
// fallback tag, read back by listBundles and independently by skopeo; concurrency, idempotency, tags.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import type { BundleRegistry } from '../../src/registry/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { fakeBundle, fakeEnvelope, pushCosignAttestations, pushTestImage } from '../../testkit/registry/images.ts';
import { PREDICATE, registryClient, skopeo, skopeoRaw } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

interface IndexJSON {
  mediaType: string;
  manifests: {
    mediaType: string;
    digest: string;
    size: number;
    artifactType?: string;
    annotations?: Record<string, string>;
  }[];
}

describe('registry client against docker-registry', () => {
  let registry: DockerRegistry;
  let client: BundleRegistry;
  before(async () => {
    registry = await startDockerRegistry();
    client = await registryClient();
  });
  after(() => registry.stop());

  const fallbackIndex = async (repo: string, digest: string): Promise<IndexJSON> =>
    (await skopeoRaw(`${registry.host}/${repo}:${digest.replace(':', '-')}`)) as IndexJSON;

  it('resolves an image given by tag to its digest, and checks one given by digest', async () => {
    const image = await pushTestImage(registry.url, 'resolve/app', 'v1');
    assert.equal(await client.resolveDigest(`${registry.host}/resolve/app:v1`), image.digest);
    assert.equal(await client.resolveDigest(`${registry.host}/resolve/app@${image.digest}`), image.digest);
    await assert.rejects(client.resolveDigest(`${registry.host}/resolve/app:missing`), (e: unknown) => {
      assert.ok(e instanceof ProvenanceError);
      assert.equal(e.code, 'REGISTRY_FAILED');
      assert.equal(
        e.message,
        `registry ${registry.host} failed: HEAD /v2/resolve/app/manifests/missing answered HTTP 404`,
      );
      return true;
    });
  });

  it('attaches two bundles to one image and lists both back through the fallback tag', async () => {
    const image = await pushTestImage(registry.url, 'two/app', 'v1');
    const [a, b] = [fakeBundle('a'), fakeBundle('b')];
    const ra = await client.attachBundle(`${registry.host}/two/app:v1`, a, PREDICATE, trustCopies);
    const rb = await client.attachBundle(
      `${registry.host}/two/app@${image.digest}`,
      b,
      'https://example.com/other/v1',
      trustCopies,
    );
    assert.equal(ra.via, 'tag-fallback');
    assert.equal(rb.via, 'tag-fallback');
    assert.notEqual(ra.referrer, rb.referrer);

    const listed = await client.listBundles(`${registry.host}/two/app:v1`);
    assert.deepEqual(
      listed.map((x) => x.source).sort(),
      [ra.referrer, rb.referrer].map((r) => `${registry.host}/two/app@${image.digest}(referrer ${r})`).sort(),
    );
    assert.deepEqual(listed.find((x) => x.source.includes(ra.referrer))?.json, a);
    assert.deepEqual(listed.find((x) => x.source.includes(rb.referrer))?.json, b);
    assert.ok(listed.every((x) => x.problem === undefined));

    // What another client sees: the index under the fallback tag, and the referrer manifest itself.
    const index = await fallbackIndex('two/app', image.digest);
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(index.manifests.map((m) => m.digest).sort(), [ra.referrer, rb.referrer].sort());
    for (const entry of index.manifests) {
      assert.equal(entry.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(entry.artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
      assert.equal(entry.annotations?.['dev.sigstore.bundle.content'], 'dsse-envelope');
      assert.match(entry.annotations?.['org.opencontainers.image.created'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    assert.deepEqual(index.manifests.map((m) => m.annotations?.['dev.sigstore.bundle.predicateType']).sort(), [
      'https://example.com/other/v1',
      PREDICATE,
    ]);
    const referrer = (await skopeoRaw(`${registry.host}/two/app@${ra.referrer}`)) as Record<string, unknown>;
    assert.deepEqual(referrer['subject'], { mediaType: image.mediaType, digest: image.digest, size: image.size });
    assert.deepEqual(referrer['config'], {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    });
    assert.equal(
      (referrer['layers'] as { mediaType: string }[])[0]?.mediaType,
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    );
    const tags = JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${registry.host}/two/app`])) as {
      Tags: string[];
    };
    assert.deepEqual(tags.Tags.sort(), [image.digest.replace(':', '-'), 'v1'].sort());
  });

  it('keeps each image’s bundles apart, and lists nothing for an image without any', async () => {
    const one = await pushTestImage(registry.url, 'many/app', 'one');
    const two = await pushTestImage(registry.url, 'many/app', 'two');
    const three = await pushTestImage(registry.url, 'many/app', 'three');
    await client.attachBundle(`${registry.host}/many/app:one`, fakeBundle('one'), PREDICATE, trustCopies);
    await client.attachBundle(`${registry.host}/many/app:two`, fakeBundle('two'), PREDICATE, trustCopies);
    const listedOne = await client.listBundles(`${registry.host}/many/app:one`);
    const listedTwo = await client.listBundles(`${registry.host}/many/app:two`);
    assert.deepEqual(
      listedOne.map((x) => x.json),
      [fakeBundle('one')],
    );
    assert.deepEqual(
      listedTwo.map((x) => x.json),
      [fakeBundle('two')],
    );
    assert.ok(listedOne[0]?.source.startsWith(`${registry.host}/many/app@${one.digest}(referrer sha256:`));
    assert.ok(listedTwo[0]?.source.startsWith(`${registry.host}/many/app@${two.digest}(referrer sha256:`));
    assert.deepEqual(await client.listBundles(`${registry.host}/many/app@${three.digest}`), []);
  });

  it('loses no entry when five jobs attach to one image at once', async () => {
    const image = await pushTestImage(registry.url, 'race/app', 'v1');
    const bundles = [1, 2, 3, 4, 5].map((n) => fakeBundle(`race ${n}`));
    // Separate clients, as separate jobs would be.
    const jobs = await Promise.all(bundles.map(async (bundle) => ({ bundle, job: await registryClient() })));
    const results = await Promise.all(
      jobs.map(({ bundle, job }) => job.attachBundle(`${registry.host}/race/app:v1`, bundle, PREDICATE, trustCopies)),
    );
    const referrers = results.map((r) => r.referrer);
    assert.equal(new Set(referrers).size, 5);
    const index = await fallbackIndex('race/app', image.digest);
    assert.deepEqual(index.manifests.map((m) => m.digest).sort(), [...referrers].sort());
    const listed = await client.listBundles(`${registry.host}/race/app:v1`);
    assert.equal(listed.length, 5);
    for (const b of bundles) assert.ok(listed.some((x) => JSON.stringify(x.json) === JSON.stringify(b)));
  });

  it('attaches the same bundle twice without a second entry', async () => {
    const image = await pushTestImage(registry.url, 'twice/app', 'v1');
    const bundle = fakeBundle('twice');
    const first = await client.attachBundle(`${registry.host}/twice/app:v1`, bundle, PREDICATE, trustCopies);
    const again = await client.attachBundle(
      `${registry.host}/twice/app:v1`,
      JSON.parse(JSON.stringify(bundle)) as typeof bundle,
      PREDICATE,
      trustCopies,
    );
    assert.deepEqual(again, first);
    assert.equal((await fallbackIndex('twice/app', image.digest)).manifests.length, 1);
    assert.equal((await client.listBundles(`${registry.host}/twice/app:v1`)).length, 1);
    // The same bytes under another predicate type are another attestation.
    const other = await client.attachBundle(
      `${registry.host}/twice/app:v1`,
      bundle,
      'https://example.com/other/v1',
      trustCopies,
    );
    assert.notEqual(other.referrer, first.referrer);
    assert.equal((await fallbackIndex('twice/app', image.digest)).manifests.length, 2);
  });

  it('a re-signed copy of the same statement (a re-run) adds no second entry', async () => {
    const image = await pushTestImage(registry.url, 'rerun/app', 'v1', 'rerun/app');
    const bundle = fakeBundle('rerun');
    const first = await client.attachBundle(`${registry.host}/rerun/app:v1`, bundle, PREDICATE, trustCopies);
    // Same statement, new key and certificate: other bytes, the same attestation.
    const resigned = {
      ...bundle,
      verificationMaterial: {
        certificate: { rawBytes: Buffer.from('another cert').toString('base64') },
        tlogEntries: [],
      },
    };
    const again = await client.attachBundle(`${registry.host}/rerun/app:v1`, resigned, PREDICATE, trustCopies);
    assert.deepEqual(again, first);
    assert.equal((await fallbackIndex('rerun/app', image.digest)).manifests.length, 1);
  });

  it('a copy of the same statement that is not ours (the copy check refuses it) does not count: ours is attached beside it', async () => {
    const image = await pushTestImage(registry.url, 'squat/app', 'v1', 'squat/app');
    const squatted = fakeBundle('squat');
    const first = await client.attachBundle(`${registry.host}/squat/app:v1`, squatted, PREDICATE, trustCopies);
    const ours = {
      ...squatted,
      verificationMaterial: { certificate: { rawBytes: Buffer.from('our cert').toString('base64') }, tlogEntries: [] },
    };
    const attached = await client.attachBundle(`${registry.host}/squat/app:v1`, ours, PREDICATE, () =>
      Promise.resolve(false),
    );
    assert.notEqual(attached.referrer, first.referrer);
    assert.equal((await fallbackIndex('squat/app', image.digest)).manifests.length, 2);
  });

  it('reads cosign’s older .att tag beside referrers, one envelope per layer', async () => {
    const image = await pushTestImage(registry.url, 'cosign/app', 'v1');
    const envelopes = [fakeEnvelope('old 1'), fakeEnvelope('old 2')];
    const att = await pushCosignAttestations(registry.url, 'cosign/app', image.digest, envelopes);
    await client.attachBundle(`${registry.host}/cosign/app:v1`, fakeBundle('new'), PREDICATE, trustCopies);
    const listed = await client.listBundles(`${registry.host}/cosign/app:v1`);
    assert.equal(listed.length, 3);
    assert.deepEqual(listed[0]?.json, fakeBundle('new'));
    // Each layer is one attestation, named by its index; these carry no certificate or log entry (a
    // key-signed or hand-made layer), so each is listed with the reason it cannot be verified.
    listed.slice(1).forEach((x, i) => {
      assert.equal(x.json, undefined);
      assert.match(
        x.problem ?? '',
        new RegExp(
          `^layer ${i} \\(sha256:[a-f0-9]{64}\\): the layer has no dev\\.sigstore\\.cosign/certificate annotation`,
        ),
      );
      assert.equal(x.source, `${registry.host}/cosign/app@${image.digest}(cosign .att layer ${i})`);
    });
    assert.equal(envelopes.length, 2);
    assert.ok(att.digest.startsWith('sha256:'));
  });

  it('lists an image with only a cosign .att tag', async () => {
    const image = await pushTestImage(registry.url, 'cosign/only', 'v1');
    await pushCosignAttestations(registry.url, 'cosign/only', image.digest, [fakeEnvelope('only')]);
    const listed = await client.listBundles(`${registry.host}/cosign/only:v1`);
    assert.deepEqual(
      listed.map((x) => x.source),
      [`${registry.host}/cosign/only@${image.digest}(cosign .att layer 0)`],
    );
    assert.match(listed[0]?.problem ?? '', /no dev\.sigstore\.cosign\/certificate annotation/);
  });
});
