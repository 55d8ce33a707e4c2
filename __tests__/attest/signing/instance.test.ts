import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GITHUB_INSTANCE,
  PUBLIC_GOOD,
  planForChoice,
  planFromSigningConfig,
} from '../../../src/attest/signing/instance.ts';

const svc = (url: string, start = '2024-01-01T00:00:00Z', extra: object = {}) => ({
  url,
  majorApiVersion: 1,
  validFor: { start },
  ...extra,
});
const config = (over: object = {}) => ({
  mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
  caUrls: [svc('https://fulcio.example')],
  rekorTlogUrls: [svc('https://rekor.example')],
  tsaUrls: [],
  rekorTlogConfig: { selector: 'ANY' },
  ...over,
});

describe('planForChoice', () => {
  it('auto follows visibility: public → public-good, private/internal → GitHub', () => {
    assert.equal(planForChoice('auto', 'public'), PUBLIC_GOOD);
    assert.equal(planForChoice('auto', 'private'), GITHUB_INSTANCE);
    assert.equal(planForChoice('auto', 'internal'), GITHUB_INSTANCE);
    assert.equal(planForChoice('github', 'public'), GITHUB_INSTANCE);
  });
  it('auto signs privately unless the visibility is exactly "public": a missing claim never picks the public log', () => {
    assert.equal(planForChoice('auto', undefined), GITHUB_INSTANCE);
    for (const other of ['', 'Public', 'PUBLIC', ' public', 'unknown'])
      assert.equal(planForChoice('auto', other), GITHUB_INSTANCE, JSON.stringify(other));
    assert.equal(planForChoice('public-good', undefined), PUBLIC_GOOD, 'an explicit choice is kept');
  });
  it('public-good logs to Rekor and links the entry; GitHub timestamps without a log', () => {
    assert.equal(PUBLIC_GOOD.searchURL?.('42'), 'https://search.sigstore.dev/?logIndex=42');
    assert.equal(GITHUB_INSTANCE.tlog, undefined);
    assert.ok(GITHUB_INSTANCE.tsaURL);
  });
});

describe('planFromSigningConfig', () => {
  it('picks the newest current service of each kind', () => {
    const plan = planFromSigningConfig(
      config({
        caUrls: [
          svc('https://old-ca'),
          svc('https://new-ca', '2025-06-01T00:00:00Z'),
          svc('https://future-ca', '2999-01-01T00:00:00Z'),
        ],
      }),
      'signing.json',
    );
    assert.equal(plan.fulcioURL, 'https://new-ca');
    assert.deepEqual(plan.tlog, { url: 'https://rekor.example', majorApiVersion: 1 });
  });
  it('skips ended services', () => {
    const plan = planFromSigningConfig(
      config({
        tsaUrls: [
          svc('https://tsa.example/api/v1/timestamp', '2024-01-01T00:00:00Z', {
            validFor: { start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00Z' },
          }),
        ],
      }),
      's.json',
    );
    assert.equal(plan.tsaURL, undefined);
  });
  const bad: [string, object, RegExp][] = [
    ['wrong media type', { mediaType: 'x' }, /mediaType/],
    ['no CA', { caUrls: [] }, /no current Fulcio/],
    ['no log and no TSA', { rekorTlogUrls: [] }, /neither a transparency log/],
    ['a URL that is not http', { caUrls: [svc('file:///etc/passwd')] }, /caUrls\[0\]\.url/],
    ['a service without a start', { caUrls: [{ url: 'https://x', majorApiVersion: 1 }] }, /validFor\.start/],
  ];
  for (const [label, over, text] of bad) {
    it(`rejects ${label}, naming the file`, () => {
      assert.throws(
        () => planFromSigningConfig(config(over), 'signing.json'),
        (e: unknown) => e instanceof Error && /signing\.json/.test(e.message) && text.test(e.message),
      );
    });
  }
});

describe('planFromSigningConfig: plain http (issue #14, item 6)', () => {
  for (const [key, url] of [
    ['caUrls', 'http://fulcio.example'],
    ['rekorTlogUrls', 'http://rekor.example'],
    ['tsaUrls', 'http://tsa.example'],
    ['caUrls', 'http://localhost.example'],
    ['caUrls', 'http://127.0.0.1.nip.io'],
  ] as const) {
    it(`refuses ${key} ${url}: the token would cross a network in cleartext`, () => {
      assert.throws(
        () => planFromSigningConfig(config({ [key]: [svc(url)] }), 'signing.json'),
        (err: Error & { code?: string }) =>
          err.code === 'SIGSTORE_CONFIG_INVALID' &&
          err.message.includes(`${key}[0].url "${url}", plain http to a host that is not loopback`),
      );
    });
  }
  it('accepts plain http on loopback, and https anywhere', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:2']) {
      assert.equal(planFromSigningConfig(config({ caUrls: [svc(url)] }), 'signing.json').fulcioURL, url);
    }
  });
});
