// Verify mode through its orchestrator, in-process, against bundles signed by the local Sigstore
// stack: what passes, what each kind of tampering is caught by, and policy and forgery checks.
// Nothing is stubbed; the trusted root is the local stack's.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { failedChecks, verifyWithInputs } from '../../testkit/verify-mode.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';

let services: LocalServices;
let ws: string;
let rekorBundle: SerializedBundle;
let tsaBundle: SerializedBundle;
let otherStackBundle: SerializedBundle;
let count = 0;

const APP = 'app binary v1.2.0';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const appSubject = () => [{ name: 'app.bin', digest: { sha256: sha256(APP) } }];
const clone = (b: SerializedBundle): SerializedBundle => JSON.parse(JSON.stringify(b)) as SerializedBundle;

before(async () => {
  services = await startLocalServices();
  ws = await mkdtemp(path.join(os.tmpdir(), 'verify-'));
  await writeFile(path.join(ws, 'app.bin'), APP);
  await writeFile(path.join(ws, 'other.bin'), 'another artifact');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  // Like GitHub's instance: a CA and a TSA, no transparency log.
  await writeFile(path.join(ws, 'tsa_only_root.json'), JSON.stringify({ ...services.sigstore.trustedRoot, tlogs: [] }));
  rekorBundle = await signStatement(services, provenanceStatement(services, appSubject()), { witnesses: ['rekor'] });
  tsaBundle = await signStatement(services, provenanceStatement(services, appSubject()), { witnesses: ['tsa'] });
  const other = await startLocalServices();
  try {
    otherStackBundle = await signStatement(other, provenanceStatement(other, appSubject()));
  } finally {
    await other.stop();
  }
});
after(async () => {
  await services.stop();
  await rm(ws, { recursive: true, force: true });
});

const policyInputs = (): Record<string, string> => ({
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: 'octo-org/octo-repo',
  'signer-workflow': 'octo-org/octo-repo/.github/workflows/release.yml',
  'source-ref': 'refs/tags/v*',
});

async function run(
  bundles: (SerializedBundle | string)[],
  inputs: Record<string, string> = {},
  subjectPath = 'app.bin',
): Promise<VerifyReport> {
  const file = `bundles-${++count}.jsonl`;
  await writeFile(path.join(ws, file), bundles.map((b) => (typeof b === 'string' ? b : JSON.stringify(b))).join('\n'));
  return verifyWithInputs(ws, {
    'subject-path': subjectPath,
    'bundle-path': file,
    'trusted-root': 'trusted_root.json',
    'report-path': `report-${count}.json`,
    ...policyInputs(),
    ...inputs,
  });
}

const checks = failedChecks;

describe('verify mode passes', () => {
  it('a bundle logged in Rekor, with the full policy', async () => {
    const r = await run([rekorBundle]);
    assert.equal(r.verified, true, JSON.stringify(r.artifacts, null, 1));
    assert.equal(r.artifacts[0]?.bundles[0]?.signer, `https://github.com/${services.issuer.claims.job_workflow_ref}`);
  });
  it('a bundle with an RFC 3161 timestamp and no log entry, against a root without a log (GitHub-style)', async () => {
    assert.equal((await run([tsaBundle], { 'trusted-root': 'tsa_only_root.json' })).verified, true);
  });
  it('but not that bundle against a root that has a log: the entry is required there', async () => {
    const r = await run([tsaBundle]);
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['tlog']);
  });
  it('when one of several bundles passes, reporting the others’ failures', async () => {
    const r = await run([otherStackBundle, rekorBundle]);
    assert.equal(r.verified, true);
    assert.deepEqual(
      r.artifacts[0]?.bundles.map((b) => b.result),
      ['FAIL', 'PASS'],
    );
  });
});

type Tamper = [label: string, from: () => SerializedBundle, mutate: (b: SerializedBundle) => void, check: string];
const flipBase64 = (text: string, at = 10): string => {
  const bytes = Buffer.from(text, 'base64');
  const i = Math.min(at, bytes.length - 1);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};
const dsse = (b: SerializedBundle) => {
  if (!('dsseEnvelope' in b) || !b.dsseEnvelope) throw new Error('not DSSE');
  return b.dsseEnvelope;
};
const entry = (b: SerializedBundle) => {
  const e = b.verificationMaterial.tlogEntries[0];
  if (!e) throw new Error('no tlog entry');
  return e;
};
const rewritePayload = (b: SerializedBundle, change: (statement: Record<string, unknown>) => void): void => {
  const envelope = dsse(b);
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Record<string, unknown>;
  change(statement);
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
};

const TAMPERS: Tamper[] = [
  [
    'the payload (a predicate field rewritten)',
    () => rekorBundle,
    (b) => rewritePayload(b, (s) => ((s['predicate'] as Record<string, unknown>)['runDetails'] = {})),
    'signature',
  ],
  ['the payload type', () => rekorBundle, (b) => (dsse(b).payloadType = 'application/json'), 'signature'],
  [
    'the signature',
    () => rekorBundle,
    (b) => {
      const sig = dsse(b).signatures[0];
      if (sig) sig.sig = flipBase64(sig.sig, 20);
    },
    'signature',
  ],
  // The envelope's signature is checked with the presented certificate's key, so a swapped certificate fails there.
  [
    'the certificate (swapped for one from another Fulcio)',
    () => rekorBundle,
    (b) =>
      (b.verificationMaterial = {
        ...b.verificationMaterial,
        certificate: (otherStackBundle.verificationMaterial as { certificate: { rawBytes: string } }).certificate,
      } as SerializedBundle['verificationMaterial']),
    'signature',
  ],
  [
    'the certificate bytes',
    () => rekorBundle,
    (b) => {
      const m = b.verificationMaterial as { certificate: { rawBytes: string } };
      m.certificate.rawBytes = flipBase64(m.certificate.rawBytes, 300);
    },
    'certificate-chain',
  ],
  // One second keeps the time inside the certificate's validity, so only the log's signed timestamp can catch it.
  [
    'the log entry’s integrated time',
    () => rekorBundle,
    (b) => (entry(b).integratedTime = String(Number(entry(b).integratedTime) + 1)),
    'tlog',
  ],
  [
    'the log entry’s integrated time, moved before the certificate',
    () => rekorBundle,
    (b) => (entry(b).integratedTime = String(Number(entry(b).integratedTime) - 3600)),
    'certificate-chain',
  ],
  [
    'the log entry’s index',
    () => rekorBundle,
    (b) => (entry(b).logIndex = String(Number(entry(b).logIndex) + 1)),
    'tlog',
  ],
  [
    'the log entry’s body',
    () => rekorBundle,
    (b) => (entry(b).canonicalizedBody = flipBase64(entry(b).canonicalizedBody, 40)),
    'tlog',
  ],
  [
    'the inclusion promise',
    () => rekorBundle,
    (b) => {
      const p = entry(b).inclusionPromise;
      if (p) p.signedEntryTimestamp = flipBase64(p.signedEntryTimestamp, 12);
    },
    'tlog',
  ],
  [
    'the RFC 3161 timestamp',
    () => tsaBundle,
    (b) => {
      const t = b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps[0];
      if (t) t.signedTimestamp = flipBase64(t.signedTimestamp, 200);
    },
    'timestamp',
  ],
  [
    'the media type',
    () => rekorBundle,
    (b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle.v9+json'),
    'bundle-format',
  ],
];

describe('verify mode rejects a tampered bundle, naming the check', () => {
  for (const [label, from, mutate, check] of TAMPERS) {
    it(label, async () => {
      const bundle = clone(from());
      mutate(bundle);
      const r = await run([bundle]);
      assert.equal(r.verified, false);
      assert.deepEqual(checks(r), [check]);
    });
  }
  it('a whole bundle from another Sigstore instance (an untrusted CA)', async () => {
    const r = await run([otherStackBundle]);
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['certificate-chain']);
  });
  it('another artifact than the one attested (subject digest)', async () => {
    const r = await run([rekorBundle], {}, 'other.bin');
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['subject-digest']);
    assert.match(r.artifacts[0]?.bundles[0]?.failures[0]?.found ?? '', /none of the 1 bundle/);
  });
  it('each among many (enough for the worker pool): every bundle gets the verdict it gets alone', async () => {
    const bundles: SerializedBundle[] = [];
    const expected: string[][] = [];
    while (bundles.length < 70) {
      bundles.push(rekorBundle);
      expected.push([]);
      for (const [, from, mutate, check] of TAMPERS) {
        const bundle = clone(from());
        mutate(bundle);
        bundles.push(bundle);
        expected.push([check]);
      }
    }
    const r = await run(bundles);
    assert.equal(r.verified, true);
    assert.deepEqual(
      r.artifacts[0]?.bundles.map((b) => b.failures.map((f) => f.check)),
      expected,
    );
  });
  it('text that is not a bundle', async () => {
    const r = await run(['{"not": "a bundle"}']);
    assert.equal(r.verified, false);
  });
});

describe('verify mode applies the policy to the certificate', () => {
  it('another repository', async () => {
    const r = await run([rekorBundle], { repository: 'octo-org/other-repo' });
    assert.deepEqual(checks(r), ['repository']);
    assert.match(JSON.stringify(r.artifacts[0]?.bundles[0]?.failures[0]), /octo-org\/other-repo.*octo-org\/octo-repo/);
  });
  it('a signer workflow that only shares a prefix (release.yml vs release.yml-evil.yml)', async () => {
    const evilRef = 'octo-org/octo-repo/.github/workflows/release.yml-evil.yml@refs/tags/v1.2.0';
    const claims = { workflow_ref: evilRef, job_workflow_ref: evilRef };
    const evil = await signStatement(services, provenanceStatement(services, appSubject(), claims), { claims });
    const r = await run([evil]);
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['signer-workflow']);
  });
  it('a ref outside the allowed glob, and a self-hosted runner, both reported', async () => {
    const claims = {
      ref: 'refs/heads/main',
      workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      runner_environment: 'self-hosted',
    };
    const bundle = await signStatement(services, provenanceStatement(services, appSubject(), claims), { claims });
    const r = await run([bundle], { 'deny-self-hosted-runners': 'true' });
    assert.deepEqual(checks(r).sort(), ['runner-environment', 'source-ref']);
  });
  it('a policy file holding the same rules', async () => {
    await writeFile(
      path.join(ws, 'policy.yml'),
      `# release gate\nrepository: octo-org/octo-repo\nsigner-workflow: octo-org/octo-repo/.github/workflows/release.yml\ncertificate-oidc-issuer: "${services.issuer.issuer}"\n`,
    );
    const r = await run([rekorBundle], {
      repository: '',
      'signer-workflow': '',
      'certificate-oidc-issuer': '',
      'source-ref': '',
      policy: 'policy.yml',
    });
    assert.equal(r.verified, true);
  });
});

describe('verify mode holds the provenance to its certificate', () => {
  const forge = (change: (predicate: Record<string, Record<string, unknown>>) => void): object => {
    const statement = provenanceStatement(services, appSubject()) as {
      predicate: Record<string, Record<string, unknown>>;
    };
    change(statement.predicate);
    return statement;
  };
  it('a predicate claiming another source repository', async () => {
    const statement = forge(
      (p) =>
        ((p['buildDefinition']?.['externalParameters'] as { workflow: { repository: string } }).workflow.repository =
          'https://github.com/evil-org/evil-repo'),
    );
    const r = await run([await signStatement(services, statement)]);
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['predicate-matches-certificate']);
    assert.match(r.artifacts[0]?.bundles[0]?.failures[0]?.found ?? '', /evil-org\/evil-repo/);
  });
  it('a predicate claiming another builder', async () => {
    const statement = forge(
      (p) =>
        ((p['runDetails']?.['builder'] as { id: string }).id =
          'https://github.com/trusted-org/builders/.github/workflows/slsa3.yml@refs/tags/v2.0.0'),
    );
    const r = await run([await signStatement(services, statement)]);
    assert.deepEqual(checks(r), ['predicate-matches-certificate']);
  });
});

describe('verify mode refuses inputs that leave the workspace', () => {
  it('a trusted root outside it', async () => {
    await assert.rejects(
      run([rekorBundle], { 'trusted-root': '/etc/hostname' }),
      /trusted-root: "\/etc\/hostname" resolves to .* outside the workspace/,
    );
  });
  it('a key outside it', async () => {
    await assert.rejects(
      run([rekorBundle], { key: '../outside.pem' }),
      /key: "\.\.\/outside\.pem" resolves to .* outside the workspace/,
    );
  });
});

describe('verify mode refuses a policy that names no signer', () => {
  it('before reading any bundle', async () => {
    await assert.rejects(
      run([rekorBundle], { repository: '', 'signer-workflow': '' }),
      /needs a rule naming the signer/,
    );
  });
});
