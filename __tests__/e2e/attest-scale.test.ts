// Scale, end to end: the bundled action attests 100,000 files found under one directory pattern,
// signing against the local Sigstore stack (real Fulcio and Rekor, nothing stubbed). Every file
// must come back as exactly one subject, statements split at 1,024 subjects, and a sample of the
// digests must equal sha256sum's; then the bundled verify mode passes all 100,000 on those bundles. Nothing about time or memory is asserted here (the bench
// reports both); this is about the run completing and being right.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { MAX_SUBJECTS_PER_STATEMENT } from '../../src/attest/provenance/statement.ts';
import { POOL_THRESHOLD } from '../../src/verify/workers/crypto-pool.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction } from '../../testkit/runner.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';

const DIRS = 100;
const PER_DIR = 1000;
const COUNT = DIRS * PER_DIR;

let services: LocalServices;
let scratch: string;

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'e2e-scale-'));
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** out/dNN/fNNN: tiny, all different (a few bytes each), written synchronously: 100,000 small writes. */
function writeTree(ws: string): Map<string, string> {
  const names = new Map<string, string>(); // subject name → content
  for (let d = 0; d < DIRS; d++) {
    const dir = `out/d${String(d).padStart(2, '0')}`;
    mkdirSync(path.join(ws, dir), { recursive: true });
    for (let f = 0; f < PER_DIR; f++) {
      const name = `${dir}/f${String(f).padStart(3, '0')}`;
      const content = `${d * PER_DIR + f}\n`;
      writeFileSync(path.join(ws, name), content);
      names.set(name, content);
    }
  }
  return names;
}

it(
  'attests 100,000 files: each a subject once, split into ceil(n / 1024) signed statements, digests as sha256sum',
  { timeout: 300_000 },
  async () => {
    const ws = await mkdtemp(path.join(scratch, 'ws-'));
    const files = writeTree(ws);
    await writeFile(
      path.join(ws, 'signing.json'),
      JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
    );

    // Hashing and splitting at scale, not publishing: storing 98 statements through the attestations API waits
    // GitHub's one second between writes each (docs/retries.md), so this step keeps to the bundle file.
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'out', sigstore: 'signing.json', 'attestations-api': 'false' },
    });
    assert.equal(run.code, 0, run.stdout.slice(-2000) + run.stderr.slice(-2000));
    assert.equal(run.outputs['subject-count'], String(COUNT));

    const bundles = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
    const expectedStatements = Math.ceil(COUNT / MAX_SUBJECTS_PER_STATEMENT);
    assert.equal(bundles.length, expectedStatements);
    assert.equal((run.outputs['statement-digests'] ?? '').split('\n').length, expectedStatements);

    const seen = new Map<string, string>();
    bundles.forEach((bundle, i) => {
      const { subject } = statementOf(bundle);
      assert.equal(
        subject.length,
        i < expectedStatements - 1
          ? MAX_SUBJECTS_PER_STATEMENT
          : COUNT - MAX_SUBJECTS_PER_STATEMENT * (expectedStatements - 1),
        `statement ${i}`,
      );
      for (const s of subject) {
        assert.ok(!seen.has(s.name), `${s.name} is a subject twice`);
        seen.set(s.name, s.digest['sha256'] ?? '');
      }
    });
    assert.equal(seen.size, COUNT);
    assert.deepEqual([...seen.keys()].sort(), [...files.keys()].sort(), 'the subjects are exactly the files');

    // Every 500th file against the system's sha256sum.
    const sample = [...files.keys()].filter((_, i) => i % 500 === 0);
    const sums = execFileSync('sha256sum', sample, { cwd: ws, encoding: 'utf8' }).trim().split('\n');
    assert.equal(sums.length, sample.length);
    for (const line of sums) assert.equal(seen.get(line.slice(66)), line.slice(0, 64), line);

    // The first and last bundles verify with sigstore-js (each statement is signed on its own).
    const san = `https://github.com/${services.issuer.claims.job_workflow_ref}`;
    for (const bundle of [bundles[0], bundles.at(-1)]) {
      assert.ok(bundle);
      verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, { san, issuer: services.issuer.issuer });
    }

    // And the bundled verify mode gates all 100,000 files on those bundles: more than POOL_THRESHOLD
    // of them, so (on a machine with two cores or more) dist/verify-worker.js checks part of them.
    assert.ok(bundles.length >= POOL_THRESHOLD);
    await writeFile(path.join(ws, 'scale.intoto.jsonl'), `${bundles.map((b) => JSON.stringify(b)).join('\n')}\n`);
    await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
    const inputs = {
      mode: 'verify',
      'subject-path': 'out',
      'bundle-path': 'scale.intoto.jsonl',
      'trusted-root': 'trusted_root.json',
      'certificate-oidc-issuer': services.issuer.issuer,
      repository: 'octo-org/octo-repo',
      'report-path': 'report.json',
    };
    const verified = await runAction(services, { scratch, workspace: ws, inputs });
    assert.equal(verified.code, 0, verified.stdout.slice(-2000) + verified.stderr.slice(-2000));
    const report = JSON.parse(await readFile(path.join(ws, 'report.json'), 'utf8')) as VerifyReport;
    assert.equal(report.artifacts.length, COUNT);
    assert.ok(report.artifacts.every((a) => a.result === 'PASS' && a.bundles.length === 1));
  },
);
