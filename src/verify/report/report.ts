// What verify mode tells people: per artifact PASS or FAIL, and for every bundle tried every
// failed check with what was expected and what was found. One report object, rendered three
// ways: JSON (a file for machines), Markdown (the job summary, report-markdown.ts), text (the
// CLI, here, with the failure line of the step). Pure. The JSON
// keeps every value as read; the text and Markdown show each one through untrusted(), since
// names, sources, signers and what was found come from whoever made the bundles.

import { oneLine, type ErrorCode } from '../../common/errors.ts';
import { untrusted } from '../../output/untrusted.ts';
import { chainText } from '../chain/render.ts';
import { chainFailure } from '../chain/report.ts';
import type { ChainVerdict } from '../chain/types.ts';
import type { ArtifactVerdict } from '../judge.ts';
import { failureText } from './report-failure-text.ts';
import { failingArtifacts, FAILURES_FIRST_MAX, primaryFailure } from './report-failures.ts';
import type { VerifyReport } from './report.types.ts';
import type { CheckFailure } from '../types.ts';

export type { ReportArtifact, ReportBundle, VerifyReport } from './report.types.ts';

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
        buildSignerURI: a.buildSignerURI ?? null,
        buildSignerDigest: a.buildSignerDigest ?? null,
        sourceRepositoryURI: a.sourceRepositoryURI ?? null,
        predicateType: a.predicateType ?? null,
        attestation: a.attestation ?? null,
        logEntry: a.logEntry ?? null,
        runInvocationURI: a.runInvocationURI ?? null,
        result: a.failures.length === 0 ? 'PASS' : 'FAIL',
        failures: a.failures,
        ...(a.content !== undefined && { content: a.content }),
      })),
    })),
    unusedBundles: unused.map((u) => ({ source: u.source, failure: u.failure ?? null })),
    ...(context.chains && { chains: context.chains }),
  };
}

const firstDigest = (d: Record<string, string>): string => {
  const [alg, hex] = Object.entries(d)[0] ?? ['', ''];
  return untrusted(`${alg}:${hex}`);
};

/** Unused bundles are listed one by one only when something failed (they may be why); a pass gets one count. */
const UNUSED_NOTES_MAX = 10;

function unusedNotes(r: VerifyReport): string[] {
  const unused = r.unusedBundles;
  if (unused.length === 0) return [];
  if (r.verified) return [`note: ${unused.length} other bundle(s) read list none of the artifacts`];
  const lines = unused
    .slice(0, UNUSED_NOTES_MAX)
    .map(
      (u) =>
        `note: ${untrusted(u.source)} lists none of the artifacts${u.failure ? ` (${failureText(u.failure)})` : ''}`,
    );
  if (unused.length > UNUSED_NOTES_MAX)
    lines.push(
      `note: and ${unused.length - UNUSED_NOTES_MAX} more bundle(s) that list none of the artifacts (see --format json)`,
    );
  return lines;
}

/** The CLI's report: what failed and its fix first, then every artifact (or chain) with every reason, then the verdict. */
export function reportText(r: VerifyReport): string {
  const lines: string[] = [];
  const problems = failingArtifacts(r);
  if (problems.length > 0) {
    lines.push('What failed, and how to fix it:');
    for (const p of problems.slice(0, FAILURES_FIRST_MAX))
      lines.push(
        `  ${untrusted(p.name)}${p.stage === undefined ? '' : ` (stage ${untrusted(p.stage)})`}: ${p.advice.what}. Fix: ${p.advice.fix}.`,
      );
    if (problems.length > FAILURES_FIRST_MAX)
      lines.push(`  … and ${problems.length - FAILURES_FIRST_MAX} more failing artifact(s), listed below`);
    lines.push('');
  }
  if (r.chains !== undefined) lines.push(chainText(r.chains).trimEnd());
  for (const a of r.chains === undefined ? r.artifacts : []) {
    const passing = a.bundles.find((b) => b.result === 'PASS');
    lines.push(
      `${a.result} ${untrusted(a.name)} (${firstDigest(a.digest)})${passing ? ` — ${untrusted(passing.source)}, signed by ${passing.signer === null ? 'a trusted key' : untrusted(passing.signer)}` : ''}`,
    );
    if (a.result === 'FAIL') {
      for (const b of a.bundles) for (const f of b.failures) lines.push(`  ${untrusted(b.source)}: ${failureText(f)}`);
    }
  }
  lines.push(...unusedNotes(r));
  const failed = r.artifacts.filter((a) => a.result === 'FAIL').length;
  lines.push(
    r.verified
      ? `verified: all ${r.artifacts.length} artifact(s) passed`
      : `verification FAILED for ${failed} of ${r.artifacts.length} artifact(s)`,
  );
  return `${lines.join('\n')}\n`;
}

/** The code that ends the failure line, as every other error line ends with its code. */
const FAILED: ErrorCode = 'VERIFICATION_FAILED';

/** The step's failure line: the first failing artifacts, the first reason of each, what to do, and the code. */
export function failureLine(r: VerifyReport): string {
  const fix = failingArtifacts(r)[0]?.advice.fix;
  const toFix = fix === undefined ? '' : `. To fix: ${fix}`;
  if (r.chains !== undefined) return oneLine(`${chainFailure(r.chains).line}${toFix} [${FAILED}]`);
  const failed = r.artifacts.filter((a) => a.result === 'FAIL');
  const shown = failed.slice(0, 3).map((a) => {
    const first = primaryFailure(a);
    return `${untrusted(a.name)} (${first ? failureText(first) : 'no passing bundle'})`;
  });
  const more = failed.length > 3 ? `, and ${failed.length - 3} more` : '';
  return oneLine(
    `provenance verification failed for ${failed.length} of ${r.artifacts.length} artifact(s): ${shown.join('; ')}${more}${toFix} [${FAILED}]`,
  );
}
