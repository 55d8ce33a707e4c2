// The loopback stand-ins share one fault vocabulary (testkit/http.ts; the GitHub stand-in's GitHubFault
// mirrors it): a status, a status with retry-after, reset, slow, timeout and garbage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { GARBAGE_BODY, serve, sendJSON, SLOW_MS, type Fault, type LoopbackServer } from '../../testkit/http.ts';

let server: LoopbackServer;
const faults: Fault[] = [];
let github: GitHubApiStandIn;

before(async () => {
  server = await serve((_req, _body, res) => sendJSON(res, 200, { ok: true }), { faults: () => faults });
  github = await startGitHubApi();
});
after(() => Promise.all([server.stop(), github.stop()]));

describe('fault vocabulary', () => {
  it('a status with retry-after', async () => {
    faults.push({ status: 429, retryAfter: 1 });
    const res = await fetch(server.url);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
  });

  it('slow: served as usual, SLOW_MS later', async () => {
    faults.push('slow');
    const started = performance.now();
    const res = await fetch(server.url);
    assert.deepEqual(await res.json(), { ok: true });
    assert.ok(performance.now() - started >= SLOW_MS - 5);
  });

  it('timeout: never answered, until the client gives up', async () => {
    faults.push('timeout');
    await assert.rejects(fetch(server.url, { signal: AbortSignal.timeout(150) }), { name: 'TimeoutError' });
    assert.deepEqual(await (await fetch(server.url)).json(), { ok: true }, 'the next request is served');
  });

  it('garbage: 200 with a body that is not JSON, though labelled so', async () => {
    faults.push('garbage');
    const res = await fetch(server.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), GARBAGE_BODY);
  });

  it('the GitHub stand-in speaks it too', async () => {
    const url = `${github.url}/repos/octo-org/octo-repo/releases/tags/v1`;
    const headers = { authorization: `Bearer ${github.token}` };
    github.faults['release-by-tag'].push('garbage', 'timeout', 'slow');
    assert.equal(await (await fetch(url, { headers })).text(), GARBAGE_BODY);
    await assert.rejects(fetch(url, { headers, signal: AbortSignal.timeout(150) }), { name: 'TimeoutError' });
    const started = performance.now();
    assert.equal((await fetch(url, { headers })).status, 404, 'served as usual: no such release');
    assert.ok(performance.now() - started >= SLOW_MS - 5);
  });
});
