// `provenance verify-bundle`: the Sigstore conformance suite's client protocol
// (sigstore-conformance docs/cli_protocol.md), so the suite can drive our verifier:
//   verify-bundle [--staging] --bundle FILE --certificate-identity IDENTITY --certificate-oidc-issuer URL [--trusted-root FILE] FILE_OR_DIGEST
//   verify-bundle [--staging] --bundle FILE --key PATH_TO_KEY [--trusted-root FILE] FILE_OR_DIGEST
// Arguments come in exactly this order. Exit 0 when the bundle verifies; otherwise 1 and one line
// on stderr naming the failed check (2 for a command line that does not follow the protocol).
// Without --trusted-root the production instance's current root is fetched through TUF (the shipped
// snapshot when it is out of reach); --trusted-root also takes verify mode's named roots, e.g.
// public-good-offline for the snapshot without any request.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { errorLine, ProvenanceError } from '../common/errors.ts';
import { verifyBundleCrypto, type ArtifactInput } from './crypto/index.ts';
import { failureText } from './report/report-failure-text.ts';
import { createTrust, loadTrustedRoots, type Trust } from './trust/index.ts';
import { VerificationError } from './types.ts';

export interface CommandIO {
  stderr(line: string): void;
}

interface Invocation {
  staging: boolean;
  bundle: string;
  signer: { identity: string; issuer: string } | { keyFile: string };
  trustedRoot: string | undefined;
  fileOrDigest: string;
}

const USAGE =
  'verify-bundle [--staging] --bundle FILE (--certificate-identity IDENTITY --certificate-oidc-issuer URL | --key FILE) [--trusted-root FILE] FILE_OR_DIGEST';
const DIGEST = /^sha256:([0-9a-fA-F]{64})$/;

// The public-good root is fetched and parsed once per process, however many bundles are verified.
let publicGood: Promise<Trust> | undefined;

export async function verifyBundleCommand(
  args: readonly string[],
  io: CommandIO = { stderr: (line) => process.stderr.write(`${line}\n`) },
): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseArgs(args);
  } catch (err) {
    io.stderr(`verify-bundle: ${errorLine(err)}`);
    return 2;
  }
  try {
    await verifyInvocation(invocation, io);
    return 0;
  } catch (err) {
    io.stderr(`verify-bundle: ${err instanceof VerificationError ? failureText(err.failure) : errorLine(err)}`);
    return 1;
  }
}

async function verifyInvocation(inv: Invocation, io: CommandIO): Promise<void> {
  const trust = await trustFor(inv, io);
  const bundle = await readInput(inv.bundle, 'bundle');
  const key = 'keyFile' in inv.signer ? (await readInput(inv.signer.keyFile, 'key')).toString('utf8') : undefined;
  const verified = verifyBundleCrypto(bundle, trust, {
    artifact: await artifactOf(inv.fileOrDigest),
    ...(key === undefined ? {} : { key }),
  });
  if ('identity' in inv.signer) {
    const { identity, issuer } = inv.signer;
    const facts = verified.certificate;
    // Exact comparison: the protocol's identity is a value, not a pattern.
    if (facts?.subjectAlternativeName !== identity) {
      throw new VerificationError({
        check: 'certificate-identity',
        expected: identity,
        found: facts?.subjectAlternativeName ?? 'no certificate',
      });
    }
    if (facts.issuer !== issuer) {
      throw new VerificationError({
        check: 'certificate-oidc-issuer',
        expected: issuer,
        found: facts.issuer ?? 'no issuer extension',
      });
    }
  }
}

async function trustFor(inv: Invocation, io: CommandIO): Promise<Trust> {
  // A fallback to the shipped public-good root is said on stderr; the exit code stays the verdict.
  const options = { log: { warning: (message: string) => io.stderr(`verify-bundle: warning: ${message}`) } };
  if (inv.trustedRoot !== undefined)
    return createTrust(await loadTrustedRoots(inv.trustedRoot, process.cwd(), options));
  if (inv.staging) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      "--staging needs a trusted root: the staging instance's is not built in",
      "Pass --trusted-root with the staging instance's trusted_root.json",
    );
  }
  // The protocol's default is the production instance: its current root, through TUF.
  publicGood ??= loadTrustedRoots('public-good', process.cwd(), options).then(createTrust);
  return publicGood;
}

// FILE_OR_DIGEST is a digest only when it looks like one and no such file exists.
async function artifactOf(fileOrDigest: string): Promise<ArtifactInput> {
  const digest = DIGEST.exec(fileOrDigest);
  if (digest?.[1] !== undefined && !existsSync(fileOrDigest))
    return { digest: { algorithm: 'sha256', hex: digest[1].toLowerCase() } };
  return { data: await readInput(fileOrDigest, 'artifact') };
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ProvenanceError(
      what === 'artifact' ? 'SUBJECT_UNREADABLE' : 'INPUT_INVALID',
      `cannot read the ${what} ${file} (${code})`,
      `Give the path of an existing ${what} file`,
      { cause: err },
    );
  }
}

function parseArgs(args: readonly string[]): Invocation {
  let i = 0;
  const take = (flag: string): string | undefined => {
    if (args[i] !== flag) return undefined;
    const value = args[i + 1];
    if (value === undefined) throw usageError(`${flag} needs a value`);
    i += 2;
    return value;
  };
  const staging = args[i] === '--staging';
  if (staging) i++;
  const bundle = take('--bundle');
  if (bundle === undefined) throw usageError(`expected --bundle, found ${JSON.stringify(args[i] ?? 'nothing')}`);
  let signer: Invocation['signer'];
  const identity = take('--certificate-identity');
  if (identity !== undefined) {
    const issuer = take('--certificate-oidc-issuer');
    if (issuer === undefined)
      throw usageError(
        `expected --certificate-oidc-issuer after --certificate-identity, found ${JSON.stringify(args[i] ?? 'nothing')}`,
      );
    signer = { identity, issuer };
  } else {
    const keyFile = take('--key');
    if (keyFile === undefined)
      throw usageError(`expected --certificate-identity or --key, found ${JSON.stringify(args[i] ?? 'nothing')}`);
    signer = { keyFile };
  }
  const trustedRoot = take('--trusted-root');
  const fileOrDigest = args[i];
  if (fileOrDigest === undefined || i !== args.length - 1) {
    throw usageError(
      fileOrDigest === undefined
        ? 'expected FILE_OR_DIGEST last'
        : `unexpected ${JSON.stringify(args[i + 1] ?? fileOrDigest)} after FILE_OR_DIGEST`,
    );
  }
  return { staging, bundle, signer, trustedRoot, fileOrDigest };
}

function usageError(problem: string): ProvenanceError {
  return new ProvenanceError('INPUT_INVALID', problem, `Usage: provenance ${USAGE}`);
}
