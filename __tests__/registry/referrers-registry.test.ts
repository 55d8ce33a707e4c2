// Against our own registry with the referrers API: the `OCI-Subject` path (and an ECR-like registry
// that sends the header without the API), pagination and filtering,
// Basic and Bearer challenges with logins from a temporary Docker config (inline and through a credential
// helper), transient faults, and the one-line errors for failures that stay.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { MAX_BUNDLE_BYTES, MAX_MANIFEST_BYTES } from '../../src/registry/index.ts';
import { serve, type LoopbackServer } from '../../testkit/http.ts';
import { fakeBundle, pushBlob, pushTestImage, putManifest, sha256 } from '../../testkit/registry/images.ts';
import {
  startReferrersRegistry,
  type ReferrersRegistry,
  type ReferrersRegistryOptions,
} from '../../testkit/registry/referrers-registry.ts';
import { FAST_RETRY, PREDICATE, dockerConfigDir, registryClient } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

const USER = 'octo';
const PASSWORD = 'pa55-w0rd-never-shown';
const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

/** Asserts a ProvenanceError with this code whose single line matches, and that no secret leaks into it. */
function failsWith(code: string, line: RegExp, secrets: readonly string[] = []) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ProvenanceError, `expected a ProvenanceError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, line);
    assert.doesNotMatch(e.toLine(), /\n/);
    for (const s of [PASSWORD, basic(USER, PASSWORD), ...secrets])
      assert.ok(!e.toLine().includes(s), `the error line shows a secret: ${e.toLine()}`);
    return true;
  };
}

let registry: ReferrersRegistry | undefined;
async function start(options: ReferrersRegistryOptions = {}): Promise<ReferrersRegistry> {
  registry = await startReferrersRegistry(options);
  return registry;
}
afterEach(async () => {
  await registry?.stop();
  registry = undefined;
});

describe('referrers API', () => {
  it('attaches through the referrers API (OCI-Subject) without a fallback tag, and lists it', async () => {
    const r = await start();
    const image = await pushTestImage(r.url, 'api/app', 'v1');
    const client = await registryClient();
    const bundle = fakeBundle('api');
    const result = await client.attachBundle(`${r.host}/api/app:v1`, bundle, PREDICATE, trustCopies);
    assert.equal(result.via, 'referrers-api');
    const tags = (await (await fetch(`${r.url}/v2/api/app/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['v1']);
    const listed = await client.listBundles(`${r.host}/api/app:v1`);
    assert.deepEqual(listed, [
      { source: `${r.host}/api/app@${image.digest}(referrer ${result.referrer})`, json: bundle, problem: undefined },
    ]);
    assert.ok(r.requests.some((q) => q.method === 'GET' && q.path === `/v2/api/app/referrers/${image.digest}`));

    const puts = (): number =>
      r.requests.filter((q) => q.method === 'PUT' && q.path.startsWith('/v2/api/app/manifests/')).length;
    const before = puts();
    assert.deepEqual(await client.attachBundle(`${r.host}/api/app:v1`, bundle, PREDICATE, trustCopies), result);
    assert.equal(puts(), before, 'attaching the same bundle again pushes nothing');
  });

  it('follows pagination and keeps only Sigstore bundles, or the artifactType asked for', async () => {
    const r = await start({ pageSize: 1 });
    const image = await pushTestImage(r.url, 'pages/app', 'v1');
    const client = await registryClient();
    const bundles = ['p1', 'p2', 'p3'].map(fakeBundle);
    for (const b of bundles) await client.attachBundle(`${r.host}/pages/app:v1`, b, PREDICATE, trustCopies);
    // Another tool's referrer (an SBOM) on the same image.
    const empty = await pushBlob(r.url, 'pages/app', Buffer.from('{}'));
    const sbom = await pushBlob(r.url, 'pages/app', Buffer.from('{"spdxVersion":"SPDX-2.3"}'));
    await putManifest(r.url, 'pages/app', 'sbom', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/spdx+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty.digest, size: empty.size },
      layers: [{ mediaType: 'application/spdx+json', digest: sbom.digest, size: sbom.size }],
      subject: image,
    });
    const listed = await client.listBundles(`${r.host}/pages/app:v1`);
    assert.equal(listed.length, 3);
    for (const b of bundles) assert.ok(listed.some((x) => JSON.stringify(x.json) === JSON.stringify(b)));
    assert.ok(
      r.requests.filter((q) => q.path === `/v2/pages/app/referrers/${image.digest}`).length >= 4,
      'four pages were read',
    );
    assert.deepEqual(
      await client.listBundles(`${r.host}/pages/app:v1`, { artifactType: 'application/vnd.example+json' }),
      [],
    );
  });

  it('falls back to the tag when the registry has no referrers API', async () => {
    const r = await start({ referrersApi: false });
    const image = await pushTestImage(r.url, 'noapi/app', 'v1');
    const client = await registryClient();
    const result = await client.attachBundle(`${r.host}/noapi/app:v1`, fakeBundle('x'), PREDICATE, trustCopies);
    assert.equal(result.via, 'tag-fallback');
    const index = (await (await fetch(`${r.url}/v2/noapi/app/manifests/${image.digest.replace(':', '-')}`)).json()) as {
      manifests: { digest: string }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => m.digest),
      [result.referrer],
    );
  });

  // ECR's way: OCI-Subject on the PUT, 404 from the referrers API. Trusting the header wrote no fallback
  // tag, so nothing could find the bundle afterwards.
  it('falls back to the tag when the registry sends OCI-Subject but has no referrers API', async () => {
    const r = await start({ referrersApi: false, ociSubject: true });
    const image = await pushTestImage(r.url, 'ecr/app', 'v1');
    const client = await registryClient();
    const bundle = fakeBundle('ecr');
    const result = await client.attachBundle(`${r.host}/ecr/app:v1`, bundle, PREDICATE, trustCopies);
    const put = r.requests.find((q) => q.method === 'PUT' && q.path === `/v2/ecr/app/manifests/${result.referrer}`);
    assert.ok(put !== undefined, 'the referrer manifest was pushed by digest');
    assert.equal(result.via, 'tag-fallback');
    const tag = await fetch(`${r.url}/v2/ecr/app/manifests/${image.digest.replace(':', '-')}`);
    assert.equal(tag.status, 200, 'the fallback tag exists');
    const index = (await tag.json()) as { manifests: { digest: string }[] };
    assert.deepEqual(
      index.manifests.map((m) => m.digest),
      [result.referrer],
    );
    const listed = await client.listBundles(`${r.host}/ecr/app:v1`);
    assert.deepEqual(listed, [
      { source: `${r.host}/ecr/app@${image.digest}(referrer ${result.referrer})`, json: bundle, problem: undefined },
    ]);
    assert.deepEqual(
      await client.attachBundle(`${r.host}/ecr/app:v1`, bundle, PREDICATE, trustCopies),
      result,
      'attaching again finds it through the tag',
    );
  });
});

describe('logins and challenges', () => {
  let helperDir: string;
  let helperLog: string;
  before(async () => {
    // A credential helper as Docker runs it: `get`, the server on stdin, JSON on stdout.
    helperDir = await mkdtemp(path.join(os.tmpdir(), 'cred-helper-'));
    helperLog = path.join(helperDir, 'calls.log');
    const script = path.join(helperDir, 'docker-credential-test');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        'read -r server || true',
        `echo "$1 $server" >> '${helperLog}'`,
        '[ "$1" = get ] || exit 2',
        'case "$server" in',
        `  127.0.0.1:*) printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server" ;;`,
        '  *) echo "credentials not found in native keychain"; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(script, 0o755);
  });
  const helperEnv = (): Record<string, string> => ({ PATH: `${helperDir}:${process.env['PATH'] ?? ''}` });

  it('answers a Basic challenge with the login from auths (base64 auth)', async () => {
    const r = await start({ auth: { scheme: 'basic', username: USER, password: PASSWORD } });
    await pushAsAdmin(r, 'basic/app');
    const dockerConfig = await dockerConfigDir({ auths: { [`http://${r.host}`]: { auth: basic(USER, PASSWORD) } } });
    const client = await registryClient({ dockerConfig });
    const result = await client.attachBundle(`${r.host}/basic/app:v1`, fakeBundle('basic'), PREDICATE, trustCopies);
    assert.equal(result.via, 'referrers-api');
    assert.equal((await client.listBundles(`${r.host}/basic/app:v1`)).length, 1);
    const challenged = r.requests.filter((q) => q.authorization === undefined && q.path.startsWith('/v2/basic/'));
    assert.equal(challenged.length, 1, 'one 401, then the login is remembered for the registry');
  });

  it('gets Bearer tokens with the login from a credHelpers entry, one per scope', async () => {
    const r = await start({ auth: { scheme: 'bearer', username: USER, password: PASSWORD } });
    await pushAsAdmin(r, 'bearer/app');
    const dockerConfig = await dockerConfigDir({ auths: {}, credHelpers: { [r.host]: 'test' } });
    const client = await registryClient({ dockerConfig, env: helperEnv() });
    const masked: string[] = [];
    const masking = await registryClient({ dockerConfig, env: helperEnv(), maskSecret: (s) => masked.push(s) });
    const result = await masking.attachBundle(`${r.host}/bearer/app:v1`, fakeBundle('bearer'), PREDICATE, trustCopies);
    assert.equal(result.via, 'referrers-api');
    assert.equal((await client.listBundles(`${r.host}/bearer/app:v1`)).length, 1);
    const tokenRequests = r.requests.filter((q) => q.path === '/token');
    assert.equal(tokenRequests.length, 2, 'one token for pull,push (attach), one for pull (list)');
    assert.ok(tokenRequests.every((q) => q.authorization === `Basic ${basic(USER, PASSWORD)}`));
    assert.ok(masked.includes(PASSWORD), 'the login is handed to maskSecret');
    assert.ok(masked.includes(r.issuedTokens[0] ?? 'none'), 'so are tokens');
    const calls = (await readFile(helperLog, 'utf8')).trim().split('\n');
    assert.ok(
      calls.every((c) => c === `get ${r.host}`),
      calls.join('; '),
    );
  });

  it('uses the credsStore helper as the default, and an identity token through the refresh flow', async () => {
    const r = await start({
      auth: { scheme: 'bearer', username: USER, password: PASSWORD, identityToken: 'refresh-me' },
    });
    await pushAsAdmin(r, 'store/app');
    const viaStore = await registryClient({
      dockerConfig: await dockerConfigDir({ credsStore: 'test' }),
      env: helperEnv(),
    });
    assert.match(await viaStore.resolveDigest(`${r.host}/store/app:v1`), /^sha256:/);
    const viaIdentity = await registryClient({
      dockerConfig: await dockerConfigDir({ auths: { [r.host]: { identitytoken: 'refresh-me' } } }),
    });
    assert.match(await viaIdentity.resolveDigest(`${r.host}/store/app:v1`), /^sha256:/);
    assert.ok(r.requests.some((q) => q.method === 'POST' && q.path === '/token'));
  });

  it('sends no Authorization across a redirect to another origin', async () => {
    const blobs = new Map<string, Buffer>();
    const seen: (string | undefined)[] = [];
    const store: LoopbackServer = await serve((req, _body, res) => {
      seen.push(req.headers.authorization);
      const blob = blobs.get(req.url?.slice(1) ?? '');
      res.writeHead(blob ? 200 : 404).end(blob);
    });
    try {
      // localhost and 127.0.0.1 are different origins to fetch.
      const r = await start({
        auth: { scheme: 'basic', username: USER, password: PASSWORD },
        redirectBlobsTo: `http://localhost:${store.port}/`,
      });
      await pushAsAdmin(r, 'redirect/app');
      const client = await registryClient({
        dockerConfig: await dockerConfigDir({ auths: { [r.host]: { username: USER, password: PASSWORD } } }),
      });
      const bundle = fakeBundle('redirected');
      await client.attachBundle(`${r.host}/redirect/app:v1`, bundle, PREDICATE, trustCopies);
      const bytes = Buffer.from(JSON.stringify(bundle));
      blobs.set(sha256(bytes), bytes);
      assert.deepEqual(
        (await client.listBundles(`${r.host}/redirect/app:v1`)).map((x) => x.json),
        [bundle],
      );
      assert.deepEqual(seen, [undefined]);
    } finally {
      await store.stop();
    }
  });

  it('refuses a wrong password in one line naming registry, request and status', async () => {
    const r = await start({ auth: { scheme: 'basic', username: USER, password: PASSWORD } });
    const client = await registryClient({
      dockerConfig: await dockerConfigDir({ auths: { [r.host]: { username: USER, password: 'wrong' } } }),
    });
    await assert.rejects(
      client.listBundles(`${r.host}/basic/app:v1`),
      failsWith(
        'REGISTRY_AUTH_FAILED',
        new RegExp(`^registry ${r.host} failed: HEAD /v2/basic/app/manifests/v1 answered HTTP 401$`),
        ['wrong'],
      ),
    );
  });

  it('tells an anonymous user to log in when the token service refuses', async () => {
    const r = await start({ auth: { scheme: 'bearer', username: USER, password: PASSWORD } });
    const dockerConfig = await dockerConfigDir();
    const client = await registryClient({ dockerConfig });
    await assert.rejects(
      client.attachBundle(`${r.host}/anon/app:v1`, fakeBundle('anon'), PREDICATE, trustCopies),
      (e: unknown) => {
        failsWith(
          'REGISTRY_AUTH_FAILED',
          new RegExp(
            `^token service ${r.host} of registry ${r.host} failed: GET http://${r.host}/token answered HTTP 401$`,
          ),
        )(e);
        assert.match(
          (e as ProvenanceError).hint,
          new RegExp(
            `^Log in to ${r.host} before this step .*push to anon/app; no login was found in ${dockerConfig}/config.json$`,
          ),
        );
        return true;
      },
    );
  });

  it('refuses a token service on plain http off this machine', async () => {
    const r = await start({
      auth: { scheme: 'bearer', username: USER, password: PASSWORD },
      realm: 'http://auth.example.com/token',
    });
    const client = await registryClient({
      dockerConfig: await dockerConfigDir({ auths: { [r.host]: { username: USER, password: PASSWORD } } }),
    });
    await assert.rejects(
      client.resolveDigest(`${r.host}/x/app:v1`),
      failsWith(
        'REGISTRY_FAILED',
        /^registry .* sent us to http:\/\/auth\.example\.com\/token for its token service, which is not https$/,
      ),
    );
  });

  it('names a credential helper that fails', async () => {
    const r = await start({ auth: { scheme: 'basic', username: USER, password: PASSWORD } });
    const dockerConfig = await dockerConfigDir({ credHelpers: { [r.host]: 'missing' } });
    const client = await registryClient({ dockerConfig });
    await assert.rejects(
      client.resolveDigest(`${r.host}/x/app:v1`),
      failsWith(
        'REGISTRY_AUTH_FAILED',
        new RegExp(
          `^credential helper docker-credential-missing \\(from ${dockerConfig}/config.json\\) is not on PATH for ${r.host}$`,
        ),
      ),
    );
  });
});

describe('faults', () => {
  it('retries 503 twice, then succeeds', async () => {
    const r = await start();
    const image = await pushTestImage(r.url, 'flaky/app', 'v1');
    const client = await registryClient();
    r.faults.push(503, 503);
    const before = r.requests.length;
    assert.equal(await client.resolveDigest(`${r.host}/flaky/app:v1`), image.digest);
    assert.equal(r.requests.length - before, 3);
  });

  it('retries a reset connection and a 429 during an attach', async () => {
    const r = await start();
    await pushTestImage(r.url, 'flaky/app', 'v1');
    const client = await registryClient();
    r.faults.push('reset', 429);
    assert.equal(
      (await client.attachBundle(`${r.host}/flaky/app:v1`, fakeBundle('flaky'), PREDICATE, trustCopies)).via,
      'referrers-api',
    );
  });

  it('an upload whose answer was lost is found, not failed: the retried PUT meets 404 upload-unknown', async () => {
    // Learn where the first blob PUT falls in an attach, on a registry of its own.
    const probe = await start();
    await pushTestImage(probe.url, 'lost/app', 'v1');
    const from = probe.requests.length;
    await (
      await registryClient()
    ).attachBundle(`${probe.host}/lost/app:v1`, fakeBundle('lost'), PREDICATE, trustCopies);
    const putAt = probe.requests.slice(from).findIndex((q) => q.method === 'PUT' && q.path.includes('/blobs/uploads/'));
    assert.ok(putAt >= 0);
    await probe.stop();

    const r = await start();
    await pushTestImage(r.url, 'lost/app', 'v1');
    const before = r.requests.length;
    // Every request before that PUT is served as usual (after a short delay); the PUT lands, its answer is dropped.
    r.faults.push(...Array<'slow'>(putAt).fill('slow'), 'lost-response');
    assert.equal(
      (await (await registryClient()).attachBundle(`${r.host}/lost/app:v1`, fakeBundle('lost'), PREDICATE, trustCopies))
        .via,
      'referrers-api',
    );
    const puts = r.requests.slice(before).filter((q) => q.method === 'PUT' && q.path.includes('/blobs/uploads/'));
    assert.ok(puts.length >= 2, 'the lost PUT was retried');
  });

  it('gives up on a 503 that stays, naming registry, request and status', async () => {
    const r = await start();
    const client = await registryClient();
    r.faults.push(...Array<number>(FAST_RETRY.attempts).fill(503));
    await assert.rejects(
      client.listBundles(`${r.host}/down/app:v1`),
      failsWith(
        'REGISTRY_FAILED',
        new RegExp(`^registry ${r.host} failed: HEAD /v2/down/app/manifests/v1 answered HTTP 503$`),
      ),
    );
    assert.equal(r.requests.length, FAST_RETRY.attempts);
  });

  it('names a registry that refuses connections, after the retries', async () => {
    const r = await start();
    const host = r.host;
    await r.stop();
    const client = await registryClient();
    await assert.rejects(
      client.resolveDigest(`${host}/x/app:v1`),
      failsWith(
        'REGISTRY_FAILED',
        new RegExp(`^registry ${host} failed: HEAD /v2/x/app/manifests/v1 answered ECONNREFUSED$`),
      ),
    );
  });

  it('does not retry a 404, and says so in one line', async () => {
    const r = await start();
    await pushTestImage(r.url, 'gone/app', 'v1');
    const client = await registryClient();
    r.faults.push(404);
    const before = r.requests.length;
    await assert.rejects(
      client.attachBundle(`${r.host}/gone/app:v1`, fakeBundle('gone'), PREDICATE, trustCopies),
      (e: unknown) => {
        failsWith(
          'REGISTRY_FAILED',
          new RegExp(`^registry ${r.host} failed: HEAD /v2/gone/app/manifests/v1 answered HTTP 404$`),
        )(e);
        assert.match((e as ProvenanceError).toLine(), /Push the image first.*\[REGISTRY_FAILED\]$/);
        return true;
      },
    );
    assert.equal(r.requests.length - before, 1);
  });

  it('stops reading an index over 4 MiB, and does not download a layer declared over 64 MiB', async () => {
    const r = await start({ referrersApi: false });
    const big = await pushTestImage(r.url, 'big/app', 'big');
    const huge = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [],
      padding: 'x'.repeat(MAX_MANIFEST_BYTES),
    };
    await putManifest(r.url, 'big/app', big.digest.replace(':', '-'), huge, 'application/vnd.oci.image.index.v1+json');
    const client = await registryClient();
    await assert.rejects(
      client.listBundles(`${r.host}/big/app:big`),
      failsWith(
        'REGISTRY_CONTENT_INVALID',
        new RegExp(
          `^registry ${r.host}: GET /v2/big/app/manifests/sha256-[a-f0-9]{64} answered more than ${MAX_MANIFEST_BYTES} bytes$`,
        ),
      ),
    );

    const image = await pushTestImage(r.url, 'big/app', 'v1');
    const empty = await pushBlob(r.url, 'big/app', Buffer.from('{}'));
    const layer = await pushBlob(r.url, 'big/app', Buffer.from('{}'));
    const referrer = await putManifest(r.url, 'big/app', 'referrer', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty.digest, size: empty.size },
      layers: [
        {
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          digest: layer.digest,
          size: MAX_BUNDLE_BYTES + 1,
        },
      ],
      subject: image,
    });
    const entry = { ...referrer, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' };
    await putManifest(
      r.url,
      'big/app',
      image.digest.replace(':', '-'),
      { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [entry] },
      'application/vnd.oci.image.index.v1+json',
    );
    const blobGets = (): number => r.requests.filter((q) => q.method === 'GET' && q.path.includes('/blobs/')).length;
    const before = blobGets();
    assert.deepEqual(await client.listBundles(`${r.host}/big/app:v1`), [
      {
        source: `${r.host}/big/app@${image.digest}(referrer ${referrer.digest})`,
        json: undefined,
        problem: `layer ${layer.digest} is ${MAX_BUNDLE_BYTES + 1} bytes, more than ${MAX_BUNDLE_BYTES}`,
      },
    ]);
    assert.equal(blobGets(), before);
  });
});

// Seeds an image the way an admin would, past the registry's login.
async function pushAsAdmin(r: ReferrersRegistry, repository: string): Promise<void> {
  await pushTestImage({ url: r.url, headers: r.adminHeaders }, repository, 'v1');
}
