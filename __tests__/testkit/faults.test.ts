// Fault injection and Rekor's duplicate handling: the behaviours retry and idempotency tests of the action
// will lean on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bundleFromJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { RekorWitness } from '@sigstore/sign';
import { startLocalServices } from '../../testkit/index.ts';
import type { LocalServices } from '../../testkit/index.ts';
import { quickRetry, signStatement, verifyBundle } from './helpers.ts';

const pem = (b64: string): string => `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;

void describe('fault injection', () => {
  let services: LocalServices;
  before(async () => {
    services = await startLocalServices();
  });
  after(() => services.stop());

  void it('fails over two Fulcio 503s with a client retry of 3: three requests, then a valid bundle', async () => {
    const { sigstore, issuer } = services;
    sigstore.faults.fulcio = [503, 503];
    const before = sigstore.requests.fulcio;
    const bundle = await signStatement(sigstore, issuer, { witness: 'rekor', fulcioRetry: quickRetry(3) });
    assert.equal(sigstore.requests.fulcio - before, 3);
    assert.deepEqual(sigstore.faults.fulcio, []);
    verifyBundle(bundle, sigstore.trustedRoot, issuer, true);
  });

  void it('gives up when faults outlast the retries, and counts every attempt', async () => {
    const { sigstore, issuer } = services;
    sigstore.faults.fulcio.push(503, 503, 503);
    const before = sigstore.requests.fulcio;
    await assert.rejects(
      signStatement(sigstore, issuer, { witness: 'rekor', fulcioRetry: quickRetry(1) }),
      /503|signing certificate|CA_CREATE/i,
    );
    assert.equal(sigstore.requests.fulcio - before, 2);
    sigstore.faults.fulcio.length = 0;
  });

  void it('answers 429 with retry-after: 0 and can reset the connection', async () => {
    const { sigstore } = services;
    sigstore.faults.tsa.push(429, 'reset');
    const first = await fetch(`${sigstore.tsaURL}/api/v1/timestamp`, { method: 'POST', body: '{}' });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '0');
    await assert.rejects(fetch(`${sigstore.tsaURL}/api/v1/timestamp`, { method: 'POST', body: '{}' }), TypeError);
  });

  void it('retries Rekor and TSA through resets and 429s', async () => {
    const { sigstore, issuer } = services;
    sigstore.faults.rekor.push('reset', 429);
    const rekorBefore = sigstore.requests.rekor;
    const viaRekor = await signStatement(sigstore, issuer, { witness: 'rekor', witnessRetry: quickRetry(3) });
    assert.equal(sigstore.requests.rekor - rekorBefore, 3);
    verifyBundle(viaRekor, sigstore.trustedRoot, issuer, true);

    sigstore.faults.tsa.push(500, 'reset');
    const tsaBefore = sigstore.requests.tsa;
    const viaTSA = await signStatement(sigstore, issuer, { witness: 'tsa', witnessRetry: quickRetry(3) });
    assert.equal(sigstore.requests.tsa - tsaBefore, 3);
    verifyBundle(viaTSA, sigstore.trustedRoot, issuer, false);
  });
});

void describe('Rekor duplicates', () => {
  let services: LocalServices;
  let bundle: SerializedBundle;
  before(async () => {
    services = await startLocalServices();
    bundle = await signStatement(services.sigstore, services.issuer, { witness: 'rekor' });
  });
  after(() => services.stop());

  void it('answers 409 to a re-submitted entry and the client fetches the existing one', async () => {
    const { sigstore } = services;
    const parsed = bundleFromJSON(bundle);
    assert.equal(parsed.content.$case, 'dsseEnvelope');
    const certificate = bundle.verificationMaterial.certificate?.rawBytes;
    assert.ok(certificate);
    const before = sigstore.requests.rekor;
    const witness = new RekorWitness({ rekorBaseURL: sigstore.rekorURL, fetchOnConflict: true });
    const { tlogEntries } = await witness.testify(parsed.content, pem(certificate));
    // One POST answered 409, one GET for the existing entry.
    assert.equal(sigstore.requests.rekor - before, 2);
    const original = bundle.verificationMaterial.tlogEntries[0];
    const fetched = tlogEntries?.[0];
    assert.ok(original && fetched);
    assert.equal(fetched.logIndex, original.logIndex);
    assert.equal(fetched.integratedTime, original.integratedTime);
    assert.equal(fetched.canonicalizedBody.toString('base64'), original.canonicalizedBody);
  });

  void it('without fetchOnConflict the 409 surfaces as an error', async () => {
    const { sigstore } = services;
    const parsed = bundleFromJSON(bundle);
    const certificate = bundle.verificationMaterial.certificate?.rawBytes;
    assert.ok(certificate);
    const witness = new RekorWitness({ rekorBaseURL: sigstore.rekorURL, fetchOnConflict: false });
    await assert.rejects(witness.testify(parsed.content, pem(certificate)), /409/);
  });

  void it('speaks the Rekor v1 API on the wire: 201 + Location, 409 + Location, GET by either UUID form, 404, 400', async () => {
    const { sigstore } = services;
    const entry = {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: { data: { hash: { algorithm: 'sha256', value: 'b'.repeat(64) } } },
    };
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sigstore.rekorURL}/api/v1/log/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const created = await post(entry);
    assert.equal(created.status, 201);
    const location = created.headers.get('location');
    assert.match(location ?? '', /^\/api\/v1\/log\/entries\/[0-9a-f]{80}$/);
    const createdBody = (await created.json()) as Record<string, { logIndex: number }>;

    // Same entry with keys in another order: still the same canonical entry.
    const again = await post({ spec: entry.spec, kind: entry.kind, apiVersion: entry.apiVersion });
    assert.equal(again.status, 409);
    assert.equal(again.headers.get('location'), location);
    assert.match(((await again.json()) as { message: string }).message, /already exists/);

    const fetched = await fetch(`${sigstore.rekorURL}${location ?? ''}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(await fetched.json(), createdBody);
    const byLeafHash = await fetch(`${sigstore.rekorURL}/api/v1/log/entries/${(location ?? '').slice(-64)}`);
    assert.deepEqual(await byLeafHash.json(), createdBody);

    assert.equal((await fetch(`${sigstore.rekorURL}/api/v1/log/entries/${'0'.repeat(64)}`)).status, 404);

    // A DSSE entry whose signature does not verify is refused, as real Rekor does.
    const [envelope] = [bundle.dsseEnvelope];
    assert.ok(envelope);
    const forged = { ...envelope, payload: Buffer.from('{"forged":true}').toString('base64') };
    const certificate = bundle.verificationMaterial.certificate?.rawBytes ?? '';
    const bad = await post({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        proposedContent: {
          envelope: JSON.stringify(forged),
          verifiers: [Buffer.from(pem(certificate)).toString('base64')],
        },
      },
    });
    assert.equal(bad.status, 400);
  });
});
