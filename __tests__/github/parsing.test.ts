// The pure pieces of the GitHub client, by tables: which hosts get the token, snappy, endpoints,
// tokens, repository names, bundle identity, GitHub's error bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { bundleIdentity, sha256Hex } from '../../src/github/bundle-identity.ts';
import { gitHubEndpoints, requireToken } from '../../src/github/endpoints.ts';
import { gitHubMessage, isAlreadyExists } from '../../src/github/failure.ts';
import { parseRepository, repoPath } from '../../src/github/repository.ts';
import { snappyDecompress, SnappyError } from '../../src/github/snappy.ts';
import { mayCarryToken } from '../../src/github/transport.ts';
import { snappyLiteralOnly } from '../../testkit/github-api/index.ts';
import { dsseBundle, hex } from './helpers.ts';

describe('mayCarryToken', () => {
  const cases: [string, string, boolean][] = [
    ['https://api.github.com/repos/o/r', 'https://api.github.com', true],
    ['https://uploads.github.com/repos/o/r/releases/1/assets', 'https://api.github.com', true],
    ['https://objects.githubusercontent.com/x', 'https://api.github.com', false],
    ['https://uploads.github.com:8443/x', 'https://api.github.com', false],
    ['http://uploads.github.com/x', 'https://api.github.com', false],
    ['https://api.github.com.evil.example/x', 'https://api.github.com', false],
    ['https://ghes.example/api/uploads/repos/o/r', 'https://ghes.example/api/v3', true],
    ['https://uploads.ghes.example/x', 'https://ghes.example/api/v3', false],
    ['http://127.0.0.1:8080/uploads/x', 'http://127.0.0.1:8080', true],
    ['http://127.0.0.1:8081/x', 'http://127.0.0.1:8080', false],
  ];
  for (const [url, api, expected] of cases)
    it(`${url} with API ${api} → ${expected ? 'token' : 'no token'}`, () =>
      assert.equal(mayCarryToken(new URL(url), api), expected));
});

describe('snappyDecompress', () => {
  it('decodes literals and back-references, overlapping ones included', () => {
    // "abcabcabcabc": a 3-byte literal, then a 1-byte-offset copy of 9 bytes from 3 back (overlapping).
    assert.equal(
      snappyDecompress(Buffer.from([12, 2 << 2, 0x61, 0x62, 0x63, 1 | ((9 - 4) << 2), 3]), 100).toString(),
      'abcabcabcabc',
    );
    // A 2-byte-offset copy: "xy" then copy len 4 at offset 2 → "xyxyxy".
    assert.equal(
      snappyDecompress(Buffer.from([6, 1 << 2, 0x78, 0x79, 2 | ((4 - 1) << 2), 2, 0]), 100).toString(),
      'xyxyxy',
    );
    // A 4-byte-offset copy.
    assert.equal(
      snappyDecompress(Buffer.from([4, 1 << 2, 0x6f, 0x6b, 3 | ((2 - 1) << 2), 2, 0, 0, 0]), 100).toString(),
      'okok',
    );
  });
  it('round-trips what the stand-in encodes, long literals included', () => {
    for (const size of [0, 1, 59, 60, 61, 255, 256, 257, 65_536, 70_000]) {
      const data = Buffer.alloc(size, 'q');
      assert.deepEqual(snappyDecompress(snappyLiteralOnly(data), 1 << 20), data);
    }
  });
  it('refuses a bomb, truncation and copies out of range', () => {
    assert.throws(
      () => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 1 << 20),
      SnappyError,
      'declares 4 GiB',
    );
    assert.throws(() => snappyDecompress(Buffer.from([5, 4 << 2, 0x61]), 100), SnappyError);
    assert.throws(() => snappyDecompress(Buffer.from([4, 1 | (0 << 2), 9]), 100), SnappyError);
    assert.throws(() => snappyDecompress(Buffer.from([9, 0, 0x61]), 100), /ends after 1 of 9/);
  });
});

describe('endpoints and token', () => {
  it('defaults to github.com and trims a trailing slash', () => {
    assert.deepEqual(gitHubEndpoints({}), { apiUrl: 'https://api.github.com', serverUrl: 'https://github.com' });
    assert.deepEqual(
      gitHubEndpoints({ GITHUB_API_URL: 'https://ghes.example/api/v3/', GITHUB_SERVER_URL: 'https://ghes.example' }),
      { apiUrl: 'https://ghes.example/api/v3', serverUrl: 'https://ghes.example' },
    );
    assert.equal(gitHubEndpoints({ GITHUB_API_URL: 'http://127.0.0.1:8080' }).apiUrl, 'http://127.0.0.1:8080');
  });
  it('refuses plain http off loopback, and URLs with credentials', () => {
    assert.throws(
      () => gitHubEndpoints({ GITHUB_API_URL: 'http://api.example' }),
      (e: unknown) => e instanceof ProvenanceError && /not https/.test(e.message),
    );
    assert.throws(() => gitHubEndpoints({ GITHUB_API_URL: 'https://user:pw@api.example' }), ProvenanceError);
  });
  it('refuses an empty or malformed token without echoing it', () => {
    assert.throws(() => requireToken(''), /github-token is empty/);
    assert.throws(() => requireToken(undefined), /github-token is empty/);
    assert.throws(
      () => requireToken('Bearer ghs_x'),
      (e: unknown) => e instanceof ProvenanceError && !e.toLine().includes('ghs_x'),
    );
    assert.equal(requireToken(' ghs_ok \n'), 'ghs_ok');
  });
});

describe('repositories and digests', () => {
  it('parses owner/name and escapes path segments', () => {
    const repo = parseRepository('octo-org/octo.repo_1');
    assert.equal(
      repoPath(repo, 'releases', 'tags', 'release/v1 beta'),
      '/repos/octo-org/octo.repo_1/releases/tags/release%2Fv1%20beta',
    );
    assert.equal(
      repoPath(repo, 'attestations', `sha256:${hex('a')}`),
      `/repos/octo-org/octo.repo_1/attestations/sha256%3A${hex('a')}`,
    );
    for (const bad of ['octo', 'a/b/c', '../x', 'o/..', '-o/r', 'o/r?x'])
      assert.throws(() => parseRepository(bad), ProvenanceError, bad);
  });
  it('normalises sha256 digests', () => {
    assert.equal(sha256Hex(`SHA256:${hex('A')}`), hex('a'));
    assert.throws(() => sha256Hex('sha512:abc'), ProvenanceError);
  });
  it('identifies a DSSE bundle by its statement, signature and first sha256 subject', () => {
    const bundle = dsseBundle(hex('F'), 'seed');
    const statement = 'dsseEnvelope' in bundle ? (bundle.dsseEnvelope?.payload ?? '') : '';
    assert.deepEqual(bundleIdentity(bundle), {
      signature: Buffer.from('signature:seed').toString('base64'),
      statement,
      subjectDigest: hex('f'),
    });
  });
});

describe('GitHub error bodies', () => {
  it('reads message and the first error code, and spots already_exists', () => {
    const data = {
      message: 'Validation Failed',
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
    };
    assert.equal(gitHubMessage(data), 'Validation Failed: already_exists');
    assert.ok(isAlreadyExists({ status: 422, data }));
    assert.ok(!isAlreadyExists({ status: 422, data: { message: 'Validation Failed' } }));
    assert.ok(!isAlreadyExists({ status: 409, data }));
    assert.equal(gitHubMessage('<html>'), undefined, 'a body that was not JSON reaches us as text');
  });
});
