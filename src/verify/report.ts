// What verify mode tells people: per artifact PASS or FAIL, and for every bundle tried every
// failed check with what was expected and what was found. One report object, rendered three
// ways: JSON (a file for machines), Markdown (the job summary), text (the CLI). Pure. The JSON
// keeps every value as read; the text and Markdown show each one through untrusted(), since
// names, sources, signers and what was found come from whoever made the bundles.

import { oneLine, type ErrorCode } from '../errors.ts';
import { FAILURE_FIELD_MAX, markdownCode, markdownText, untrusted } from '../output/untrusted.ts';
import { chainMarkdown, chainText } from './chain/render.ts';
import { chainFailure } from './chain/report.ts';
import type { ChainVerdict } from './chain/types.ts';
import type { ArtifactVerdict } from './judge.ts';
import type { CheckFailure, CheckName } from './types.ts';

export interface VerifyReport {
  verified: boolean;
  time: string;
  trustedRoot: string;
  policy: Record<string, unknown>;
  artifacts: {
    name: string;
    digest: Record<string, string>;
    result: 'PASS' | 'FAIL';
    /** `attestation`: sha256 hex of the signed statement of a verified bundle (null otherwise), how it is cited. */
    bundles: { source: string; signer: string | null; runnerEnvironment: string | null; predicateType: string | null; attestation: string | null; result: 'PASS' | 'FAIL'; failures: CheckFailure[] }[];
  }[];
  /** Bundles that list none of the artifacts (or could not be read at all). */
  unusedBundles: { source: string; failure: CheckFailure | null }[];
  /** With require-chain: each artifact's chain, stage by stage (then `artifacts` lists one entry per stage). */
  chains?: ChainVerdict[];
}

export function buildReport(
  verdicts: readonly ArtifactVerdict[],
  unused: readonly { source: string; failure: CheckFailure | undefined }[],
  context: { time: Date; trustedRoot: string; policy: Record<string, unknown>; chains?: ChainVerdict[] },
): VerifyReport {
  return {
    verified: verdicts.length > 0 && verdicts.every((v) => v.passed),
    time: context.time.toISOString(),
    trustedRoot: context.trustedRoot,
    policy: context.policy,
    artifacts: verdicts.map((v) => ({
      name: v.artifact.name,
      digest: v.artifact.digest,
      result: v.passed ? 'PASS' : 'FAIL',
      bundles: v.attempts.map((a) => ({
        source: a.source,
        signer: a.signer ?? null,
        runnerEnvironment: a.runnerEnvironment ?? null,
        predicateType: a.predicateType ?? null,
        attestation: a.attestation ?? null,
        result: a.failures.length === 0 ? 'PASS' : 'FAIL',
        failures: a.failures,
      })),
    })),
    unusedBundles: unused.map((u) => ({ source: u.source, failure: u.failure ?? null })),
    ...(context.chains && { chains: context.chains }),
  };
}

/** One failed check on one line: expected and found are shown through untrusted() (found is often quoted from the bundle). */
export const failureText = (f: CheckFailure): string => `${f.check}: expected ${untrusted(f.expected, FAILURE_FIELD_MAX)}, found ${untrusted(f.found, FAILURE_FIELD_MAX)}`;

const firstDigest = (d: Record<string, string>): string => {
  const [alg, hex] = Object.entries(d)[0] ?? ['', ''];
  return untrusted(`${alg}:${hex}`);
};

export function reportText(r: VerifyReport): string {
  const lines: string[] = [];
  if (r.chains !== undefined) lines.push(chainText(r.chains).trimEnd());
  for (const a of r.chains === undefined ? r.artifacts : []) {
    const passing = a.bundles.find((b) => b.result === 'PASS');
    lines.push(`${a.result} ${untrusted(a.name)} (${firstDigest(a.digest)})${passing ? ` — ${untrusted(passing.source)}, signed by ${passing.signer === null ? 'a trusted key' : untrusted(passing.signer)}` : ''}`);
    if (a.result === 'FAIL') {
      for (const b of a.bundles) for (const f of b.failures) lines.push(`  ${untrusted(b.source)}: ${failureText(f)}`);
    }
  }
  for (const u of r.unusedBundles) lines.push(`note: ${untrusted(u.source)} lists none of the artifacts${u.failure ? ` (${failureText(u.failure)})` : ''}`);
  const failed = r.artifacts.filter((a) => a.result === 'FAIL').length;
  lines.push(r.verified ? `verified: all ${r.artifacts.length} artifact(s) passed` : `verification FAILED for ${failed} of ${r.artifacts.length} artifact(s)`);
  return `${lines.join('\n')}\n`;
}

const code = (s: string): string => markdownCode(s, FAILURE_FIELD_MAX);

/** Markdown for the job summary; large runs list failures first and cap the rows. */
export function reportMarkdown(r: VerifyReport, maxRows = 200): string {
  if (r.chains !== undefined) return `${chainMarkdown(r.chains, maxRows)}\nTrusted root: ${markdownText(r.trustedRoot)}. Checked at ${r.time}.\n`;
  const failed = r.artifacts.filter((a) => a.result === 'FAIL');
  const title = r.verified ? `## Provenance verified: ${r.artifacts.length} artifact(s) passed` : `## Provenance verification failed: ${failed.length} of ${r.artifacts.length} artifact(s)`;
  const rows: string[] = [];
  const ordered = [...failed, ...r.artifacts.filter((a) => a.result === 'PASS')];
  for (const a of ordered.slice(0, maxRows)) {
    const shown = a.result === 'PASS' ? a.bundles.filter((b) => b.result === 'PASS').slice(0, 1) : a.bundles;
    for (const b of shown) {
      const checks = b.failures.map((f) => `${code(f.check)}: expected ${code(f.expected)}, found ${code(f.found)}`).join('<br>');
      rows.push(`| ${code(a.name)} | ${a.result === 'PASS' ? '✅ PASS' : '❌ FAIL'} | ${code(b.source)} | ${b.signer ? code(b.signer) : ''} | ${checks} |`);
    }
  }
  const rest = ordered.length - maxRows;
  return [
    title,
    '',
    `Trusted root: ${markdownText(r.trustedRoot)}. Checked at ${r.time}.`,
    '',
    '| Artifact | Result | Bundle | Signer | Failed checks |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...(rest > 0 ? [`| … ${rest} more | | | | see the JSON report |`] : []),
    '',
  ].join('\n');
}

/** What someone who did not write the policy should do about each kind of failure. */
export function remedy(check: CheckName): string {
  switch (check) {
    case 'subject-digest':
      return 'no bundle read lists this artifact: check it is exactly the file or image the release built, and that its bundle is where verify mode looks (bundle-path, the image\'s registry, release, attestations-api)';
    case 'repository':
    case 'owner':
    case 'signer-workflow':
    case 'signer-repository':
    case 'source-ref':
    case 'source-digest':
    case 'builder-id':
    case 'certificate-identity':
    case 'certificate-oidc-issuer':
    case 'runner-environment':
      return 'the artifact was built somewhere the policy does not allow: use the artifact from the allowed workflow and ref, or change the policy if this origin is intended';
    case 'predicate-type':
      return 'the bundle attests something else than the policy asks for: pass the provenance bundle, or set predicate-type';
    case 'max-age':
      return 'the signature is older than max-age allows: rebuild and re-attest, or relax max-age';
    case 'predicate-matches-certificate':
      return 'the provenance contradicts its own signing certificate: treat the artifact as forged and do not deploy it';
    case 'chain-stage':
      return 'a stage of the release chain has no attestation for this artifact: run that stage\'s attest step for this exact artifact, and make its bundle readable where verify mode looks';
    case 'chain-link':
      return 'a stage\'s attestation does not build on the one before: re-run that stage with links pointing at the previous stage\'s bundle (or links: published)';
    case 'stage-result':
      return 'the stage ran, and its own attestation says it did not pass (or, for an approval, that nobody approved it): fix what the stage found and run it again, or run the approval in a job with the deployment environment whose reviewers must approve';
    case 'trusted-root':
      return 'the trusted root itself is unusable: fix or replace the trusted-root file';
    case 'public-key':
      return 'the bundle was signed with another key than the one given in key';
    case 'bundle-format':
    case 'signature':
    case 'certificate-chain':
    case 'sct':
    case 'tlog':
    case 'timestamp':
      return 'the bundle is damaged, forged, or from an instance you do not trust: download it again or re-run the attest step, and check trusted-root';
  }
}

/** The code that ends the failure line, as every other error line ends with its code. */
const FAILED: ErrorCode = 'VERIFICATION_FAILED';

/** The step's failure line: the first failing artifacts, the first reason of each, what to do, and the code. */
export function failureLine(r: VerifyReport): string {
  if (r.chains !== undefined) {
    const { line, first } = chainFailure(r.chains);
    return oneLine(`${first ? `${line}. To fix: ${remedy(first.check)}` : line} [${FAILED}]`);
  }
  const failed = r.artifacts.filter((a) => a.result === 'FAIL');
  const firsts = failed.map((a) => a.bundles[0]?.failures[0]);
  const shown = failed.slice(0, 3).map((a, i) => {
    const first = firsts[i];
    return `${untrusted(a.name)} (${first ? failureText(first) : 'no passing bundle'})`;
  });
  const more = failed.length > 3 ? `, and ${failed.length - 3} more` : '';
  const firstCheck = firsts.find((f) => f !== undefined)?.check;
  const fix = firstCheck ? `. To fix: ${remedy(firstCheck)}` : '';
  return oneLine(`provenance verification failed for ${failed.length} of ${r.artifacts.length} artifact(s): ${shown.join('; ')}${more}${fix} [${FAILED}]`);
}
