// fetchWithRetry against a real loopback server that fails on purpose.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { backoffDelay, fetchAndRead, fetchWithRetry, jsonBody, type RetryPolicy } from '../../src/http/retry.ts';
import { ProvenanceError } from '../../src/common/errors.ts';
import { closedPort } from '../../testkit/http.ts';

const fast: RetryPolicy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 50, timeoutMs: 2_000 };
let script: (number | 'reset')[] = [];
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  const next = script.shift() ?? 200;
  if (next === 'reset') return req.socket.destroy();
  res.writeHead(next, next === 429 ? { 'retry-after': '0' } : {}).end(JSON.stringify({ ok: next }));
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const req = (path: string) => ({
  service: 'Test service',
  code: 'OIDC_REQUEST_FAILED' as const,
  hint: 'try later',
  url: `${base}${path}?token=SECRET`,
});

describe('fetchWithRetry', () => {
  it('retries 503, 429 and a reset, then succeeds', async () => {
    script = [503, 429, 'reset'];
    hits = 0;
    const res = await fetchWithRetry(req('/x'), { ...fast, attempts: 4 });
    assert.equal(res.status, 200);
    assert.equal(hits, 4);
  });
  it('does not retry a 404 and names service, request and status without the query', async () => {
    script = [404];
    hits = 0;
    await assert.rejects(fetchWithRetry(req('/missing'), fast), (e: unknown) => {
      assert.ok(e instanceof ProvenanceError);
      assert.match(e.message, /^Test service failed: GET http:\/\/127\.0\.0\.1:\d+\/missing answered HTTP 404$/);
      assert.doesNotMatch(e.toLine(), /SECRET/);
      return true;
    });
    assert.equal(hits, 1);
  });
  it('gives up after the attempts, reporting the last status', async () => {
    script = [503, 503, 503];
    await assert.rejects(fetchWithRetry(req('/down'), fast), /answered HTTP 503/);
  });
  it('names a refused connection', async () => {
    await assert.rejects(
      fetchWithRetry({ ...req('/'), url: `http://127.0.0.1:${await closedPort()}/` }, fast),
      /ECONNREFUSED/,
    );
  });
});

describe('backoffDelay', () => {
  it('honours retry-after within the cap, else grows exponentially', () => {
    const p: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 1 };
    assert.equal(backoffDelay(1, p, '0.5'), 500);
    assert.equal(backoffDelay(1, p, '30'), 1_000);
    for (let i = 0; i < 20; i++) {
      const d = backoffDelay(3, p, null);
      assert.ok(d >= 200 && d <= 400, `attempt 3 waits 200–400 ms, got ${d}`);
    }
  });
});

describe('fetchAndRead', () => {
  const garbage = (res: http.ServerResponse): void =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>garbage</html>');
  let answers: ((res: http.ServerResponse) => void)[] = [];
  let count = 0;
  const server2 = http.createServer((_req, res) => {
    count++;
    (
      answers.shift() ??
      ((r: http.ServerResponse) => void r.writeHead(200, { 'content-type': 'application/json' }).end('{"value":"jwt"}'))
    )(res);
  });
  let url = '';
  before(async () => {
    await new Promise<void>((r) => server2.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server2.address() as AddressInfo).port}/token`;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server2.close(() => r());
        server2.closeAllConnections(); // the client keeps sockets alive
      }),
  );
  const read = jsonBody('{"value": …}', (v) =>
    typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'string'
      ? (v as { value: string }).value
      : undefined,
  );
  const tokenReq = () => ({ service: 'Token service', code: 'OIDC_REQUEST_FAILED' as const, hint: 'try later', url });

  it('retries a garbage answer like a 5xx and returns the next good one', async () => {
    answers = [garbage];
    count = 0;
    assert.equal(await fetchAndRead(tokenReq(), read, fast), 'jwt');
    assert.equal(count, 2);
  });
  it('names garbage that persists, after every attempt', async () => {
    answers = [garbage, garbage, garbage];
    count = 0;
    await assert.rejects(
      fetchAndRead(tokenReq(), read, fast),
      /^ProvenanceError: Token service failed: GET http:\/\/127\.0\.0\.1:\d+\/token answered HTTP 200 with a body that is not JSON \(expected \{"value": …\}\)$/,
    );
    assert.equal(count, 3);
  });
  it('times out an attempt whose answer never comes, and retries it', async () => {
    answers = [() => undefined]; // never answered
    count = 0;
    assert.equal(await fetchAndRead(tokenReq(), read, { ...fast, timeoutMs: 200 }), 'jwt');
    assert.equal(count, 2);
  });
});
