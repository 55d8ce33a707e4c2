// Verify mode as users run it: the bundled action (dist/index.js) in a workflow step, and the
// CLI (dist/cli.js), checking bundles that the bundled action made in attest mode.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { REPO_ROOT, runAction, runProcess } from '../../testkit/runner.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';
import { createHash } from 'node:crypto';

let services: LocalServices;
let ws: string;
let scratch: string;
let bundleFile: string; // workspace-relative

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'verify-e2e-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'app-linux'), 'linux build');
  await writeFile(path.join(ws, 'app-darwin'), 'darwin build');
  await writeFile(path.join(ws, 'unattested'), 'nobody signed this');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  const attest = await runAction(services, {
    scratch,
    workspace: ws,
    inputs: {
      'subject-path': 'app-*',
      sigstore: 'signing.json',
      'bundle-path': 'provenance.intoto.jsonl',
      'attestations-api': 'false',
    },
  });
  assert.equal(attest.code, 0, attest.stdout);
  bundleFile = 'provenance.intoto.jsonl';
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

const gate = (): Record<string, string> => ({
  mode: 'verify',
  'bundle-path': bundleFile,
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': services.issuer.issuer,
  repository: 'octo-org/octo-repo',
  'signer-workflow': 'octo-org/octo-repo/.github/workflows/release.yml',
  'source-ref': 'refs/tags/v*',
});

describe('verify mode in a workflow step', () => {
  it('passes attested artifacts: outputs, report file and summary', async () => {
    const run = await runAction(services, { scratch, workspace: ws, inputs: { ...gate(), 'subject-path': 'app-*' } });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
    const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
    assert.deepEqual(
      report.artifacts.map((a) => [a.name, a.result]),
      [
        ['app-darwin', 'PASS'],
        ['app-linux', 'PASS'],
      ],
    );
    assert.match(run.summary, /^## ✅ Provenance verified: 2 artifact\(s\) passed/m);
    assert.match(run.stdout, /PASS app-linux/);
  });

  it('fails the step for an artifact without provenance, annotating it and saying why in one line', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'subject-path': 'app-*, unattested' },
    });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['verified'], 'false');
    const annotation = run.stdout
      .split('\n')
      .find((l) => l.startsWith('::error title=Provenance verification failed%3A unattested::'));
    assert.ok(annotation, run.stdout);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::provenance verification failed for 1 of 3 artifact\(s\): unattested \(subject-digest: expected a bundle whose statement lists sha256:[0-9a-f]{64}, found none of the 1 bundle\(s\) read lists it\)\. To fix: attest this exact file or image/,
    );
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(errors[0], run.errors.at(-1), 'the failure line is the first error annotation');
    const fix = run.summary.indexOf('- `unattested`: **no bundle read attests this artifact**.');
    assert.ok(
      fix > 0 && fix < run.summary.indexOf('| `unattested` | ❌ no bundle read attests this artifact'),
      run.summary,
    );
  });

  it('fails when the policy names another signer workflow, with expected and found', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        ...gate(),
        'subject-path': 'app-linux',
        'signer-workflow': 'octo-org/octo-repo/.github/workflows/deploy.yml',
      },
    });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /app-linux \(signer-workflow: expected .*deploy\.yml.*, found .*release\.yml/,
    );
  });

  it('ends with one input error line when no rule names the signer', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'subject-path': 'app-linux', repository: '', 'signer-workflow': '' },
    });
    assert.equal(run.code, 1);
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0] ?? '', /needs a rule naming the signer.*\[INPUT_CONFLICT\]$/);
  });
});

describe('verify mode signs a Verification Summary Attestation for what passed', () => {
  it('one per passing artifact, itself verifiable, citing the bundle it relied on', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { ...gate(), 'subject-path': 'app-linux', 'vsa-path': 'vsa.intoto.jsonl', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['vsa-path'], path.join(ws, 'vsa.intoto.jsonl'));
    const [vsa] = readBundles(await readFile(path.join(ws, 'vsa.intoto.jsonl'), 'utf8'));
    assert.ok(vsa);
    verifyWithSigstoreJs(vsa, services.sigstore.trustedRoot, {
      san: `https://github.com/${services.issuer.claims.job_workflow_ref}`,
      issuer: services.issuer.issuer,
    });
    const statement = statementOf(vsa);
    assert.equal(statement.predicateType, 'https://slsa.dev/verification_summary/v1');
    assert.deepEqual(
      statement.subject.map((s) => s.name),
      ['app-linux'],
    );
    assert.equal(statement.predicate['verificationResult'], 'PASSED');
    assert.deepEqual(statement.predicate['verifiedLevels'], ['SLSA_BUILD_LEVEL_2']);
    const provenanceLine = (await readFile(path.join(ws, bundleFile), 'utf8')).split('\n')[0] ?? '';
    // Cited as links are: by the digest of the signed statement (the DSSE payload), not the file's bytes.
    const payload = Buffer.from(
      (JSON.parse(provenanceLine) as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload,
      'base64',
    );
    const cited = createHash('sha256').update(payload).digest('hex');
    assert.deepEqual(statement.predicate['inputAttestations'], [
      { uri: bundleFile, digest: { sha256: cited }, mediaType: 'application/vnd.in-toto+json' },
    ]);
  });
});

describe('provenance verify (CLI)', () => {
  const flags = (over: Record<string, string> = {}): string[] =>
    Object.entries({ ...gate(), ...over })
      .filter(([k]) => k !== 'mode')
      .flatMap(([k, v]) => [`--${k}`, v]);
  const cli = (args: string[]) =>
    runProcess(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), 'verify', ...args],
      { PATH: process.env['PATH'] },
      ws,
    );

  it('prints PASS lines and exits 0', async () => {
    const run = await cli(flags({ 'subject-path': 'app-*' }));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^PASS app-darwin .*\nPASS app-linux .*\nverified: all 2 artifact\(s\) passed\n$/);
  });
  it('prints the JSON report with --format json and exits 1 on a failure', async () => {
    const run = await cli([...flags({ 'subject-path': 'unattested' }), '--format', 'json']);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.equal(report.verified, false);
    assert.equal(report.artifacts[0]?.bundles[0]?.failures[0]?.check, 'subject-digest');
  });
});
