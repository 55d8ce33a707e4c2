// Fuzzing what remote services answer: an OCI registry (manifests, indexes, referrers pages, blobs,
// challenges, token responses, redirects, upload locations) and the GitHub API (releases, asset
// lists, attestation listings, snappy-compressed bundles, error bodies, rate-limit headers). fetch is
// replaced by a stand-in that answers from a generated scenario, so every run is a few microseconds
// of I/O: the registry's content is generated consistently (digests match the mutated bytes, so the
// parsers behind the digest checks are reached), then its statuses and headers are bent.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ProvenanceError } from '../../src/common/errors.ts';
import { createGitHubService } from '../../src/github/index.ts';
import { gitHubMessage } from '../../src/github/failure.ts';
import { MAX_BUNDLE_DEPTH } from '../../src/github/limits.ts';
import { snappyDecompress, SnappyError } from '../../src/github/snappy.ts';
import type { RetryPolicy } from '../../src/http/retry.ts';
import { parseChallenge } from '../../src/registry/challenge.ts';
import type { CredentialStore, RegistryCredentials } from '../../src/registry/credentials.ts';
import { createBundleRegistry } from '../../src/registry/index.ts';
import {
  DSSE_ENVELOPE,
  OCI_EMPTY,
  OCI_INDEX,
  OCI_MANIFEST,
  SIGSTORE_BUNDLE_ARTIFACT,
} from '../../src/registry/media-types.ts';
import { parseDescriptor, parseImageManifest, parseIndexEntries } from '../../src/registry/oci.ts';
import { nextPage } from '../../src/registry/repository.ts';
import { claimedStatement, parseBundleText } from '../../src/verify/sources/bundle-text.ts';
import { caseBundle } from '../verify/crypto/corpus.ts';
import { dsseBundle } from '../github/helpers.ts';
import { anyJson, deepJSON, fuzz, fuzzAsync, mutated, nastyString, PROTOTYPE_KEYS } from './harness.ts';
import { trustCopies } from '../../testkit/copies.ts';

const QUICK: RetryPolicy = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 };
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

// Header values a real server could send (HTTP field values are Latin-1, no CR/LF/NUL).
const headerChar = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 8 },
  { arbitrary: fc.constantFrom('\t', '"', '<', '>', ';', ',', '=', '\\', '\u00e9', '\u00ff'), weight: 3 },
);
const headerValue = fc.string({ unit: headerChar, maxLength: 60 });

interface Served {
  status: number;
  headers?: Record<string, string | undefined>;
  body?: Uint8Array | string;
}
type Route = (url: URL, method: string, headers: Headers) => Served;

let route: Route = () => ({ status: 404 });
let original: typeof fetch;
before(() => {
  original = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const served = route(url, method, new Headers(init?.headers));
    const headers = new Headers();
    for (const [k, v] of Object.entries(served.headers ?? {})) if (v !== undefined) headers.set(k, v);
    const nullBody = method === 'HEAD' || served.status === 204 || served.body === undefined;
    const body = nullBody
      ? null
      : typeof served.body === 'string'
        ? served.body
        : Buffer.from(served.body ?? new Uint8Array());
    return Promise.resolve(new Response(body, { status: served.status, headers }));
  };
});
after(() => {
  globalThis.fetch = original;
});

// ---- an OCI registry ----

const REGISTRY = '127.0.0.1:5000';
const LAYER = '@LAYER@';
const IMAGE = '@IMAGE@';
const REFERRER = '@REFERRER@';
const SIZES = { layer: 987654321, image: 987654323, referrer: 987654322 };
const PREDICATE = 'https://slsa.dev/provenance/v1';

const imageManifest = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'d'.repeat(64)}`, size: 10 }],
};
const referrerManifest = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  artifactType: SIGSTORE_BUNDLE_ARTIFACT,
  config: { mediaType: OCI_EMPTY, digest: sha256(Buffer.from('{}')), size: 2 },
  layers: [{ mediaType: SIGSTORE_BUNDLE_ARTIFACT, digest: LAYER, size: SIZES.layer }],
  subject: { mediaType: OCI_MANIFEST, digest: IMAGE, size: SIZES.image },
  annotations: { 'dev.sigstore.bundle.predicateType': PREDICATE, 'dev.sigstore.bundle.content': 'dsse-envelope' },
};
const referrersIndex = {
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    {
      mediaType: OCI_MANIFEST,
      digest: REFERRER,
      size: SIZES.referrer,
      artifactType: SIGSTORE_BUNDLE_ARTIFACT,
      annotations: { 'dev.sigstore.bundle.predicateType': PREDICATE },
    },
  ],
};
const cosignManifest = { ...imageManifest, layers: [{ mediaType: DSSE_ENVELOPE, digest: LAYER, size: SIZES.layer }] };
const happyBundle = caseBundle('happy-path-v0.3');

const wired = (value: unknown, parts: { layer?: Uint8Array; image?: Uint8Array; referrer?: Uint8Array }): Buffer => {
  let text = JSON.stringify(value) ?? 'null';
  const wire = (sentinel: string, size: number, bytes: Uint8Array | undefined): void => {
    if (bytes === undefined) return;
    text = text
      .replaceAll(`"${sentinel}"`, JSON.stringify(sha256(bytes)))
      .replaceAll(String(size), String(bytes.byteLength));
  };
  wire(LAYER, SIZES.layer, parts.layer);
  wire(IMAGE, SIZES.image, parts.image);
  wire(REFERRER, SIZES.referrer, parts.referrer);
  return Buffer.from(text);
};

const registryScenario = fc.record({
  layer: fc.oneof(
    mutated([happyBundle]).map((b) => Buffer.from(JSON.stringify(b) ?? '')),
    fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.from(deepJSON(200))),
  ),
  image: fc.oneof(
    { arbitrary: fc.constant<unknown>(imageManifest), weight: 2 },
    { arbitrary: mutated([imageManifest]), weight: 3 },
    { arbitrary: anyJson, weight: 1 },
  ),
  referrer: fc.oneof(
    { arbitrary: fc.constant<unknown>(referrerManifest), weight: 2 },
    { arbitrary: mutated([referrerManifest]), weight: 4 },
    { arbitrary: anyJson, weight: 1 },
  ),
  index: fc.oneof(
    { arbitrary: fc.constant<unknown>(referrersIndex), weight: 2 },
    { arbitrary: mutated([referrersIndex]), weight: 4 },
    { arbitrary: anyJson, weight: 1 },
  ),
  cosign: fc.oneof(
    { arbitrary: fc.constant<unknown>(cosignManifest), weight: 1 },
    { arbitrary: mutated([cosignManifest]), weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 2 },
  ),
  headStatus: fc.constantFrom(200, 200, 200, 404, 401, 500, 302),
  headDigest: fc.constantFrom('right', 'right', 'wrong', 'none'),
  contentLength: fc.option(fc.constantFrom('0', '-1', 'abc', '99999999999', '1e3', '5')),
  contentType: fc.option(fc.oneof(fc.constantFrom(OCI_MANIFEST, `${OCI_INDEX}; charset=utf-8`, ';', ''), headerValue)),
  referrersStatus: fc.constantFrom(200, 200, 404, 500, 400),
  link: fc.option(
    fc.oneof(
      fc.constantFrom(
        '<http://[>; rel="next"',
        '</v2/app/referrers/x?last=1>; rel="next"',
        '<https://evil.example/x>; rel=next',
        '<>; rel="next"',
        '<//[::1>; rel="next"',
      ),
      headerValue,
    ),
  ),
  location: fc.oneof(
    fc.constantFrom(
      'http://[',
      '/v2/app/blobs/uploads/1',
      'https://other.example/u',
      'http://evil.example/u',
      '',
      '//x',
      'http://127.0.0.1:5000/v2/app/manifests/v1',
    ),
    headerValue,
  ),
  redirect: fc.boolean(),
  challenge: fc.option(
    fc.oneof(
      fc.constantFrom(
        'Bearer realm="http://127.0.0.1:5000/token",service="reg",scope="repository:app:pull"',
        'Basic realm="x"',
        'Bearer realm="http://[/"',
        'Bearer',
        'Negotiate',
        'Bearer realm="http://evil.example/token"',
        'bearer realm=http://127.0.0.1:5000/token, Basic',
      ),
      headerValue,
    ),
  ),
  tokenBody: fc.oneof(
    fc.constantFrom(
      '{"token":"t","expires_in":300}',
      '{"access_token":"t"}',
      '{}',
      'null',
      '[',
      '{"token":1}',
      '{"token":"t","expires_in":1e308}',
      '{"token":"t","expires_in":-1}',
    ),
    anyJson.map((v) => JSON.stringify(v) ?? ''),
  ),
  errorBody: fc.oneof(
    fc.constantFrom('{"errors":[{"code":"DENIED","message":"no"}]}', '{"errors":[null]}', '{"errors":{}}', 'null', ''),
    nastyString(),
  ),
  retryAfter: fc.option(fc.constantFrom('0', '1', 'abc', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT')),
  blobExists: fc.boolean(),
  ociSubject: fc.boolean(),
  credentials: fc.constantFrom<RegistryCredentials | undefined>(
    undefined,
    { username: 'u', password: 'p', identityToken: undefined, source: 'test' },
    { username: '', password: '', identityToken: 'refresh', source: 'test' },
  ),
});
type RegistryScenario = typeof registryScenario extends fc.Arbitrary<infer T> ? T : never;

function registryRoute(s: RegistryScenario): Route {
  const layer = s.layer;
  const image = wired(s.image, {});
  const referrer = wired(s.referrer, { layer, image });
  const index = wired(s.index, { referrer });
  const cosign = s.cosign === undefined ? undefined : wired(s.cosign, { layer });
  const json = (body: Uint8Array, extra: Record<string, string | undefined> = {}): Served => ({
    status: 200,
    headers: {
      'content-type': s.contentType ?? OCI_MANIFEST,
      'content-length': s.contentLength ?? String(body.byteLength),
      ...extra,
    },
    body,
  });
  const error = (status: number): Served => ({
    status,
    headers: { 'content-type': 'application/json', 'retry-after': s.retryAfter ?? undefined },
    body: s.errorBody,
  });
  return (url, method, headers) => {
    if (url.pathname === '/token')
      return { status: 200, headers: { 'content-type': 'application/json' }, body: s.tokenBody };
    if (s.challenge !== null && !headers.has('authorization'))
      return { status: 401, headers: { 'www-authenticate': s.challenge }, body: s.errorBody };
    const path = url.pathname;
    const manifest = /^\/v2\/app\/manifests\/(.+)$/.exec(path)?.[1];
    if (manifest !== undefined) {
      if (method === 'PUT')
        return { status: 201, headers: { 'oci-subject': s.ociSubject ? sha256(image) : undefined } };
      if (s.redirect && !url.searchParams.has('hop')) return { status: 302, headers: { location: s.location } };
      if (manifest === 'v1' || manifest === sha256(image)) {
        if (method === 'HEAD') {
          if (s.headStatus !== 200)
            return s.headStatus === 302 ? { status: 302, headers: { location: s.location } } : error(s.headStatus);
          const digest =
            s.headDigest === 'right' ? sha256(image) : s.headDigest === 'wrong' ? sha256(Buffer.from('x')) : undefined;
          return {
            status: 200,
            headers: {
              'docker-content-digest': digest,
              'content-type': s.contentType ?? OCI_MANIFEST,
              'content-length': s.contentLength ?? String(image.byteLength),
            },
          };
        }
        return json(image);
      }
      if (manifest === sha256(referrer)) return json(referrer);
      if (/^sha256-[0-9a-f]{64}$/.test(manifest)) return json(index);
      if (/^sha256-[0-9a-f]{64}\.att$/.test(manifest)) return cosign === undefined ? error(404) : json(cosign);
      return error(404);
    }
    if (/^\/v2\/app\/referrers\//.test(path))
      return s.referrersStatus === 200 ? json(index, { link: s.link ?? undefined }) : error(s.referrersStatus);
    if (path === '/v2/app/blobs/uploads/' && method === 'POST')
      return { status: 202, headers: { location: s.location } };
    const blob = /^\/v2\/app\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path)?.[1];
    if (blob !== undefined) {
      if (method === 'HEAD') return { status: s.blobExists ? 200 : 404 };
      return blob === sha256(layer)
        ? { status: 200, headers: { 'content-length': s.contentLength ?? String(layer.byteLength) }, body: layer }
        : error(404);
    }
    if (method === 'PUT') return { status: 201 };
    return error(404);
  };
}

// ---- the GitHub API ----

const API = 'https://api.github.com';
const HEX = 'e'.repeat(64);

/** Snappy with literals only: a valid stream any decoder must accept. */
function snappy(data: Uint8Array): Buffer {
  const out: number[] = [];
  let n = data.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  for (let i = 0; i < data.length; i += 60) {
    const chunk = data.subarray(i, i + 60);
    out.push((chunk.length - 1) << 2, ...chunk);
  }
  return Buffer.from(out);
}

const asset = (id: number, name: string): Record<string, unknown> => ({
  id,
  name,
  size: 100,
  state: 'uploaded',
  url: `${API}/repos/o/r/releases/assets/${id}`,
  browser_download_url: `https://github.com/o/r/releases/download/v1/${name}`,
  digest: `sha256:${'f'.repeat(64)}`,
});
const release = {
  id: 1,
  tag_name: 'v1',
  upload_url: 'https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}',
};
const bundleText = JSON.stringify(dsseBundle(HEX, 'seed'));
const listing = {
  attestations: [
    { id: 3, bundle: dsseBundle(HEX, 'seed'), repository_id: 1 },
    { bundle_url: 'https://storage.example/b1' },
  ],
};

const githubScenario = fc.record({
  releaseStatus: fc.constantFrom(200, 200, 200, 404, 403, 500),
  release: fc.oneof(
    { arbitrary: mutated([release]), weight: 3 },
    { arbitrary: fc.constantFrom<unknown>(null, [], 'x', 1), weight: 1 },
    { arbitrary: anyJson, weight: 1 },
  ),
  assets: fc.oneof(
    { arbitrary: mutated([[asset(10, 'app.sigstore.json'), asset(11, 'b.intoto.jsonl')]]), weight: 4 },
    { arbitrary: anyJson, weight: 1 },
  ),
  assetsLink: fc.option(
    fc.oneof(
      fc.constantFrom(
        `<${API}/repos/o/r/releases/1/assets?page=2>; rel="next"`,
        '<https://evil.example/x>; rel="next"',
        '<http://[>; rel="next"',
        '<>; rel=next',
      ),
      headerValue,
    ),
  ),
  assetBody: fc.oneof(
    fc.constant(bundleText),
    mutated([JSON.parse(bundleText) as unknown]).map((v) => JSON.stringify(v) ?? ''),
    nastyString(100),
  ),
  listingStatus: fc.constantFrom(200, 200, 200, 404, 403, 500),
  listing: fc.oneof({ arbitrary: mutated([listing]), weight: 4 }, { arbitrary: anyJson, weight: 1 }),
  stored: fc.oneof(
    fc.constant(snappy(Buffer.from(bundleText))),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
      const s = snappy(Buffer.from(bundleText));
      s[at % s.length] = byte;
      return s;
    }),
    fc.constant(Buffer.from(`  ${bundleText}`)),
    fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b)),
  ),
  postStatus: fc.constantFrom(201, 201, 403, 404, 422, 500, 429),
  postBody: fc.oneof(
    mutated([{ id: 5 }]).map((v) => JSON.stringify(v) ?? ''),
    fc.constantFrom('null', '[]', '', '{"message":"x","errors":[{"code":"already_exists"}]}'),
  ),
  uploadStatus: fc.constantFrom(201, 201, 422, 500),
  uploadBody: fc.oneof(
    mutated([asset(12, 'app.sigstore.json')]).map((v) => JSON.stringify(v) ?? ''),
    fc.constantFrom('null', '{"errors":[{"code":"already_exists"}]}'),
  ),
  errorBody: fc.oneof(
    fc.constantFrom('{"message":"Not Found"}', '{"message":1,"errors":"x"}', 'null'),
    nastyString(40),
  ),
  rateLimit: fc.option(
    fc.record({
      'retry-after': fc.option(fc.constantFrom('0', '1', 'x', '-1', '1e9', 'Wed, 21 Oct 2015 07:28:00 GMT')),
      'x-ratelimit-remaining': fc.option(fc.constantFrom('0', '1')),
      'x-ratelimit-reset': fc.option(fc.constantFrom('0', '1', 'x', '99999999999')),
    }),
  ),
  replace: fc.boolean(),
});
type GitHubScenario = typeof githubScenario extends fc.Arbitrary<infer T> ? T : never;

function githubRoute(s: GitHubScenario): Route {
  const text = (status: number, body: string, extra: Record<string, string | undefined> = {}): Served => ({
    status,
    headers: { 'content-type': 'application/json', ...extra },
    body,
  });
  const refused = (status: number): Served => {
    const limits =
      s.rateLimit === null ? {} : Object.fromEntries(Object.entries(s.rateLimit).map(([k, v]) => [k, v ?? undefined]));
    return text(status, s.errorBody, limits);
  };
  return (url, method) => {
    const path = url.pathname;
    if (url.hostname === 'storage.example') return { status: 200, body: s.stored };
    if (url.hostname === 'uploads.github.com')
      return s.uploadStatus === 201
        ? text(201, s.uploadBody)
        : s.uploadStatus === 422
          ? text(422, '{"errors":[{"code":"already_exists"}]}')
          : refused(s.uploadStatus);
    if (path === '/repos/o/r/releases/tags/v1')
      return s.releaseStatus === 200 ? text(200, JSON.stringify(s.release) ?? '') : refused(s.releaseStatus);
    if (path === '/repos/o/r/releases/1/assets')
      return text(200, JSON.stringify(s.assets) ?? '', {
        link: url.searchParams.get('page') === '2' ? undefined : (s.assetsLink ?? undefined),
      });
    if (/^\/repos\/o\/r\/releases\/assets\/\d+$/.test(path))
      return method === 'DELETE' ? { status: 204 } : { status: 200, body: s.assetBody };
    if (path === `/repos/o/r/attestations/sha256%3A${HEX}`)
      return s.listingStatus === 200 ? text(200, JSON.stringify(s.listing) ?? '') : refused(s.listingStatus);
    if (path === '/repos/o/r/attestations' && method === 'POST')
      return s.postStatus === 201 ? text(201, s.postBody) : refused(s.postStatus);
    return refused(404);
  };
}

/** What verify mode does with bundle texts from any source. */
function readTexts(texts: readonly { source: string; text: string }[]): void {
  for (const t of texts) for (const loaded of parseBundleText(t.text, t.source)) claimedStatement(loaded.json);
}

/** Runs every step; each may refuse on its own (caught by the harness only if it is not ours). */
async function each(steps: (() => Promise<unknown>)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      if (!(err instanceof ProvenanceError)) throw err;
    }
  }
}

void describe('fuzz: registry answers', () => {
  void it('listBundles, resolveDigest and attachBundle against a generated registry', async () => {
    await fuzzAsync(
      'registry (oci.ts, repository.ts, list.ts, cosign-att.ts, fallback-index.ts, challenge.ts, token.ts)',
      registryScenario,
      async (s) => {
        route = registryRoute(s);
        const credentials: CredentialStore = { location: 'test', forRegistry: () => Promise.resolve(s.credentials) };
        const registry = createBundleRegistry({ credentials, retry: QUICK, fallback: { settleMinMs: 0, rounds: 1 } });
        await each([
          async () => {
            const found = await registry.listBundles(`${REGISTRY}/app:v1`);
            for (const b of found) claimedStatement(b.json);
          },
          () => registry.resolveDigest(`${REGISTRY}/app:v1`),
          () =>
            registry.attachBundle(`${REGISTRY}/app:v1`, happyBundle as { mediaType: string }, PREDICATE, trustCopies),
        ]);
      },
      { seed: 7301, numRuns: 300 },
    );
  });

  void it('parseDescriptor, parseImageManifest, parseIndexEntries, parseChallenge, nextPage: arbitrary values', () => {
    const value = fc.oneof(mutated([imageManifest, referrerManifest, referrersIndex, cosignManifest]), anyJson);
    fuzz(
      'oci.ts parsers',
      value,
      (v) => {
        // Annotation names are the registry's: one named like a prototype member is data or absent, never a function.
        const annotations = [
          parseDescriptor(v)?.annotations,
          parseImageManifest(v)?.annotations,
          ...(parseIndexEntries(v) ?? []).map((d) => d.annotations),
        ];
        for (const record of annotations) {
          for (const key of PROTOTYPE_KEYS as readonly string[]) {
            const found = record?.[key];
            if (found !== undefined && typeof found !== 'string')
              throw new Error(`annotations.${key} reads as a ${typeof found}`);
          }
        }
      },
      { seed: 7302, numRuns: 1500 },
    );
    fuzz(
      'parseChallenge and nextPage',
      fc.oneof(headerValue, nastyString(80)),
      (h) => {
        parseChallenge(h);
        nextPage(h, new URL(`http://${REGISTRY}`));
      },
      { seed: 7303, numRuns: 2000 },
    );
  });

  void it('regression: a next-page Link or an upload Location that is not a URL is a ProvenanceError, not a TypeError', async () => {
    assert.equal(nextPage('<http://[>; rel="next"', new URL(`http://${REGISTRY}`)), null);
    const base = {
      layer: Buffer.from(JSON.stringify(happyBundle)),
      image: imageManifest,
      referrer: referrerManifest,
      index: referrersIndex,
      cosign: undefined,
      headStatus: 200,
      headDigest: 'right',
      contentLength: null,
      contentType: null,
      referrersStatus: 200,
      redirect: false,
      challenge: null,
      tokenBody: '{}',
      errorBody: '',
      retryAfter: null,
      blobExists: false,
      ociSubject: true,
      credentials: undefined,
    } as const;
    route = registryRoute({ ...base, link: '<http://[>; rel="next"', location: '/v2/app/blobs/uploads/1' });
    const registry = createBundleRegistry({
      credentials: { location: 'test', forRegistry: () => Promise.resolve(undefined) },
      retry: QUICK,
    });
    await assert.rejects(
      registry.listBundles(`${REGISTRY}/app:v1`),
      (err: unknown) => err instanceof ProvenanceError && /Link header/.test(err.message),
    );
    route = registryRoute({ ...base, link: null, location: 'http://[' });
    await assert.rejects(
      registry.attachBundle(
        `${REGISTRY}/app:v1`,
        { mediaType: SIGSTORE_BUNDLE_ARTIFACT, other: 1 } as { mediaType: string },
        PREDICATE,
        trustCopies,
      ),
      (err: unknown) => err instanceof ProvenanceError && /Location that is not a URL/.test(err.message),
    );
  });

  // Regression: the Link parser scanned from every "<" to the end of the header ([^>]+), so 200,000
  // "<" took over a minute; HTTP clients cap header sizes, but the parser must not rely on it. (GitHub's
  // Link headers are read by octokit's paginate plugin, whose pattern, <([^<>]+)>, cannot backtrack so.)
  void it('regression: a pathological WWW-Authenticate or Link header is read in linear time', () => {
    const cases: [string, () => unknown][] = [
      ['challenge params', () => parseChallenge(`Bearer ${'a=,'.repeat(200_000)}`)],
      ['challenge quotes', () => parseChallenge(`Bearer realm="${'\\"'.repeat(200_000)}`)],
      ['registry Link <<<', () => nextPage(`<${'<'.repeat(200_000)}`, new URL(`http://${REGISTRY}`))],
    ];
    for (const [name, run] of cases) {
      const started = performance.now();
      run();
      const ms = performance.now() - started;
      assert.ok(ms < 2_000, `${name}: ${ms.toFixed(0)} ms (linear is ~100 ms; the quadratic scan took over a minute)`);
    }
  });
});

void describe('fuzz: GitHub API answers', () => {
  void it('listReleaseBundles, listAttestations, postAttestation and publishReleaseAssets against generated answers', async () => {
    const github = createGitHubService({
      apiUrl: API,
      serverUrl: 'https://github.com',
      token: 'ghs_fuzzfuzzfuzz',
      retry: QUICK,
      writeIntervalMs: 0,
    });
    await fuzzAsync(
      'GitHub API (releases.ts, release-assets.ts, attestation-reads.ts, attestations.ts, client.ts, octokit.ts, transport.ts, failure.ts)',
      githubScenario,
      async (s) => {
        route = githubRoute(s);
        await each([
          async () => readTexts(await github.listReleaseBundles('o/r', 'v1')),
          async () => readTexts(await github.listAttestations('o/r', `sha256:${HEX}`)),
          () => github.postAttestation('o/r', dsseBundle(HEX, 'seed'), { mode: 'auto', isOurCopy: trustCopies }),
          () =>
            github.publishReleaseAssets(
              'o/r',
              'v1',
              [{ name: 'app.sigstore.json', content: Buffer.from(bundleText), contentType: 'application/json' }],
              { replace: s.replace, isOurCopy: trustCopies },
            ),
        ]);
      },
      { seed: 7304, numRuns: 300 },
    );
  });

  void it('regression: a release or created attestation answered as JSON null is a ProvenanceError, not a TypeError', async () => {
    const github = createGitHubService({
      apiUrl: API,
      serverUrl: 'https://github.com',
      token: 'ghs_fuzzfuzzfuzz',
      retry: QUICK,
      writeIntervalMs: 0,
    });
    route = (url) =>
      url.pathname === '/repos/o/r/releases/tags/v1' ? { status: 200, body: 'null' } : { status: 404, body: '{}' };
    await assert.rejects(
      github.listReleaseBundles('o/r', 'v1'),
      (err: unknown) => err instanceof ProvenanceError && /without id or upload_url/.test(err.message),
    );
    route = (url, method) =>
      url.pathname === '/repos/o/r/attestations' && method === 'POST'
        ? { status: 201, body: 'null' }
        : { status: 404, body: '{}' };
    await assert.rejects(
      github.postAttestation('o/r', dsseBundle(HEX, 'seed'), { mode: 'true', isOurCopy: trustCopies }),
      (err: unknown) => err instanceof ProvenanceError && /without an attestation id/.test(err.message),
    );
  });

  void it(`regression: an inline bundle nested deeper than ${MAX_BUNDLE_DEPTH} levels is refused, not a RangeError from JSON.stringify`, async () => {
    const github = createGitHubService({
      apiUrl: API,
      serverUrl: 'https://github.com',
      token: 'ghs_fuzzfuzzfuzz',
      retry: QUICK,
      writeIntervalMs: 0,
    });
    const deep = `{"attestations":[{"bundle":{"a":${deepJSON(100_000)}}}]}`;
    route = (url) =>
      url.pathname === `/repos/o/r/attestations/sha256%3A${HEX}`
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: deep }
        : { status: 404, body: '{}' };
    await assert.rejects(
      github.listAttestations('o/r', `sha256:${HEX}`),
      (err: unknown) => err instanceof ProvenanceError && /nested deeper/.test(err.message),
    );
  });

  void it('snappyDecompress, gitHubMessage: arbitrary bytes and JSON', () => {
    const compressed = snappy(Buffer.from(bundleText));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        const b = Buffer.from(compressed);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b;
      }),
    );
    fuzz('snappyDecompress', bytes, (b) => snappyDecompress(b, 1024 * 1024), {
      seed: 7305,
      numRuns: 2000,
      allow: [SnappyError],
    });
    fuzz(
      'gitHubMessage',
      fc.oneof(mutated([{ message: 'x', errors: [{ code: 'already_exists' }] }]), nastyString(60), anyJson),
      (v) => gitHubMessage(v),
      { seed: 7306, numRuns: 1500 },
    );
  });

  void it('snappyDecompress refuses a declared length over its limit before allocating', () => {
    // Varint 0xFFFFFFFF: 4 GiB declared, in five bytes.
    const started = performance.now();
    assert.throws(
      () => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 64 * 1024 * 1024),
      (err: unknown) => err instanceof SnappyError && /declares/.test(err.message),
    );
    assert.ok(performance.now() - started < 50);
    // Copies may only fill the declared length: a stream short of it (or past it) is refused.
    const bomb = Buffer.from([
      0x80,
      0x80,
      0x04,
      0x00,
      0x61,
      ...Array.from({ length: 20 }, () => [0xfe, 0x01, 0x00]).flat(),
    ]);
    assert.throws(() => snappyDecompress(bomb, 1024 * 1024), SnappyError);
  });
});
