// Verification throughput: 1,000 distinct bundles, signed once against the local Sigstore stack
// (kept with the other bench data under BENCH_KEEP=1), verified offline by verify mode's
// cryptographic and policy layers in this process, against two @sigstore/verify baselines
// measured in the same run: one process per bundle (how a CLI is used in a loop), and bundle
// by bundle in one process.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SerializedBundle } from '@sigstore/bundle';
import { verifyBundleCrypto } from '../../src/verify/crypto/index.ts';
import { evaluatePolicy } from '../../src/verify/policy/index.ts';
import { createTrust, validateTrustedRoot } from '../../src/verify/trust/index.ts';
import { startLocalServices } from '../../testkit/index.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';
import { bestOf, command } from './measure.ts';
import type { BenchRow } from './table.ts';

const COUNT = 1000;
const PER_PROCESS_SAMPLE = 30; // processes are slow; the rate from a sample is the rate
const SIGNING_CONCURRENCY = 8;

interface Fixture {
  bundles: SerializedBundle[];
  trustedRoot: unknown;
  issuer: string;
}

async function fixture(dir: string): Promise<Fixture> {
  const file = path.join(dir, 'bundles.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Fixture;
  const services = await startLocalServices();
  try {
    const bundles: SerializedBundle[] = new Array<SerializedBundle>(COUNT);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < COUNT; i = next++) {
        const subject = [{ name: `artifact-${i}`, digest: { sha256: i.toString(16).padStart(64, '0') } }];
        bundles[i] = await signStatement(services, provenanceStatement(services, subject));
      }
    };
    await Promise.all(Array.from({ length: SIGNING_CONCURRENCY }, worker));
    const made: Fixture = { bundles, trustedRoot: services.sigstore.trustedRoot, issuer: services.issuer.issuer };
    await writeFile(file, JSON.stringify(made));
    return made;
  } finally {
    await services.stop();
  }
}

const SIGSTORE_JS_ONE = `
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
const [rootFile, bundleFile] = process.argv.slice(1);
const root = JSON.parse(readFileSync(rootFile, 'utf8'));
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
new Verifier(toTrustMaterial(TrustedRoot.fromJSON(root))).verify(toSignedEntity(bundleFromJSON(bundle)));
`;

export async function verificationRows(dir: string, runs: number): Promise<BenchRow[]> {
  const { bundles, trustedRoot, issuer } = await fixture(dir);
  const rootFile = path.join(dir, 'trusted_root.json');
  await writeFile(rootFile, JSON.stringify(trustedRoot));
  const policy = { certificateOidcIssuer: issuer, repository: 'octo-org/octo-repo', signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'] };

  // Ours: trust material parsed once per run, as verify mode does; every check made.
  const ours = await bestOf(runs, () => {
    const trust = createTrust([validateTrustedRoot(trustedRoot, 'bench root')]);
    const now = new Date();
    let passed = 0;
    for (const bundle of bundles) if (evaluatePolicy(policy, verifyBundleCrypto(bundle, trust), now).length === 0) passed++;
    if (passed !== bundles.length) throw new Error(`only ${passed} of ${bundles.length} bench bundles verified`);
    return Promise.resolve(passed);
  });

  const { bundleFromJSON } = await import('@sigstore/bundle');
  const { TrustedRoot } = await import('@sigstore/protobuf-specs');
  const { toSignedEntity, toTrustMaterial, Verifier } = await import('@sigstore/verify');
  const inProcess = await bestOf(runs, () => {
    const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)));
    for (const bundle of bundles) verifier.verify(toSignedEntity(bundleFromJSON(bundle)));
    return Promise.resolve(bundles.length);
  });

  // Evaluated from the repository root (-e resolves packages against the working directory),
  // each process reading only its own bundle, as a shell loop over files would.
  const files: string[] = [];
  for (let i = 0; i < PER_PROCESS_SAMPLE; i++) {
    files.push(path.join(dir, `one-${i}.sigstore.json`));
    await writeFile(files[i] ?? '', JSON.stringify(bundles[i]));
  }
  const repo = path.resolve(import.meta.dirname, '..', '..');
  const perProcess = await bestOf(1, async () => {
    for (const file of files) await command(process.execPath, ['--input-type=module', '-e', SIGSTORE_JS_ONE, rootFile, file], repo);
    return files.length;
  });

  const rate = (n: number, ms: number): number => n / (ms / 1000);
  return [
    { figure: `verify ${COUNT} bundles offline (bundles/s, higher is better)`, ours: rate(COUNT, ours.ms), baseline: rate(PER_PROCESS_SAMPLE, perProcess.ms), baselineName: '@sigstore/verify, one process per bundle', unit: 'bundles/s' },
    { figure: `verify ${COUNT} bundles offline (bundles/s, higher is better)`, ours: rate(COUNT, ours.ms), baseline: rate(COUNT, inProcess.ms), baselineName: '@sigstore/verify, bundle by bundle in one process', unit: 'bundles/s' },
  ];
}
