// npm run demo: the bundled action, end to end, on this machine alone. Starts a local Sigstore
// (Fulcio, Rekor, TSA) and a GitHub-style OIDC issuer on 127.0.0.1, runs dist/index.js exactly as
// a runner would on sample files, prints the job summary, then verifies the result offline three
// ways. Leaves demo-output/ (artifacts, bundles, trusted_root.json) for any other verifier.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GITHUB_WORKFLOW_BUILD_TYPE, SLSA_PROVENANCE_V1 } from '../src/attest/provenance/predicate.ts';
import { startLocalServices, type TrustedRootJSON } from '../testkit/index.ts';
import { REPO_ROOT, runAction } from '../testkit/runner.ts';
import { readBundles, statementOf, verifyDSSEWithOpenSSL, verifyWithSigstoreJs } from '../testkit/verify.ts';

// DEMO_OUTPUT lets the test suite run the demo without touching a developer's demo-output/.
const out = path.resolve(process.env['DEMO_OUTPUT'] ?? path.join(REPO_ROOT, 'demo-output'));
const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const ARTIFACTS: Record<string, string> = {
  'hello-linux-amd64': 'ELF pretend binary for linux/amd64\n',
  'hello-darwin-arm64': 'Mach-O pretend binary for darwin/arm64\n',
  'hello-windows-amd64.exe': 'PE pretend binary for windows/amd64\n',
};

async function main(): Promise<number> {
  const started = Date.now();
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, 'artifacts'), { recursive: true });
  for (const [name, content] of Object.entries(ARTIFACTS)) await writeFile(path.join(out, 'artifacts', name), content);

  const services = await startLocalServices();
  try {
    await writeFile(path.join(out, 'trusted_root.json'), `${JSON.stringify(services.sigstore.trustedRoot, null, 2)}\n`);
    await writeFile(
      path.join(out, 'signing_config.json'),
      `${JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: true }), null, 2)}\n`,
    );
    say(
      `local Fulcio ${services.sigstore.fulcioURL}, Rekor ${services.sigstore.rekorURL}, TSA ${services.sigstore.tsaURL}, OIDC issuer ${services.issuer.issuer}`,
    );
    say('running node dist/index.js with subject-path: artifacts/* ...');

    const run = await runAction(services, {
      workspace: out,
      inputs: { 'subject-path': 'artifacts/*', sigstore: 'signing_config.json', 'bundle-path': 'bundles' },
    });
    // ::debug:: lines are hidden on a runner unless debug logging is on; hide them here too.
    process.stdout.write(
      run.stdout
        .split('\n')
        .filter((l) => l && !l.startsWith('::debug::'))
        .map((l) => `  | ${l}\n`)
        .join(''),
    );
    if (run.code !== 0) {
      say(`the action failed (exit ${run.code}): ${run.errors.join(' ')}`);
      return 1;
    }
    say('\n--- job summary (GITHUB_STEP_SUMMARY) ---');
    say(run.summary);

    const bundleFile = run.outputs['bundle-path'] ?? '';
    const bundles = readBundles(await readFile(bundleFile, 'utf8'));
    const identity = {
      san: `https://github.com/${services.issuer.claims.job_workflow_ref}`,
      issuer: services.issuer.issuer,
    };
    say('--- offline verification ---');
    // Verified against the file left on disk, exactly what a third-party verifier would be given.
    const trustedRoot = JSON.parse(await readFile(path.join(out, 'trusted_root.json'), 'utf8')) as TrustedRootJSON;
    const listed = new Set<string>();
    for (const bundle of bundles) {
      verifyWithSigstoreJs(bundle, trustedRoot, identity);
      say(`@sigstore/verify: OK against demo-output/trusted_root.json for ${identity.san}`);
      say(`openssl: ${await verifyDSSEWithOpenSSL(bundle)}`);
      const statement = statementOf(bundle);
      const buildType = (statement.predicate as { buildDefinition?: { buildType?: unknown } }).buildDefinition
        ?.buildType;
      if (statement.predicateType !== SLSA_PROVENANCE_V1 || buildType !== GITHUB_WORKFLOW_BUILD_TYPE) {
        throw new Error(`unexpected predicate ${statement.predicateType} / ${String(buildType)}`);
      }
      say(`predicate: ${statement.predicateType}, buildType ${buildType}`);
      for (const subject of statement.subject) {
        const actual = createHash('sha256')
          .update(await readFile(path.join(out, 'artifacts', subject.name)))
          .digest('hex');
        if (actual !== subject.digest['sha256']) throw new Error(`digest mismatch for ${subject.name}`);
        listed.add(subject.name);
        say(`subject ${subject.name}: sha256 ${actual} matches the file`);
      }
    }
    const missing = Object.keys(ARTIFACTS).filter((name) => !listed.has(name));
    if (missing.length > 0) throw new Error(`sample files missing from the statement: ${missing.join(', ')}`);
    say(
      `\ndemo-output/: artifacts/, ${path.relative(out, bundleFile)}, trusted_root.json, signing_config.json (${Date.now() - started} ms)`,
    );
    return 0;
  } finally {
    await services.stop();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  say(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
});
