// Faults inside an answer's body, which the referrers registry's fault queue cannot act out: a manifest
// that breaks off after its headers, or whose bytes are not the digest asked for. Both are retried like a
// 5xx (within the per-attempt timeout) and, if they persist, end in one line naming the registry — not in
// an unexpected "terminated" error.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { registryClient } from './helpers.ts';

const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: `sha256:${'4'.repeat(64)}`, size: 2 },
    layers: [],
  }),
);
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;

type Answer = 'broken' | 'wrong' | 'good';
let script: Answer[] = [];
let gets = 0;
const server = http.createServer((req, res) => {
  // HEAD without a digest header: the client falls back to GET, where the faults are.
  if (req.method === 'HEAD')
    return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end();
  gets++;
  const answer = script.shift() ?? 'good';
  if (answer === 'broken') {
    res.writeHead(200, {
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'content-length': String(MANIFEST.length),
    });
    res.write(MANIFEST.subarray(0, 10));
    setTimeout(() => req.socket.destroy(), 10);
    return;
  }
  const body = answer === 'wrong' ? Buffer.from(`${MANIFEST.toString()} `) : MANIFEST;
  res
    .writeHead(200, {
      'content-type': 'application/vnd.oci.image.manifest.v1+json',
      'content-length': String(body.length),
    })
    .end(body);
});
let host = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(
  () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
);

describe('registry bodies that break off or are not what was asked for', () => {
  it('a manifest that breaks off is fetched again', async () => {
    script = ['broken', 'broken'];
    gets = 0;
    const client = await registryClient();
    assert.equal(await client.resolveDigest(`${host}/x/app@${DIGEST}`), DIGEST);
    assert.equal(gets, 3);
  });

  it('one that keeps breaking off ends in one line naming the registry', async () => {
    script = ['broken', 'broken', 'broken', 'broken'];
    gets = 0;
    const client = await registryClient();
    await assert.rejects(client.resolveDigest(`${host}/x/app@${DIGEST}`), (err: unknown) => {
      assert.ok(err instanceof ProvenanceError, String(err));
      assert.equal(err.code, 'REGISTRY_FAILED');
      assert.match(
        err.message,
        new RegExp(`^registry ${host} failed: GET /v2/x/app/manifests/${DIGEST} answered \\S+$`),
      );
      return true;
    });
    assert.equal(gets, 4, 'every attempt used');
  });

  it('content that is not the digest asked for is fetched again, then named', async () => {
    script = ['wrong', 'wrong', 'wrong', 'wrong'];
    gets = 0;
    const client = await registryClient();
    await assert.rejects(client.resolveDigest(`${host}/x/app@${DIGEST}`), (err: unknown) => {
      assert.ok(err instanceof ProvenanceError, String(err));
      assert.equal(err.code, 'REGISTRY_CONTENT_INVALID');
      assert.match(err.message, /served content with digest sha256:[0-9a-f]{64}, not sha256:/);
      return true;
    });
    assert.equal(gets, 4);
  });
});
