#!/usr/bin/env node
// Entry point of the `provenance` command (dist/cli.js): the action's modes for other CI systems
// and laptops. Same inputs as flags, same one-line errors; stdout carries only results (bundle
// paths), everything else goes to stderr.

import { attestSettings, loadAttester } from './attest/index.ts';
import { errorLine, ProvenanceError } from './common/errors.ts';
import type { Runtime } from './common/runtime.ts';
import { parseFlags, ATTEST_FLAGS, VERIFY_FLAGS, usage } from './inputs/cli-flags.ts';
import { untrusted } from './output/untrusted.ts';
import { loadConformance, loadVerifier, reportText, verifySettings } from './verify/index.ts';

const stderr = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * The @actions/* libraries talk to a runner through "::command::" lines on stdout. Outside a
 * runner those are noise, and stdout is reserved for results, so they are dropped (debug) or
 * moved to stderr (anything else) before any library code runs.
 */
function keepStdoutForResults(): void {
  const write = process.stdout.write.bind(process.stdout);
  const filtered = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('::debug::')) return true;
    if (text.startsWith('::')) return process.stderr.write(text);
    return write(chunk, ...rest);
  };
  process.stdout.write = filtered;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    // `provenance help verify` is read as `provenance verify --help`.
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(usage(topic === 'attest' || topic === 'verify' ? topic : undefined));
    return command === undefined ? 2 : 0;
  }
  // Each command loads its own machinery, so start-up (and --help) stays fast.
  if (command === 'verify-bundle') return (await loadConformance()).verifyBundleCommand(rest);
  if (command === 'verify') return verifyCommand(rest);
  if (command !== 'attest') {
    stderr(`provenance: unknown command "${command}". Run "provenance --help" for the commands [INPUT_INVALID]`);
    return 2;
  }
  const flags = parseFlags(rest, ATTEST_FLAGS);
  if (flags.has('help')) {
    process.stdout.write(usage('attest'));
    return 0;
  }
  // As in a workflow, the GitHub token defaults to the job's; a laptop usually has none, and publishing is then skipped.
  const settings = attestSettings(
    (name) => flags.get(name) ?? (name === 'github-token' ? (process.env['GITHUB_TOKEN'] ?? '') : ''),
  );
  const { attest, attestSummaryText, publish } = await loadAttester();
  const runtime = cliRuntime({ info: stderr, warning: (m: string) => stderr(`warning: ${m}`), debug: () => undefined });
  const outcome = await attest(settings, runtime);
  const published = await publish(outcome, settings, runtime).catch(async (err: unknown) => {
    await outcome.staged.discard();
    throw err;
  });
  await outcome.staged.commit();
  if (settings.showSummary) process.stderr.write(attestSummaryText(outcome.report));
  for (const url of [...published.attestationUrls, ...published.releaseAssets]) stderr(`published: ${untrusted(url)}`);
  process.stdout.write(`${outcome.bundleFile}\n`);
  return 0;
}

/** `provenance verify`: the report on stdout (text or JSON), exit status 0 only when every artifact passed. */
async function verifyCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, VERIFY_FLAGS);
  if (flags.has('help')) {
    process.stdout.write(usage('verify'));
    return 0;
  }
  const get = (name: string): string => flags.get(name) ?? '';
  const format = get('format') || 'text';
  if (format !== 'text' && format !== 'json') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `--format: "${format}" is neither text nor json`,
      'Use --format text (default) or --format json',
    );
  }
  const settings = verifySettings((name) =>
    name === 'github-token' && !flags.has(name) ? (process.env['GITHUB_TOKEN'] ?? '') : get(name),
  );
  // The policy loads here, not at start-up: reading a policy file needs the YAML parser.
  const [{ verify, workspaceFileReader, policyFromInputs }, { writeSummaryAttestations }] = await Promise.all([
    loadVerifier(),
    import('./summary-attestation.ts'),
  ]);
  const runtime = cliRuntime({ info: stderr, warning: (m: string) => stderr(`warning: ${m}`), debug: () => undefined });
  const policy = policyFromInputs(get, workspaceFileReader(runtime.workspace, runtime));
  // The report goes to stdout; a file only when --report-path asks for one.
  const { report } = await verify(settings, policy, {
    ...runtime,
    log: { info: () => undefined, warning: (m) => stderr(`warning: ${m}`), debug: () => undefined },
  });
  process.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
  if (settings.vsaPath !== undefined) {
    const vsaFile = await writeSummaryAttestations(
      report,
      { vsaPath: settings.vsaPath, sigstore: settings.sigstore, policyFile: settings.policyFile },
      runtime,
    );
    if (vsaFile !== undefined) stderr(`verification summary attestations: ${vsaFile}`);
  }
  return report.verified ? 0 : 1;
}

/**
 * Paths on a laptop or another CI system: relative ones against the current directory, any
 * absolute one allowed (the workspace rule is the action's, where GITHUB_WORKSPACE means
 * something), and bundles written to the current directory unless --bundle-path says otherwise.
 */
function cliRuntime(log: Runtime['log']): Runtime {
  const workspace = process.cwd();
  return { env: process.env, workspace, temp: undefined, outputRoots: [], confined: false, log, now: () => new Date() };
}

keepStdoutForResults();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    stderr(`provenance: ${errorLine(err)}`);
    process.exitCode = 1;
  },
);
