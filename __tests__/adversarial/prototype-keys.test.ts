// Issue #14, item 7: keys that crash verify. A junk bundle whose subject digest (or predicate)
// holds keys named like Object.prototype's members (`constructor`, `__proto__`, `toString`, ...)
// used to crash verify as INTERNAL, so one junk bundle beside a valid one turned a PASS into a
// crash: in plain verify, in require-chain, and in attest's `links: published`. End to end through
// the bundled action against the local stack: the valid artifact still passes, and the junk
// bundle is judged (fails its policy, or is ignored) with a reason, never a crash.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';

const REPO = 'octo-org/octo-repo';
const SIGNER = `${REPO}/.github/workflows/release.yml`;
const EVIL_REF = 'evil/app/.github/workflows/release.yml@refs/tags/v1.2.0';
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'app',
  documentNamespace: 'https://example.com/app',
  creationInfo: { created: '2026-11-01T00:00:00Z', creators: ['Tool: syft-1.0'] },
  packages: [],
};

let services: LocalServices;
let scratch: string;
let ws: string;

/** A digest object whose keys include every prototype name: built from JSON text, so `__proto__` is an own key. */
function junkDigest(sha256: string): Record<string, string> {
  const entries = [...PROTOTYPE_KEYS.map((k) => `"${k}": "${'ab'.repeat(32)}"`), `"sha256": "${sha256}"`];
  return JSON.parse(`{${entries.join(', ')}}`) as Record<string, string>;
}

/** Predicate fields with the same names, where agreement checks and links read. */
function junkPredicate(predicate: Record<string, unknown>): Record<string, unknown> {
  const keys = JSON.parse(
    `{${PROTOTYPE_KEYS.map((k) => `"${k}": {"sha256": "${'cd'.repeat(32)}"}`).join(', ')}}`,
  ) as Record<string, unknown>;
  const definition = predicate['buildDefinition'] as Record<string, unknown>;
  const external = { ...(definition['externalParameters'] as Record<string, unknown>), ...keys };
  return { ...predicate, ...keys, buildDefinition: { ...definition, externalParameters: external } };
}

/** A genuinely signed bundle (by another repository) whose statement names the artifact among prototype keys. */
async function junkBundle(sha256: string): Promise<SerializedBundle> {
  const claims = {
    repository: 'evil/app',
    repository_owner: 'evil',
    workflow_ref: EVIL_REF,
    job_workflow_ref: EVIL_REF,
  };
  const statement = provenanceStatement(
    services,
    [{ name: 'app.tar.gz', digest: junkDigest(sha256) }],
    claims,
  ) as Record<string, unknown>;
  return signStatement(
    services,
    { ...statement, predicate: junkPredicate(statement['predicate'] as Record<string, unknown>) },
    { claims },
  );
}

/** The same bundle with its signature broken: never verified, judged only by what it claims. */
function broken(bundle: SerializedBundle): SerializedBundle {
  const copy = JSON.parse(JSON.stringify(bundle)) as { dsseEnvelope: { signatures: { sig: string }[] } };
  const sig = Buffer.from(copy.dsseEnvelope.signatures[0]?.sig ?? '', 'base64');
  sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
  copy.dsseEnvelope.signatures[0] = { sig: sig.toString('base64') };
  return copy as unknown as SerializedBundle;
}

const gate = (): Record<string, string> => ({
  mode: 'verify',
  'subject-path': 'app.tar.gz',
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: REPO,
  'signer-workflow': SIGNER,
  'attestations-api': 'false',
});

const report = async (run: ActionRun): Promise<VerifyReport> =>
  JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'adversarial-keys-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'app.tar.gz'), 'the release');
  await writeFile(path.join(ws, 'sbom.spdx.json'), JSON.stringify(SPDX));
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  const attest = await runAction(services, {
    scratch,
    workspace: ws,
    inputs: {
      'subject-path': 'app.tar.gz',
      sigstore: 'signing.json',
      'bundle-path': 'valid.sigstore.json',
      'attestations-api': 'true',
    },
  });
  assert.equal(attest.code, 0, attest.stdout);
  const sha256 = createHash('sha256').update('the release').digest('hex');
  const junk = await junkBundle(sha256);
  await writeFile(path.join(ws, 'junk.sigstore.json'), JSON.stringify(junk));
  await writeFile(path.join(ws, 'junk-unverified.sigstore.json'), JSON.stringify(broken(junk)));
  // Published beside the valid one, where links: published and the attestations API read.
  services.github.addAttestation(REPO, junk);
  services.github.addAttestation(REPO, broken(junk));
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('bundles keyed with prototype names beside a valid one', () => {
  it('verify still passes the valid artifact, and says why each junk bundle failed', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'bundle-path': 'junk.sigstore.json\njunk-unverified.sigstore.json\nvalid.sigstore.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.doesNotMatch(run.stdout, /INTERNAL/);
    const artifact = (await report(run)).artifacts[0];
    assert.equal(artifact?.result, 'PASS');
    const bySource = new Map((artifact?.bundles ?? []).map((b) => [b.source, b.failures.map((f) => f.check)]));
    assert.deepEqual(bySource.get('valid.sigstore.json'), []);
    assert.ok(bySource.get('junk.sigstore.json')?.includes('repository'), JSON.stringify([...bySource]));
    assert.deepEqual(bySource.get('junk-unverified.sigstore.json'), ['signature']);
  });

  it('a junk bundle alone fails the artifact with its reasons, not as INTERNAL', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'bundle-path': 'junk.sigstore.json' },
    });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::provenance verification failed for 1 of 1 artifact\(s\): app\.tar\.gz \(repository: expected octo-org\/octo-repo, found https:\/\/github\.com\/evil\/app/,
    );
  });

  it('require-chain passes the valid provenance stage with the junk bundles beside it', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        ...gate(),
        'signer-workflow': '',
        'require-chain': `provenance signer-workflow=${SIGNER}`,
        'bundle-path': 'junk.sigstore.json\njunk-unverified.sigstore.json\nvalid.sigstore.json',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(
      (await report(run)).chains?.[0]?.stages.map((s) => [s.label, s.status]),
      [['provenance', 'pass']],
    );
  });

  it('verify reading the attestations API passes with the junk bundles published beside the valid one', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'attestations-api': 'true' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal((await report(run)).artifacts[0]?.result, 'PASS');
  });

  it('attest with links: published links the published attestations without crashing', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-path': 'app.tar.gz',
        sigstore: 'signing.json',
        'bundle-path': 'sbom.sigstore.json',
        stage: 'sbom',
        'predicate-path': 'sbom.spdx.json',
        links: 'published',
        'attestations-api': 'false',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /links: \d+ published attestation\(s\) of these subjects/);
  });
});
