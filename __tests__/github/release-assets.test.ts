// Publishing bundles as release assets and reading them back, through the GitHub stand-in: idempotent
// re-runs, conflicts and replacement, interrupted uploads, and paging.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { client, failure, REPO } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

const bundleA = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","n":"a"}\n');
const bundleB = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","n":"b"}\n{"n":"b2"}\n');
const files = [
  { name: 'app.tar.gz.sigstore.json', content: bundleA, contentType: 'application/json' },
  { name: 'provenance.intoto.jsonl', content: bundleB, contentType: 'application/jsonl' },
];

describe('publishReleaseAssets', () => {
  let api: GitHubApiStandIn;
  let tag = '';
  let n = 0;
  before(async () => {
    api = await startGitHubApi();
  });
  after(() => api.stop());
  beforeEach(() => {
    tag = `v1.0.${n++}`; // a fresh release per test
    api.createRelease(REPO, tag);
    api.requests.length = 0;
  });

  it('uploads two bundles with the headers GitHub asks for, and returns their URLs', async () => {
    const published = await client(api).publishReleaseAssets(REPO, tag, files, {
      replace: false,
      isOurCopy: trustCopies,
    });
    assert.deepEqual(
      published.map((p) => [p.name, p.outcome, p.url]),
      files.map((f) => [f.name, 'uploaded', `https://github.com/${REPO}/releases/download/${tag}/${f.name}`]),
    );
    const stored = api.assets(REPO, tag);
    assert.deepEqual(
      stored.map((a) => [a.name, a.state, a.content.toString()]),
      files.map((f) => [f.name, 'uploaded', f.content.toString()]),
    );
    const uploads = api.requestsTo('upload-asset');
    assert.deepEqual(
      uploads.map((r) => [r.query['name'], r.contentType, r.bodyBytes]),
      files.map((f) => [f.name, f.contentType, f.content.length]),
    );
    for (const r of api.requests) {
      assert.equal(r.auth, 'token');
      assert.equal(r.apiVersion, '2022-11-28');
    }
    assert.equal(api.requestsTo('release-by-tag')[0]?.accept, 'application/vnd.github+json');
    assert.equal(api.requestsTo('list-assets')[0]?.query['per_page'], '100');
  });

  it('uploads nothing on a re-run: the recorded requests show no second upload', async () => {
    const github = client(api);
    await github.publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies });
    const again = await github.publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies });
    assert.deepEqual(
      again.map((p) => p.outcome),
      ['unchanged', 'unchanged'],
    );
    assert.equal(api.requestsTo('upload-asset').length, 2, 'two uploads in all, both from the first run');
    assert.equal(api.requestsTo('delete-asset').length, 0);
    assert.equal(api.requestsTo('download-asset').length, 2, 'same size: compared by downloading and hashing');
    assert.equal(api.assets(REPO, tag).length, 2);
  });

  it('leaves alone an asset signing the same statement with another key (a re-run of the step)', async () => {
    const github = client(api);
    const signed = (sig: string): Buffer =>
      Buffer.from(
        `${JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: { payload: 'c3RhdGVtZW50', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig }] } })}\n`,
      );
    await github.publishReleaseAssets(
      REPO,
      tag,
      [{ name: 'rerun.sigstore.json', content: signed('Zmlyc3Q='), contentType: 'application/json' }],
      { replace: false, isOurCopy: trustCopies },
    );
    const again = await github.publishReleaseAssets(
      REPO,
      tag,
      [{ name: 'rerun.sigstore.json', content: signed('c2Vjb25kIGtleQ=='), contentType: 'application/json' }],
      { replace: false, isOurCopy: trustCopies },
    );
    assert.deepEqual(
      again.map((p) => p.outcome),
      ['unchanged'],
    );
    assert.equal(api.requestsTo('upload-asset').length, 1);
  });

  it('an asset signing our statement in a copy that is not ours is other content: refused by name, replaced when asked', async () => {
    const github = client(api);
    const signed = (sig: string): Buffer =>
      Buffer.from(
        `${JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: { payload: 'c3F1YXR0ZWQ=', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig }] } })}\n`,
      );
    const notOurs = (): Promise<boolean> => Promise.resolve(false);
    await github.publishReleaseAssets(
      REPO,
      tag,
      [{ name: 'squat.sigstore.json', content: signed('YnJva2Vu'), contentType: 'application/json' }],
      { replace: false, isOurCopy: trustCopies },
    );
    const err = await failure(
      () =>
        github.publishReleaseAssets(
          REPO,
          tag,
          [{ name: 'squat.sigstore.json', content: signed('b3Vycw=='), contentType: 'application/json' }],
          { replace: false, isOurCopy: notOurs },
        ),
      api.token,
    );
    assert.equal(err.code, 'RELEASE_ASSET_CONFLICT');
    assert.match(err.message, /"squat\.sigstore\.json"/);
    const replaced = await github.publishReleaseAssets(
      REPO,
      tag,
      [{ name: 'squat.sigstore.json', content: signed('b3Vycw=='), contentType: 'application/json' }],
      { replace: true, isOurCopy: notOurs },
    );
    assert.deepEqual(
      replaced.map((p) => p.outcome),
      ['replaced'],
    );
  });

  it('compares by the digest GitHub reports, when it reports one, without downloading', async () => {
    api.settings.assetDigests = true;
    try {
      await client(api).publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies });
      await client(api).publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies });
      assert.equal(api.requestsTo('download-asset').length, 0);
      assert.equal(api.requestsTo('upload-asset').length, 2);
    } finally {
      api.settings.assetDigests = false;
    }
  });

  it('refuses an asset of the same name with other content, naming it, in one line', async () => {
    const other = Buffer.from(bundleA.toString().replace('"a"', '"z"')); // same size: only the hash tells
    api.addAsset(REPO, tag, files[0]!.name, other);
    const err = await failure(
      () => client(api).publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'RELEASE_ASSET_CONFLICT');
    assert.match(
      err.toLine(),
      new RegExp(
        `release ${tag} of ${REPO} already has an asset "app\\.tar\\.gz\\.sigstore\\.json" with other content`,
      ),
    );
    assert.equal(api.requestsTo('upload-asset').length, 0, 'nothing uploaded before the conflict');
    assert.deepEqual(api.assets(REPO, tag)[0]?.content, other, 'the existing asset is untouched');
  });

  it('replaces an asset with other content when replace is set', async () => {
    api.addAsset(REPO, tag, files[0]!.name, Buffer.from('older bundle, another size'));
    const published = await client(api).publishReleaseAssets(REPO, tag, files, {
      replace: true,
      isOurCopy: trustCopies,
    });
    assert.deepEqual(
      published.map((p) => p.outcome),
      ['replaced', 'uploaded'],
    );
    assert.equal(api.requestsTo('delete-asset').length, 1);
    assert.equal(api.requestsTo('download-asset').length, 0, 'a different size needs no download');
    assert.deepEqual(
      api.assets(REPO, tag).map((a) => a.content.toString()),
      [bundleA.toString(), bundleB.toString()],
    );
  });

  it('resolves a name taken meanwhile (422 already_exists after a lost answer) by the same rule', async () => {
    api.faults['upload-asset'].push('lost-response'); // stored, but the client never hears of it, and retries
    const published = await client(api).publishReleaseAssets(REPO, tag, files.slice(0, 1), {
      replace: false,
      isOurCopy: trustCopies,
    });
    assert.equal(published[0]?.outcome, 'unchanged');
    assert.deepEqual(
      api.requestsTo('upload-asset').map((r) => r.status),
      [undefined, 422],
    );
    assert.equal(api.assets(REPO, tag).length, 1);
  });

  it('deletes what an interrupted upload left (state "starter") and uploads again', async () => {
    api.faults['upload-asset'].push('interrupted-upload');
    const published = await client(api).publishReleaseAssets(REPO, tag, files.slice(0, 1), {
      replace: false,
      isOurCopy: trustCopies,
    });
    assert.equal(published[0]?.outcome, 'uploaded');
    assert.equal(api.requestsTo('delete-asset').length, 1);
    assert.deepEqual(
      api.assets(REPO, tag).map((a) => [a.state, a.content.length]),
      [['uploaded', bundleA.length]],
    );
  });

  it('leaves no half-uploaded asset behind when the upload keeps failing', async () => {
    api.faults['upload-asset'].push('interrupted-upload', 'reset', 'reset');
    const err = await failure(
      () => client(api).publishReleaseAssets(REPO, tag, files.slice(0, 1), { replace: false, isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'GITHUB_API_FAILED');
    assert.match(
      err.message,
      /^GitHub API failed: POST http:\/\/127\.0\.0\.1:\d+\/uploads\/repos\/octo-org\/octo-repo\/releases\/\d+\/assets answered (ECONNRESET|UND_ERR_SOCKET)$/,
    );
    assert.deepEqual(api.assets(REPO, tag), [], 'the "starter" asset was deleted');
  });

  it('names the missing release and how to create it', async () => {
    const err = await failure(
      () => client(api).publishReleaseAssets(REPO, 'v9.9.9', files, { replace: false, isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'RELEASE_NOT_FOUND');
    assert.match(
      err.toLine(),
      /^GitHub API has no published release for tag "v9\.9\.9" in octo-org\/octo-repo \(GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/releases\/tags\/v9\.9\.9 answered HTTP 404\)\. Create the release first, e\.g\. "gh release create v9\.9\.9"/,
    );
  });

  it('names the permission when GitHub refuses the upload', async () => {
    api.faults['upload-asset'].push({ status: 403, message: 'Resource not accessible by integration' });
    const err = await failure(
      () => client(api).publishReleaseAssets(REPO, tag, files, { replace: false, isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'GITHUB_PERMISSION_DENIED');
    assert.match(
      err.toLine(),
      /^GitHub API refused POST http:\/\/127\.0\.0\.1:\d+\/uploads\/repos\/octo-org\/octo-repo\/releases\/\d+\/assets: HTTP 403 "Resource not accessible by integration"\. Grant the job "permissions: contents: write"/,
    );
  });

  it('refuses asset names GitHub would rename, and duplicates', async () => {
    const bad = await failure(
      () =>
        client(api).publishReleaseAssets(REPO, tag, [{ ...files[0]!, name: 'my bundle.json' }], {
          replace: false,
          isOurCopy: trustCopies,
        }),
      api.token,
    );
    assert.equal(bad.code, 'INPUT_INVALID');
    const twice = await failure(
      () =>
        client(api).publishReleaseAssets(REPO, tag, [files[0]!, files[0]!], { replace: false, isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(twice.code, 'INPUT_CONFLICT');
    assert.equal(api.requests.length, 0, 'checked before any request');
  });
});

describe('listReleaseBundles', () => {
  let api: GitHubApiStandIn;
  before(async () => {
    api = await startGitHubApi({ maxPerPage: 2 }); // five assets span three pages
  });
  after(() => api.stop());

  it('reads back every complete bundle asset across pages, and nothing else', async () => {
    api.createRelease(REPO, 'v2.0.0');
    await client(api).publishReleaseAssets(REPO, 'v2.0.0', files, { replace: false, isOurCopy: trustCopies });
    api.addAsset(REPO, 'v2.0.0', 'app.tar.gz', Buffer.from('not a bundle'));
    api.addAsset(REPO, 'v2.0.0', 'other.jsonl', Buffer.from('{"n":"c"}\n'));
    api.addAsset(REPO, 'v2.0.0', 'broken.sigstore.json', Buffer.from('{"half'), 'starter');
    api.requests.length = 0;
    const bundles = await client(api).listReleaseBundles(REPO, 'v2.0.0');
    assert.deepEqual(bundles, [
      {
        source: `https://github.com/${REPO}/releases/download/v2.0.0/app.tar.gz.sigstore.json`,
        text: bundleA.toString(),
      },
      {
        source: `https://github.com/${REPO}/releases/download/v2.0.0/provenance.intoto.jsonl`,
        text: bundleB.toString(),
      },
      { source: `https://github.com/${REPO}/releases/download/v2.0.0/other.jsonl`, text: '{"n":"c"}\n' },
    ]);
    assert.deepEqual(
      api.requestsTo('list-assets').map((r) => r.query['page'] ?? '1'),
      ['1', '2', '3'],
    );
    assert.equal(api.requestsTo('download-asset').length, 3);
  });

  it('re-runs stay idempotent when the assets span pages', async () => {
    api.createRelease(REPO, 'v2.1.0');
    const many = ['a', 'b', 'c', 'd', 'e'].map((x) => ({
      name: `${x}.sigstore.json`,
      content: Buffer.from(`{"n":"${x}"}`),
      contentType: 'application/json',
    }));
    await client(api).publishReleaseAssets(REPO, 'v2.1.0', many, { replace: false, isOurCopy: trustCopies });
    const uploads = api.requestsTo('upload-asset').length;
    const again = await client(api).publishReleaseAssets(REPO, 'v2.1.0', many, {
      replace: false,
      isOurCopy: trustCopies,
    });
    assert.ok(again.every((p) => p.outcome === 'unchanged'));
    assert.equal(api.requestsTo('upload-asset').length, uploads);
  });

  it('names a missing release', async () => {
    const err = await failure(() => client(api).listReleaseBundles(REPO, 'v0.0.0-none'), api.token);
    assert.equal(err.code, 'RELEASE_NOT_FOUND');
    assert.match(err.hint, /contents: read/);
  });
});
