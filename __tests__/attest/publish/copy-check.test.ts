// The copy check (src/attest/publish/copy-check.ts) against the local Sigstore stack: a re-signed copy of our
// statement (a re-run's) is ours; a broken signature, a certificate from another CA (one that would pass
// if that CA were the instance's), another identity or another statement is not; the trust bundle is
// fetched once, only for a copy worth checking, and a Fulcio that does not answer is one line naming it.

import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { initializeCA } from '@sigstore/mock/dist/fulcio/index.js';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { ourCopyCheck, trustBundleCertificates } from '../../../src/attest/publish/copy-check.ts';
import { startLocalServices, type LocalServices } from '../../../testkit/index.ts';
import { serve, sendJSON, type LoopbackServer } from '../../../testkit/http.ts';
import { signStatement } from '../../../testkit/sign.ts';

const FAST = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2_000 };

const statement = (name: string): object => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name, digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: { buildDefinition: { buildType: 'https://example.com/build/v1' } },
});

const copyOf = (bundle: SerializedBundle): SerializedBundle => JSON.parse(JSON.stringify(bundle)) as SerializedBundle;

function pem(der: ArrayBufferView): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

function preAuth(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `),
    payload,
  ]);
}

describe('ourCopyCheck', () => {
  let services: LocalServices;
  let ours: SerializedBundle;
  let rerun: SerializedBundle;
  const servers: LoopbackServer[] = [];
  before(async () => {
    services = await startLocalServices();
    ours = await signStatement(services, statement('app'));
    rerun = await signStatement(services, statement('app')); // a re-run: same statement, new key and certificate
  });
  after(async () => {
    await Promise.all([services.stop(), ...servers.map((s) => s.stop())]);
  });

  const fulcioRequests = (): number => services.sigstore.requests.fulcio;

  it('a genuine re-signed copy from the same Fulcio is ours; the trust bundle is fetched once', async () => {
    assert.notEqual(rerun.dsseEnvelope?.signatures[0]?.sig, ours.dsseEnvelope?.signatures[0]?.sig);
    const isOurCopy = ourCopyCheck([ours], services.sigstore.fulcioURL, FAST);
    const start = fulcioRequests();
    assert.equal(await isOurCopy(rerun), true);
    assert.equal(await isOurCopy(ours), true);
    assert.equal(fulcioRequests() - start, 1, 'one trust bundle request for the run');
  });

  it('a copy whose signature does not verify is not ours, and costs no request', async () => {
    const broken = copyOf(rerun);
    const sig = broken.dsseEnvelope?.signatures[0];
    assert.ok(sig);
    sig.sig = Buffer.from('not a signature').toString('base64');
    const start = fulcioRequests();
    assert.equal(await ourCopyCheck([ours], services.sigstore.fulcioURL, FAST)(broken), false);
    assert.equal(fulcioRequests(), start);
  });

  it('a copy with our identity and a valid signature, but a certificate from another CA, is not ours', async () => {
    // Our identity, copied into a certificate another CA issues. The mock dates its root from the moment it is
    // made, so the copy's log entry is dated just after that (under load, the re-run's own time may be older).
    const madeAt = Date.now();
    const other = await initializeCA(
      generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      undefined,
      new Date(madeAt - 60_000),
    );
    const integrated = (Math.floor(Date.now() / 1000) + 1) * 1000;
    const leafKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const san = `https://github.com/${services.issuer.claims.job_workflow_ref}`;
    const issuer = services.issuer.issuer;
    const leaf = await other.issueCertificate({
      publicKey: leafKeys.publicKey.export({ type: 'spki', format: 'der' }),
      subjectAltName: san,
      extensions: [
        { oid: '1.3.6.1.4.1.57264.1.1', value: issuer, legacy: true },
        { oid: '1.3.6.1.4.1.57264.1.8', value: issuer },
      ],
    });
    const forged = copyOf(rerun);
    const envelope = forged.dsseEnvelope;
    const sig = envelope?.signatures[0];
    assert.ok(
      envelope && sig && 'certificate' in forged.verificationMaterial && forged.verificationMaterial.certificate,
    );
    forged.verificationMaterial.certificate.rawBytes = Buffer.from(
      leaf.buffer,
      leaf.byteOffset,
      leaf.byteLength,
    ).toString('base64');
    const entry = forged.verificationMaterial.tlogEntries[0];
    assert.ok(entry);
    entry.integratedTime = String(integrated / 1000);
    sig.sig = sign(
      null,
      preAuth(envelope.payloadType, Buffer.from(envelope.payload, 'base64')),
      leafKeys.privateKey,
    ).toString('base64');

    assert.equal(
      await ourCopyCheck([ours], services.sigstore.fulcioURL, FAST)(forged),
      false,
      'not issued by our Fulcio',
    );
    // Control: with that other CA as "our" Fulcio, the same copy would pass, so the CA is what refused it.
    const otherFulcio = await serve((_req, _body, res) =>
      sendJSON(res, 200, { chains: [{ certificates: [pem(other.rootCertificate)] }] }),
    );
    servers.push(otherFulcio);
    assert.equal(await ourCopyCheck([ours], otherFulcio.url, FAST)(forged), true);
  });

  it('a copy by another identity (another workflow) is not ours', async () => {
    const theirs = await signStatement(services, statement('app'), {
      claims: { job_workflow_ref: 'octo-org/octo-repo/.github/workflows/other.yml@refs/heads/main' },
    });
    assert.equal(theirs.dsseEnvelope?.payload, ours.dsseEnvelope?.payload, 'the same statement');
    assert.equal(await ourCopyCheck([ours], services.sigstore.fulcioURL, FAST)(theirs), false);
  });

  it('a genuine bundle of another statement is not a copy of ours', async () => {
    const another = await signStatement(services, statement('tool'));
    const start = fulcioRequests();
    assert.equal(await ourCopyCheck([ours], services.sigstore.fulcioURL, FAST)(another), false);
    assert.equal(fulcioRequests(), start);
    // Several bundles of ours: each copy is judged against the one with its statement.
    assert.equal(await ourCopyCheck([ours, another], services.sigstore.fulcioURL, FAST)(another), true);
  });

  it('a Fulcio whose trust bundle cannot be had fails in one line naming Fulcio', async () => {
    const garbage = await serve((_req, _body, res) =>
      sendJSON(res, 200, { chains: [{ certificates: ['not a certificate'] }] }),
    );
    servers.push(garbage);
    for (const url of ['http://127.0.0.1:9', garbage.url]) {
      await assert.rejects(ourCopyCheck([ours], url, FAST)(rerun), (err: unknown) => {
        assert.ok(err instanceof ProvenanceError);
        assert.equal(err.code, 'FULCIO_FAILED');
        assert.match(err.toLine(), /^Fulcio trust bundle .* GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/trustBundle/);
        assert.doesNotMatch(err.toLine(), /\n/);
        return true;
      });
    }
  });
});

describe('trustBundleCertificates', () => {
  it('reads Fulcio API v2 TrustBundle JSON and refuses anything else', async () => {
    const ca = await initializeCA(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
    const root = pem(ca.rootCertificate);
    assert.equal(trustBundleCertificates({ chains: [{ certificates: [root] }, { certificates: [root] }] })?.length, 2);
    for (const bad of [
      {},
      { chains: [] },
      { chains: [{}] },
      { chains: [{ certificates: [1] }] },
      { chains: [{ certificates: ['x'] }] },
      [root],
      null,
    ]) {
      assert.equal(trustBundleCertificates(bad), undefined, JSON.stringify(bad));
    }
  });
});
