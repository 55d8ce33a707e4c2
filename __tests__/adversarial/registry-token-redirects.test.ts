// Issue #14, item 8, "Registry token request" — confirmed: the token request was made with fetch's
// `redirect: 'follow'`, so a token service (named by the registry's challenge) could redirect it to plain
// http on the network, and a 307 replayed an identity token's form to any other origin. Every other
// registry request checks each hop (https or loopback, login kept at home). Each test here failed on the
// old code (the first two by the request reaching the other server); the last one shows what still works.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createBundleRegistry } from '../../src/registry/index.ts';
import { fetchBearerToken } from '../../src/registry/token.ts';
import { isLoopbackHost } from '../../src/registry/endpoint.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { startReferrersRegistry } from '../../testkit/registry/referrers-registry.ts';

const RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 3000 };
const LOGIN = { username: 'octo', password: 'hunter2' };
const CREDENTIALS = { ...LOGIN, identityToken: undefined, source: 'the test' };

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A server on every interface that records what reaches it and hands out a token. */
async function listen(
  handler: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; json?: object },
  host = '0.0.0.0',
): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      const answer = handler(req, body);
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.json === undefined ? '' : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0, seen };
}

// An address that the action counts as another host (loopback to it is 127/8, localhost and ::1:
// src/registry/endpoint.ts), yet reaches the servers here, which listen on every interface: on Linux a
// connection to 0.0.0.0 lands on this machine. So the test needs no network interface and never skips;
// plain http to it stands for a host off the machine.
const networkAddress = '0.0.0.0';
assert.ok(!isLoopbackHost(networkAddress), 'the action must treat this address as another host');

let elsewhere: Awaited<ReturnType<typeof listen>>;
let tokenService: Awaited<ReturnType<typeof listen>>;
let redirectTo: (req: IncomingMessage) => { status: number; location: string } | undefined;

before(async () => {
  elsewhere = await listen(() => ({ status: 200, json: { token: 'token-from-elsewhere' } }));
  tokenService = await listen((req, body) => {
    const hop = redirectTo(req);
    if (hop !== undefined) return { status: hop.status, headers: { location: hop.location } };
    // The token service's own endpoint, reached by a redirect within its origin.
    const loggedIn = req.headers.authorization !== undefined || body.includes('refresh_token=');
    return loggedIn ? { status: 200, json: { token: 'token-from-home' } } : { status: 401, json: {} };
  }, '127.0.0.1');
});
after(() => {
  elsewhere.server.close();
  tokenService.server.close();
});

const request = (identityToken?: string) => ({
  registry: 'registry.test',
  realm: `http://127.0.0.1:${tokenService.port}/token`,
  service: 'registry.test',
  scopes: ['repository:octo/app:pull'],
  credentials:
    identityToken === undefined
      ? CREDENTIALS
      : { username: '<token>', password: '', identityToken, source: 'the test' },
  hint: 'Log in to registry.test',
});

describe('redirects of a token request get the checks of every registry request', () => {
  it('refuses a redirect to plain http off this machine, sending nothing there', async () => {
    redirectTo = (req) =>
      req.url?.startsWith('/token')
        ? { status: 302, location: `http://${networkAddress}:${elsewhere.port}/steal` }
        : undefined;
    const before = elsewhere.seen.length;
    await assert.rejects(
      fetchBearerToken(request(), RETRY),
      /token service 127\.0\.0\.1:\d+ of registry registry\.test sent us to http:\/\/.*\/steal for a redirect of GET \/token, which is not https/,
    );
    assert.equal(elsewhere.seen.length, before, 'the downgraded request was never made');
  });

  it('refuses to replay an identity token (a 307 of the POSTed form) to another origin', async () => {
    redirectTo = (req) =>
      req.url?.startsWith('/token') ? { status: 307, location: `http://127.0.0.1:${elsewhere.port}/steal` } : undefined;
    const before = elsewhere.seen.length;
    await assert.rejects(fetchBearerToken(request('refresh-me'), RETRY), (err: Error) => {
      assert.match(
        err.message,
        /redirected POST \/token \(which carries the login\) to another origin, http:\/\/127\.0\.0\.1:\d+; expected the token service to answer itself/,
      );
      assert.equal((err as { code?: string }).code, 'REGISTRY_AUTH_FAILED');
      return true;
    });
    assert.equal(elsewhere.seen.length, before, 'the refresh token went nowhere else');
  });

  it('does not forward the Basic login to another origin', async () => {
    redirectTo = (req) =>
      req.url?.startsWith('/token') ? { status: 302, location: `http://127.0.0.1:${elsewhere.port}/other` } : undefined;
    const before = elsewhere.seen.length;
    assert.equal((await fetchBearerToken(request(), RETRY)).token, 'token-from-elsewhere');
    assert.deepEqual(
      elsewhere.seen.slice(before).map((s) => s.authorization),
      [undefined],
    );
  });

  it('still follows redirects within the token service, login and form included', async () => {
    redirectTo = (req) => (req.url?.startsWith('/token') ? { status: 307, location: '/issue' } : undefined);
    assert.equal((await fetchBearerToken(request(), RETRY)).token, 'token-from-home');
    assert.equal((await fetchBearerToken(request('refresh-me'), RETRY)).token, 'token-from-home');
  });
});

describe('through the registry client', () => {
  it('a registry whose token service redirects to plain http off the machine fails in one line', async () => {
    // The registry names a token service that redirects to the network in clear text.
    const hostile = await startReferrersRegistry({
      auth: { scheme: 'bearer', ...LOGIN },
      realm: `http://127.0.0.1:${tokenService.port}/token`,
    });
    try {
      await pushTestImage({ url: hostile.url, headers: hostile.adminHeaders }, 'octo/app', 'v1');
      redirectTo = (req) =>
        req.url?.startsWith('/token')
          ? { status: 302, location: `http://${networkAddress}:${elsewhere.port}/steal` }
          : undefined;
      const before = elsewhere.seen.length;
      const client = createBundleRegistry({
        credentials: { forRegistry: () => Promise.resolve(CREDENTIALS), location: 'test' },
        retry: RETRY,
      });
      await assert.rejects(client.resolveDigest(`${hostile.host}/octo/app:v1`), /which is not https/);
      assert.equal(elsewhere.seen.length, before);
    } finally {
      await hostile.stop();
    }
  });
});
