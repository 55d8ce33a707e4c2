// The token goes to GitHub's API host and nowhere else, whatever an answer points octokit at: a release
// asset's download redirected to storage on another host, an attestation's bundle_url there, a Link to
// a next page there. Two loopback servers on two ports are two origins: "the API" and "elsewhere",
// which records every Authorization header it is sent.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createGitHubService } from '../../src/github/index.ts';
import { dsseBundle, failure, hex, QUICK } from './helpers.ts';

const TOKEN = 'ghs_onlyForTheApi0123456789abcdef';
const BUNDLE = JSON.stringify(dsseBundle(hex('a'), 'elsewhere'));

interface Host {
  url: string;
  seen: { path: string; authorization: string | undefined }[];
  server: Server;
}

async function host(handle: (req: IncomingMessage, res: ServerResponse, self: Host) => void): Promise<Host> {
  const self: Host = { url: '', seen: [], server: createServer() };
  self.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    self.seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res, self);
  });
  await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
  self.url = `http://127.0.0.1:${(self.server.address() as AddressInfo).port}`;
  return self;
}

const json = (res: ServerResponse, value: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

describe('the token and other hosts', () => {
  let api: Host;
  let elsewhere: Host;
  let linkAway = false;
  before(async () => {
    elsewhere = await host((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(BUNDLE);
    });
    api = await host((req, res, self) => {
      const path = req.url ?? '';
      if (path === '/repos/o/r/releases/tags/v1')
        return json(res, { id: 1, upload_url: `${self.url}/uploads/repos/o/r/releases/1/assets{?name,label}` });
      if (path.startsWith('/repos/o/r/releases/1/assets')) {
        const asset = {
          id: 7,
          name: 'app.sigstore.json',
          size: BUNDLE.length,
          state: 'uploaded',
          url: `${self.url}/repos/o/r/releases/assets/7`,
        };
        return json(
          res,
          [asset],
          linkAway ? { link: `<${elsewhere.url}/repos/o/r/releases/1/assets?page=2>; rel="next"` } : {},
        );
      }
      if (path === '/repos/o/r/releases/assets/7') {
        res.writeHead(302, { location: `${elsewhere.url}/storage/7?sig=presigned` });
        return void res.end();
      }
      if (path.startsWith(`/repos/o/r/attestations/sha256%3A${hex('a')}`))
        return json(res, { attestations: [{ id: 3, bundle_url: `${elsewhere.url}/bundles/3` }] });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not Found"}');
    });
  });
  after(async () => {
    await Promise.all([api, elsewhere].map((h) => new Promise((r) => h.server.close(r))));
  });
  beforeEach(() => {
    api.seen.length = 0;
    elsewhere.seen.length = 0;
    linkAway = false;
  });
  const github = () =>
    createGitHubService({
      apiUrl: api.url,
      serverUrl: 'https://github.com',
      token: TOKEN,
      retry: QUICK,
      writeIntervalMs: 0,
    });

  it('sends it to the API, and not along a download redirected to another host', async () => {
    const bundles = await github().listReleaseBundles('o/r', 'v1');
    assert.deepEqual(
      bundles.map((b) => b.text),
      [BUNDLE],
    );
    assert.ok(
      api.seen.length >= 3 && api.seen.every((r) => r.authorization === `Bearer ${TOKEN}`),
      'every API request carries it',
    );
    assert.deepEqual(elsewhere.seen, [{ path: '/storage/7?sig=presigned', authorization: undefined }]);
  });

  it('fetches a bundle_url on another host without it', async () => {
    const bundles = await github().listAttestations('o/r', hex('a'));
    assert.deepEqual(
      bundles.map((b) => b.text),
      [BUNDLE],
    );
    assert.deepEqual(elsewhere.seen, [{ path: '/bundles/3', authorization: undefined }]);
  });

  it('refuses a next page linked to another host before sending anything there', async () => {
    linkAway = true;
    const err = await failure(() => github().listReleaseBundles('o/r', 'v1'), TOKEN);
    assert.equal(err.code, 'GITHUB_API_FAILED');
    assert.match(
      err.message,
      new RegExp(`pointed GET at ${elsewhere.url.replace(/[.]/g, '\\.')}, which is not GitHub's API or upload host`),
    );
    assert.deepEqual(elsewhere.seen, [], 'not even a request without the token');
  });
});
