// Transient failures against the GitHub stand-in: 503s on every endpoint, 429 with retry-after, the
// primary rate limit's x-ratelimit-reset, slow answers, resets, a service that is down, and the
// token kept out of every error line. Waits are asserted from the stand-in's recorded arrival times.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { createGitHubService, createSourceReader } from '../../src/github/index.ts';
import { ENDPOINTS, startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { client, closedPort, dsseBundle, failure, hex, QUICK, REPO } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

const file = (name: string, text: string) => ({ name, content: Buffer.from(text), contentType: 'application/json' });

describe('retries against the stand-in', () => {
  let api: GitHubApiStandIn;
  let n = 0;
  let tag = '';
  before(async () => {
    api = await startGitHubApi();
  });
  after(() => api.stop());
  beforeEach(() => {
    tag = `v3.0.${n++}`;
    api.createRelease(REPO, tag);
    api.requests.length = 0;
    for (const e of ENDPOINTS) api.faults[e].length = 0;
  });

  it('completes when the first two calls of every endpoint answer 503', async () => {
    // Exercise every endpoint: an identical asset (download + storage), a leftover (delete), new uploads,
    // an attestation post, and a read through bundle_url.
    api.addAsset(REPO, tag, 'same.sigstore.json', Buffer.from('{"same":1}'));
    api.addAsset(REPO, tag, 'new.sigstore.json', Buffer.from('{"ha'), 'starter');
    api.settings.inlineBundles = false;
    api.failFirst(2, 503);
    try {
      // A download is retried as a whole when its storage redirect fails: 2 + 2 failures need 5 attempts.
      const github = client(api, { attempts: 5 });
      const published = await github.publishReleaseAssets(
        REPO,
        tag,
        [file('same.sigstore.json', '{"same":1}'), file('new.sigstore.json', '{"new":2}')],
        { replace: false, isOurCopy: trustCopies },
      );
      assert.deepEqual(
        published.map((p) => p.outcome),
        ['unchanged', 'uploaded'],
      );
      const posted = await github.postAttestation(REPO, dsseBundle(hex('a'), 'retry'), {
        mode: 'true',
        isOurCopy: trustCopies,
      });
      assert.equal(posted.outcome, 'created');
      // The source stage's reads: rules, the ruleset, classic protection, the commit's pull requests, reviews.
      const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
      api.source.rulesets.set(`${REPO}#main`, [{ id: 9, nonFastForward: true, bypassActors: [] }]);
      api.source.pulls.set(REPO, [{ number: 3, author: 'a', base: 'main', mergeCommitSha: sha, reviews: [] }]);
      const reads = await createSourceReader({
        apiUrl: api.url,
        serverUrl: 'https://github.com',
        token: api.token,
        retry: { ...QUICK, attempts: 3 },
      }).readSourceControls(REPO, 'refs/heads/main', sha);
      assert.deepEqual(
        [reads.rules?.ok, reads.rulesets[0]?.ok, reads.protection?.ok, reads.pulls.ok, reads.reviews?.ok],
        [true, true, true, true, true],
      );
      const back = await github.listAttestations(REPO, hex('a'));
      assert.equal(back.length, 1);
    } finally {
      api.settings.inlineBundles = true;
    }
    for (const endpoint of ENDPOINTS) {
      const calls = api.requestsTo(endpoint);
      assert.deepEqual(
        calls.slice(0, 2).map((r) => r.status),
        [503, 503],
        `${endpoint} failed twice first`,
      );
      assert.ok(calls.length >= 3, `${endpoint} was retried to success`);
      assert.deepEqual(api.faults[endpoint], [], `${endpoint} used its faults`);
    }
    assert.equal(api.assets(REPO, tag).filter((a) => a.name === 'new.sigstore.json').length, 1, 'no duplicate upload');
    assert.equal(
      api.attestations(REPO).filter((a) => a.digests.includes(`sha256:${hex('a')}`)).length,
      1,
      'no duplicate attestation',
    );
  });

  it('honours retry-after on a 429: the retry arrives no sooner than asked', async () => {
    api.faults['release-by-tag'].push({
      status: 429,
      headers: { 'retry-after': '1' },
      message: 'secondary rate limit',
    });
    await client(api).publishReleaseAssets(REPO, tag, [file('a.sigstore.json', '{}')], {
      replace: false,
      isOurCopy: trustCopies,
    });
    const [limited, retried] = api.requestsTo('release-by-tag');
    assert.equal(limited?.status, 429);
    assert.equal(retried?.status, 200);
    assert.ok(retried.at - limited.at >= 990, `waited ${Math.round(retried.at - limited.at)} ms for retry-after: 1`);
  });

  it('waits for x-ratelimit-reset on a rate-limited 403 instead of calling it a permission error', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    api.faults['list-assets'].push({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      message: 'API rate limit exceeded',
    });
    await client(api).publishReleaseAssets(REPO, tag, [file('a.sigstore.json', '{}')], {
      replace: false,
      isOurCopy: trustCopies,
    });
    const [limited, retried] = api.requestsTo('list-assets');
    assert.equal(limited?.status, 403);
    assert.equal(retried?.status, 200);
    assert.ok(
      retried.wallClock >= reset * 1000 - 20,
      `retried ${reset * 1000 - retried.wallClock} ms before the reset`,
    );
  });

  it('gives up at once on a rate limit that resets later than it would wait, saying so', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3600;
    api.faults['release-by-tag'].push({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      message: 'API rate limit exceeded',
    });
    const err = await failure(
      () =>
        client(api).publishReleaseAssets(REPO, tag, [file('a.sigstore.json', '{}')], {
          replace: false,
          isOurCopy: trustCopies,
        }),
      api.token,
    );
    assert.equal(err.code, 'GITHUB_API_FAILED');
    assert.match(
      err.toLine(),
      /^GitHub API refused GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/releases\/tags\/v3\.0\.\d+: HTTP 403 "API rate limit exceeded", rate limited for another 3\d{3} s\. Re-run the job after the rate limit resets/,
    );
    assert.equal(api.requestsTo('release-by-tag').length, 1);
  });

  it('retries a slow answer that outlasts the per-attempt timeout, and a reset', async () => {
    api.faults['list-assets'].push({ delayMs: 600 });
    api.faults['upload-asset'].push('reset');
    const published = await client(api, { timeoutMs: 200 }).publishReleaseAssets(
      REPO,
      tag,
      [file('a.sigstore.json', '{}')],
      { replace: false, isOurCopy: trustCopies },
    );
    assert.equal(published[0]?.outcome, 'uploaded');
    assert.equal(api.requestsTo('list-assets').length, 2);
    assert.deepEqual(
      api.requestsTo('upload-asset').map((r) => r.status),
      [undefined, 201],
    );
  });

  it('reports 503s that outlast the retries with the request, status and attempts', async () => {
    api.failFirst(3, 503, ['release-by-tag']);
    const err = await failure(() => client(api).listReleaseBundles(REPO, tag), api.token);
    assert.equal(err.code, 'GITHUB_API_FAILED');
    assert.match(
      err.toLine(),
      /^GitHub API failed: GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/releases\/tags\/v3\.0\.\d+ answered HTTP 503 "injected fault 503" after 3 attempt\(s\)\. Re-run the job later/,
    );
    assert.equal(api.requestsTo('release-by-tag').length, 3);
  });

  it('scrubs the token from a message GitHub echoes back', async () => {
    api.faults['release-by-tag'].push({ status: 403, message: `token ${api.token} lacks a scope` });
    const err = await failure(() => client(api).listReleaseBundles(REPO, tag), api.token);
    assert.match(err.message, /"token \*\*\* lacks a scope"/);
  });
});

describe('a GitHub API that is down', () => {
  it('fails in one line naming "GitHub API", the request and the reason', async () => {
    const token = 'ghs_downServiceToken0123456789';
    const github = createGitHubService({
      apiUrl: `http://127.0.0.1:${await closedPort()}`,
      serverUrl: 'https://github.com',
      token,
      retry: QUICK,
    });
    const err = await failure(
      () =>
        github.publishReleaseAssets(REPO, 'v1', [file('a.sigstore.json', '{}')], {
          replace: false,
          isOurCopy: trustCopies,
        }),
      token,
    );
    assert.equal(err.code, 'GITHUB_API_FAILED');
    assert.match(
      err.toLine(),
      /^GitHub API failed: GET http:\/\/127\.0\.0\.1:\d+\/repos\/octo-org\/octo-repo\/releases\/tags\/v1 answered ECONNREFUSED\. .+ \[GITHUB_API_FAILED\]$/,
    );
    const posted = await failure(
      () => github.postAttestation(REPO, dsseBundle(hex('b'), 'down'), { mode: 'auto', isOurCopy: trustCopies }),
      token,
    );
    assert.match(posted.message, /^GitHub API failed: GET .*\/attestations\/sha256:b{64} answered ECONNREFUSED$/);
  });
});

describe('the token', () => {
  it('does not show when the service is inspected or logged', () => {
    const token = 'ghs_inspectMe0123456789abcdef';
    const github = createGitHubService({ apiUrl: 'https://api.github.com', serverUrl: 'https://github.com', token });
    assert.ok(!inspect(github, { depth: 8, showHidden: true }).includes(token));
    assert.ok(!JSON.stringify(github).includes(token));
  });

  it('stays out of octokit: its debug lines never carry it, even for requests that fail', async () => {
    const api = await startGitHubApi();
    try {
      const lines: string[] = [];
      api.createRelease(REPO, 'v9.0.0');
      api.faults['release-by-tag'].push(503, { status: 403, message: `echo ${api.token}` });
      const github = createGitHubService({
        apiUrl: api.url,
        serverUrl: 'https://github.com',
        token: api.token,
        retry: QUICK,
        writeIntervalMs: 0,
        debug: (line) => lines.push(line),
      });
      await failure(() => github.listReleaseBundles(REPO, 'v9.0.0'), api.token);
      assert.ok(
        lines.some((l) => /GET \/repos\/octo-org\/octo-repo\/releases\/tags\/v9\.0\.0 - 503/.test(l)),
        `octokit's per-attempt lines reach debug:\n${lines.join('\n')}`,
      );
      assert.ok(
        lines.every((l) => !l.includes(api.token) && !/authorization/i.test(l)),
        lines.join('\n'),
      );
    } finally {
      await api.stop();
    }
  });
});

describe("GitHub's spacing of writes", () => {
  it('leaves at least the write interval between two uploads (plugin-throttling)', async () => {
    const api = await startGitHubApi();
    try {
      api.createRelease(REPO, 'v8.0.0');
      await client(api, {}, 600).publishReleaseAssets(
        REPO,
        'v8.0.0',
        [file('a.sigstore.json', '{}'), file('b.sigstore.json', '{}')],
        { replace: false, isOurCopy: trustCopies },
      );
      const [first, second] = api.requestsTo('upload-asset');
      assert.ok(first && second);
      // The interval is kept between the writes leaving the client; a first one that reached the stand-in
      // late (a busy machine) narrows the gap seen here, hence the margin.
      assert.ok(second.at - first.at >= 450, `uploads ${Math.round(second.at - first.at)} ms apart`);
    } finally {
      await api.stop();
    }
  });
});
