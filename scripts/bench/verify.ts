// Verification throughput: 1,000 distinct bundles, signed once against the local Sigstore stack
// (kept with the other bench data under BENCH_KEEP=1), verified offline. Ours is verify mode's
// real path, bundled as dist/ is (like the hashing rows: from src, the worker would first load
// Node's TypeScript stripper): verify() itself over a workspace holding the bundles as one .jsonl
// and the artifacts' checksums — trusted root parsed once per run, bundles read and checked (in
// worker threads, as there are many), the policy applied to every artifact, the report written.
// Also ours on one thread: the same cryptographic checks and policy, in-process. Against two
// @sigstore/verify baselines measured in the same run: one process per bundle (how a CLI is
// used in a loop), and bundle by bundle in one process; and against the hardware's limit, the
// signature checks alone on every core (signature-floor.ts).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { SerializedBundle } from '@sigstore/bundle';
import type * as PoolModule from '../../src/verify/workers/crypto-pool.ts';
import type * as PolicyModule from '../../src/verify/policy/index.ts';
import type * as SettingsModule from '../../src/verify/settings.ts';
import type * as TrustModule from '../../src/verify/trust/index.ts';
import type * as VerifyModule from '../../src/verify/verify.ts';
import { startLocalServices } from '../../testkit/index.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';
import { bundleOptions } from '../bundle-options.ts';
import { bestOf, command } from './measure.ts';
import { startSignatureFloor } from './signature-floor.ts';
import type { BenchRow } from './table.ts';

const COUNT = 1000;
const PER_PROCESS_SAMPLE = 30; // processes are slow; the rate from a sample is the rate
const SIGNING_CONCURRENCY = 8;

// Bundle i attests artifact-i, whose (made-up) digest is i in hex.
const digestOf = (i: number): string => i.toString(16).padStart(64, '0');

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
        const subject = [{ name: `artifact-${i}`, digest: { sha256: digestOf(i) } }];
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

interface Bundled {
  verify: typeof VerifyModule;
  settings: typeof SettingsModule;
  policy: typeof PolicyModule;
  pool: typeof PoolModule;
  trust: typeof TrustModule;
}

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** Verify mode and its worker, built as scripts/build.ts builds dist/. */
async function bundled(outdir: string): Promise<Bundled> {
  const entries = {
    verify: 'verify/verify.ts',
    settings: 'verify/settings.ts',
    policy: 'verify/policy/index.ts',
    pool: 'verify/workers/crypto-pool.ts',
    trust: 'verify/trust/index.ts',
    'verify-worker': 'verify/workers/verify-worker.ts',
  };
  await build({
    ...bundleOptions,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(SRC, file)])),
    outdir,
  });
  const load = (name: string): Promise<unknown> => import(pathToFileURL(path.join(outdir, `${name}.js`)).href);
  return {
    verify: (await load('verify')) as typeof VerifyModule,
    settings: (await load('settings')) as typeof SettingsModule,
    policy: (await load('policy')) as typeof PolicyModule,
    pool: (await load('pool')) as typeof PoolModule,
    trust: (await load('trust')) as typeof TrustModule,
  };
}

export async function verificationRows(dir: string, runs: number): Promise<BenchRow[]> {
  const { bundles, trustedRoot, issuer } = await fixture(dir);
  const rootFile = path.join(dir, 'trusted_root.json');
  await writeFile(rootFile, JSON.stringify(trustedRoot));
  const rules: Record<string, string> = {
    'certificate-oidc-issuer': issuer,
    repository: 'octo-org/octo-repo',
    'signer-workflow': 'octo-org/octo-repo/.github/workflows/release.yml',
  };

  const out = await mkdtemp(path.join(os.tmpdir(), 'provenance-bench-verify-'));
  let oursMs = Infinity;
  let floorMs = Infinity;
  let oneThreadMs: number;
  const floor = await startSignatureFloor(COUNT);
  try {
    const code = await bundled(path.join(out, 'build'));
    // The workspace verify mode reads: every bundle on a line of one .jsonl, each artifact's digest in a checksums file.
    const ws = path.join(out, 'ws');
    await mkdir(ws);
    await writeFile(path.join(ws, 'bundles.jsonl'), bundles.map((b) => JSON.stringify(b)).join('\n'));
    await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(trustedRoot));
    await writeFile(path.join(ws, 'SHA256SUMS'), bundles.map((_, i) => `${digestOf(i)}  artifact-${i}\n`).join(''));
    const inputs: Record<string, string> = {
      ...rules,
      'subject-checksums': 'SHA256SUMS',
      'bundle-path': 'bundles.jsonl',
      'trusted-root': 'trusted_root.json',
      'report-path': 'report.json',
      'show-summary': 'false',
    };
    const get = (name: string): string => inputs[name] ?? '';
    const runtime = {
      env: {},
      workspace: ws,
      temp: ws,
      outputRoots: [],
      confined: true,
      log: { info: () => undefined, warning: () => undefined, debug: () => undefined },
      now: () => new Date(),
    };
    // Each run of verify mode is followed by one of the signature checks alone: the two bests are taken from the same minutes.
    for (let run = 0; run < runs; run++) {
      const ours = await bestOf(1, async () => {
        const { report } = await code.verify.verify(
          code.settings.verifySettings(get),
          code.policy.policyFromInputs(get, code.verify.workspaceFileReader(ws)),
          runtime,
        );
        const passed = report.artifacts.filter((a) => a.result === 'PASS').length;
        if (!report.verified || passed !== bundles.length)
          throw new Error(`verify mode passed ${passed} of ${bundles.length} bench artifacts`);
        return passed;
      });
      oursMs = Math.min(oursMs, ours.ms);
      floorMs = Math.min(floorMs, await floor.measure());
    }

    // The same checks on this thread alone: trust parsed once per run, every check made, the policy applied.
    const policy = code.policy.policyFromInputs(
      (name) => rules[name] ?? '',
      () => '',
    );
    const oneThread = await bestOf(runs, async () => {
      const trust = code.trust.createTrust([code.trust.validateTrustedRoot(trustedRoot, 'bench root')]);
      const results = await code.pool.runCryptoJobs(
        bundles.map((bundle) => ({ bundle, options: {} })),
        trust,
        { workers: 0 },
      );
      const now = new Date();
      const passed = results.filter(
        (r) => r.verified && code.policy.evaluatePolicy(policy, r.verified, now).length === 0,
      ).length;
      if (passed !== bundles.length) throw new Error(`only ${passed} of ${bundles.length} bench bundles verified`);
      return passed;
    });
    oneThreadMs = oneThread.ms;
  } finally {
    await floor.stop();
    await rm(out, { recursive: true, force: true });
  }

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
    for (const file of files)
      await command(process.execPath, ['--input-type=module', '-e', SIGSTORE_JS_ONE, rootFile, file], repo);
    return files.length;
  });

  const rate = (n: number, ms: number): number => n / (ms / 1000);
  const figure = `verify ${COUNT} bundles offline (bundles/s, higher is better)`;
  const cores = os.availableParallelism();
  return [
    {
      figure,
      ours: rate(COUNT, oursMs),
      baseline: rate(PER_PROCESS_SAMPLE, perProcess.ms),
      baselineName: '@sigstore/verify, one process per bundle',
      unit: 'bundles/s',
    },
    {
      figure,
      ours: rate(COUNT, oursMs),
      baseline: rate(COUNT, inProcess.ms),
      baselineName: '@sigstore/verify, bundle by bundle in one process',
      unit: 'bundles/s',
    },
    {
      figure,
      ours: rate(COUNT, oursMs),
      baseline: rate(floor.bundles, floorMs),
      baselineName: `the 5 signature checks alone, on all ${os.availableParallelism()} cores: the hardware's limit`,
      unit: 'bundles/s',
    },
    {
      figure: `verify ${COUNT} bundles offline on one of ${cores} cores (bundles/s, higher is better)`,
      ours: rate(COUNT, oneThreadMs),
      baseline: rate(COUNT, inProcess.ms),
      baselineName: '@sigstore/verify, bundle by bundle in one process',
      unit: 'bundles/s',
    },
  ];
}
