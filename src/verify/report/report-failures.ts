// Which failure explains each failing artifact, for the "what failed, and how to fix it" lines
// that come before any table (summary, CLI) and for the step's failure line. An artifact may have
// been tried against many bundles; the one shown is the bundle that came closest (verified, of
// the asked-for predicate type, fewest failed checks). In a chain it is the first stage that
// failed on its own: a stage left unreached by an earlier failure is a consequence, not a cause.
// Pure.

import { adviceFor, type Advice } from './advice.ts';
import type { StageResult } from '../chain/types.ts';
import type { ReportArtifact, ReportBundle, VerifyReport } from './report.types.ts';
import type { CheckFailure } from '../types.ts';

/** Failing artifacts listed one by one before the tables; the rest are counted. */
export const FAILURES_FIRST_MAX = 20;

export interface FailingArtifact {
  name: string;
  digest: Record<string, string>;
  /** The chain stage that failed first (require-chain only), as the policy names it. */
  stage: string | undefined;
  failure: CheckFailure | undefined;
  advice: Advice;
}

const NO_REASON: Advice = { what: 'no bundle passed', fix: 'see the report for each bundle tried' };

/** Closer to passing ranks lower: a verified bundle before one that was not, the asked-for predicate type first, then fewer failures. */
function distance(b: ReportBundle): number {
  const verified = b.signer !== null || b.predicateType !== null || b.attestation !== null;
  const otherType = b.failures.some((f) => f.check === 'predicate-type');
  return (verified ? 0 : 2_000_000) + (otherType ? 1_000_000 : 0) + b.failures.length;
}

/** The failure that best explains why an artifact failed. */
export function primaryFailure(a: ReportArtifact): CheckFailure | undefined {
  let best: ReportBundle | undefined;
  for (const b of a.bundles)
    if (b.failures.length > 0 && (best === undefined || distance(b) < distance(best))) best = b;
  return best?.failures[0];
}

/** The first stage that failed by itself; only if every failing stage was merely unreached, the first of those. */
export function rootStage(stages: readonly StageResult[]): StageResult | undefined {
  return stages.find((s) => s.status !== 'pass' && s.status !== 'unreached') ?? stages.find((s) => s.status !== 'pass');
}

/** Every failing artifact (or chain) in report order, with the failure that explains it and its advice. */
export function failingArtifacts(r: VerifyReport): FailingArtifact[] {
  if (r.chains !== undefined) {
    return r.chains
      .filter((c) => !c.passed)
      .map((c) => {
        const stage = rootStage(c.stages);
        const failure = stage?.failures[0];
        return {
          name: c.artifact.name,
          digest: c.artifact.digest,
          stage: stage?.label,
          failure,
          advice: failure ? adviceFor(failure) : NO_REASON,
        };
      });
  }
  return r.artifacts
    .filter((a) => a.result === 'FAIL')
    .map((a) => {
      const failure = primaryFailure(a);
      return {
        name: a.name,
        digest: a.digest,
        stage: undefined,
        failure,
        advice: failure ? adviceFor(failure) : NO_REASON,
      };
    });
}
