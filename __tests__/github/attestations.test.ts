// GitHub's attestations API through the stand-in: posting at most once, the private-repository/plan
// refusal in both modes, paging, and reading bundles back inline or from a snappy bundle_url.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { client, dsseBundle, failure, hex, REPO } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

describe('postAttestation', () => {
  let api: GitHubApiStandIn;
  before(async () => {
    api = await startGitHubApi();
  });
  after(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
    api.settings.attestations = 'available';
  });

  it('posts {"bundle": …} and returns the id and its web page', async () => {
    const bundle = dsseBundle(hex('1'), 'first');
    const result = await client(api).postAttestation(REPO, bundle, { mode: 'auto', isOurCopy: trustCopies });
    assert.equal(result.outcome, 'created');
    assert.ok(result.outcome === 'created');
    assert.equal(result.url, `https://github.com/${REPO}/attestations/${result.id}`);
    assert.deepEqual(api.attestations(REPO).find((a) => a.id === result.id)?.bundle, bundle);
    const [lookup, post] = api.requests;
    assert.equal(lookup?.path, `/repos/${REPO}/attestations/sha256%3A${hex('1')}`, 'looked for it first');
    assert.equal(post?.endpoint, 'post-attestation');
    assert.equal(post?.contentType, 'application/json');
  });

  it('posting the same bundle twice stores one attestation and returns its id', async () => {
    const bundle = dsseBundle(hex('2'), 'twice');
    const github = client(api);
    const first = await github.postAttestation(REPO, bundle, { mode: 'true', isOurCopy: trustCopies });
    const second = await github.postAttestation(REPO, bundle, { mode: 'true', isOurCopy: trustCopies });
    assert.equal(first.outcome, 'created');
    assert.equal(second.outcome, 'existing');
    assert.ok(first.outcome === 'created' && second.outcome === 'existing');
    assert.equal(second.id, first.id);
    assert.equal(second.url, first.url);
    assert.equal(api.requestsTo('post-attestation').length, 1);
    assert.equal(api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('2')}`)).length, 1);
  });

  it('another statement about the same subject is a new attestation', async () => {
    const github = client(api);
    await github.postAttestation(REPO, dsseBundle(hex('3'), 'run-1'), { mode: 'true', isOurCopy: trustCopies });
    const next = await github.postAttestation(REPO, dsseBundle(hex('3'), 'run-2'), {
      mode: 'true',
      isOurCopy: trustCopies,
    });
    assert.equal(next.outcome, 'created');
    assert.equal(api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('3')}`)).length, 2);
  });

  it('the same statement re-signed (a re-run of the step) is the same attestation: not posted again', async () => {
    const github = client(api);
    await github.postAttestation(REPO, dsseBundle(hex('9'), 'build'), { mode: 'true', isOurCopy: trustCopies });
    const rerun = await github.postAttestation(REPO, dsseBundle(hex('9'), 'build', 'fresh-key'), {
      mode: 'true',
      isOurCopy: trustCopies,
    });
    assert.equal(rerun.outcome, 'existing');
    assert.equal(api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('9')}`)).length, 1);
  });

  it('a stored copy of the same statement that is not ours (the copy check refuses it) does not count: ours is stored beside it', async () => {
    const github = client(api);
    await github.postAttestation(REPO, dsseBundle(hex('c'), 'squat', 'broken'), {
      mode: 'true',
      isOurCopy: trustCopies,
    });
    const asked: unknown[] = [];
    const ours = await github.postAttestation(REPO, dsseBundle(hex('c'), 'squat', 'real'), {
      mode: 'true',
      isOurCopy: (copy) => (asked.push(copy), Promise.resolve(false)),
    });
    assert.equal(ours.outcome, 'created');
    assert.equal(asked.length, 1, 'the copy with our statement was checked');
    assert.equal(api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('c')}`)).length, 2);
  });

  it('a POST whose answer was lost is found before retrying, not stored twice', async () => {
    api.faults['post-attestation'].push('lost-response');
    const result = await client(api).postAttestation(REPO, dsseBundle(hex('4'), 'lost'), {
      mode: 'true',
      isOurCopy: trustCopies,
    });
    assert.equal(result.outcome, 'existing');
    assert.equal(api.requestsTo('post-attestation').length, 1);
    assert.equal(api.requestsTo('list-attestations').length, 2, 'one look before the POST, one before the retry');
    assert.equal(api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('4')}`)).length, 1);
  });

  it('private repository without the plan, mode auto: a warning result, not an error', async () => {
    api.settings.attestations = 'private-no-plan';
    const result = await client(api).postAttestation(REPO, dsseBundle(hex('5'), 'plan'), {
      mode: 'auto',
      isOurCopy: trustCopies,
    });
    assert.equal(result.outcome, 'unavailable');
    assert.ok(result.outcome === 'unavailable');
    assert.match(
      result.warning,
      /^GitHub API refused GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/attestations\/sha256:5{64}: HTTP 403 "[^"]+"; continuing without a GitHub attestation\. Grant the job "permissions: attestations: write"; a private repository also needs a plan with artifact attestations/,
    );
    assert.ok(!result.warning.includes(api.token));
  });

  it('private repository without the plan, mode true: an error with the permission and plan hint', async () => {
    api.settings.attestations = 'private-no-plan';
    const err = await failure(
      () => client(api).postAttestation(REPO, dsseBundle(hex('6'), 'plan'), { mode: 'true', isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'ATTESTATIONS_UNAVAILABLE');
    assert.match(err.hint, /permissions: attestations: write/);
    assert.match(err.hint, /plan with artifact attestations/);
    assert.equal(api.requestsTo('post-attestation').length, 0);
  });

  it('a POST refused with 403 or 404 after a clean lookup follows the mode too', async () => {
    api.faults['post-attestation'].push({ status: 403, message: 'Resource not accessible by integration' }, 404);
    const github = client(api);
    const err = await failure(
      () => github.postAttestation(REPO, dsseBundle(hex('7'), 'perm'), { mode: 'true', isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'ATTESTATIONS_UNAVAILABLE');
    assert.match(
      err.message,
      /POST http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/attestations: HTTP 403 "Resource not accessible by integration"/,
    );
    const warned = await github.postAttestation(REPO, dsseBundle(hex('7'), 'perm'), {
      mode: 'auto',
      isOurCopy: trustCopies,
    });
    assert.equal(warned.outcome, 'unavailable');
  });

  it('finds an earlier copy on the third page before posting', async () => {
    api.settings.maxPerPage = 2;
    try {
      for (let i = 0; i < 4; i++) api.addAttestation(REPO, dsseBundle(hex('8'), `other-${i}`));
      const mine = dsseBundle(hex('8'), 'mine');
      const id = api.addAttestation(REPO, mine);
      const result = await client(api).postAttestation(REPO, mine, { mode: 'true', isOurCopy: trustCopies });
      assert.deepEqual(result, { outcome: 'existing', id, url: `https://github.com/${REPO}/attestations/${id}` });
      assert.equal(api.requestsTo('list-attestations').length, 3);
      assert.equal(api.requestsTo('post-attestation').length, 0);
    } finally {
      api.settings.maxPerPage = 100;
    }
  });

  it('refuses a bundle that is not DSSE before any request', async () => {
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {},
      messageSignature: {},
    } as unknown as SerializedBundle;
    const err = await failure(
      () => client(api).postAttestation(REPO, bundle, { mode: 'auto', isOurCopy: trustCopies }),
      api.token,
    );
    assert.equal(err.code, 'INPUT_INVALID');
    assert.equal(api.requests.length, 0);
  });
});

describe('listAttestations', () => {
  let api: GitHubApiStandIn;
  const digest = hex('c');
  const stored = [0, 1, 2, 3, 4].map((i) => dsseBundle(digest, `bundle-${i}`));
  before(async () => {
    api = await startGitHubApi({ maxPerPage: 2 });
    for (const b of stored) api.addAttestation(REPO, b);
    api.addAttestation(REPO, dsseBundle(hex('d'), 'another subject'));
  });
  after(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
  });

  it('pages through 3 pages by the Link header and returns every bundle', async () => {
    const bundles = await client(api).listAttestations(REPO, `sha256:${digest}`);
    assert.deepEqual(
      bundles.map((b) => JSON.parse(b.text) as unknown),
      stored,
    );
    assert.ok(bundles.every((b) => /^https:\/\/github\.com\/octo-org\/octo-repo\/attestations\/\d+$/.test(b.source)));
    const pages = api.requestsTo('list-attestations');
    assert.equal(pages.length, 3);
    assert.equal(pages[0]?.query['per_page'], '100');
    assert.equal(pages[0]?.query['after'], undefined);
    assert.ok(pages[1]?.query['after'] && pages[2]?.query['after'], 'later pages follow the cursor GitHub linked');
  });

  it('fetches bundle_url when the bundle is not inline: snappy-decoded, and without the token', async () => {
    api.settings.inlineBundles = false;
    try {
      const bundles = await client(api).listAttestations(REPO, digest);
      assert.deepEqual(
        bundles.map((b) => JSON.parse(b.text) as unknown),
        stored,
      );
      const fetched = api.requestsTo('attestation-storage');
      assert.equal(fetched.length, 5);
      assert.ok(
        fetched.every((r) => r.auth === 'none'),
        'the storage URL never sees the token',
      );
    } finally {
      api.settings.inlineBundles = true;
    }
  });

  it('an unknown digest has no bundles', async () => {
    assert.deepEqual(await client(api).listAttestations(REPO, hex('e')), []);
  });

  it('a malformed digest is refused before any request', async () => {
    const err = await failure(() => client(api).listAttestations(REPO, 'sha256:xyz'), api.token);
    assert.equal(err.code, 'SUBJECT_DIGEST_INVALID');
    assert.equal(api.requests.length, 0);
  });

  it('a real GitHub attest bundle goes in and comes back byte-equal as JSON', async () => {
    const real = JSON.parse(
      readFileSync(
        new URL('../fixtures/real-world/github-attest-reusable-workflow.sigstore.json', import.meta.url),
        'utf8',
      ),
    ) as SerializedBundle;
    const subject = (
      JSON.parse(Buffer.from(real.dsseEnvelope!.payload, 'base64').toString()) as {
        subject: { digest: { sha256: string } }[];
      }
    ).subject[0]!.digest.sha256;
    const github = client(api);
    const posted = await github.postAttestation(REPO, real, { mode: 'true', isOurCopy: trustCopies });
    assert.equal(posted.outcome, 'created');
    api.settings.inlineBundles = false;
    try {
      const back = await github.listAttestations(REPO, subject);
      assert.deepEqual(
        back.map((b) => JSON.parse(b.text) as unknown),
        [real],
      );
    } finally {
      api.settings.inlineBundles = true;
    }
  });
});
