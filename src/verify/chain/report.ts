// A chain verdict in the shape of the ordinary per-artifact verdict, so the JSON report, the
// summary table, annotations, the failure line and summary attestations treat a chain like any
// other verification: each stage is one "bundle tried", with the stage named in its source. Pure.

import { FAILURE_FIELD_MAX, untrusted } from '../../output/untrusted.ts';
import type { ArtifactVerdict } from '../judge.ts';
import type { CheckFailure } from '../types.ts';
import type { ChainAttestation, ChainVerdict } from './types.ts';

export function chainArtifactVerdict(chain: ChainVerdict): ArtifactVerdict {
  return {
    artifact: chain.artifact,
    passed: chain.passed,
    attempts: chain.stages.map((stage) => ({
      source: `stage "${stage.label}": ${stage.attestation?.source ?? '(no attestation)'}`,
      signer: stage.attestation?.signer,
      runnerEnvironment: stage.attestation?.runnerEnvironment,
      // The certificate facts a Build L3 claim rests on, of a passing stage only (as its predicate type).
      ...(stage.status === 'pass' && signerFactsOf(stage.attestation)),
      // Only a passing stage's attestation was verified; a failing stage's may be a claim.
      predicateType: stage.status === 'pass' ? stage.attestation?.predicateType : undefined,
      failures: stage.failures,
    })),
  };
}

function signerFactsOf(a: ChainAttestation | undefined): Partial<ChainAttestation> {
  return {
    ...(a?.buildSignerURI !== undefined && { buildSignerURI: a.buildSignerURI }),
    ...(a?.buildSignerDigest !== undefined && { buildSignerDigest: a.buildSignerDigest }),
    ...(a?.sourceRepositoryURI !== undefined && { sourceRepositoryURI: a.sourceRepositoryURI }),
  };
}

/** The step's failure line for a broken chain (the first failing stage of the first artifacts), and its first failed check. */
export function chainFailure(verdicts: readonly ChainVerdict[]): { line: string; first: CheckFailure | undefined } {
  const failed = verdicts.filter((v) => !v.passed);
  const shown = failed.slice(0, 3).map((v) => {
    const stage = v.stages.find((s) => s.status !== 'pass');
    const first = stage?.failures[0];
    return `${untrusted(v.artifact.name)}: stage "${untrusted(stage?.label ?? '?')}" ${stage?.status ?? 'failed'}${first ? ` (${first.check}: expected ${untrusted(first.expected, FAILURE_FIELD_MAX)}, found ${untrusted(first.found, FAILURE_FIELD_MAX)})` : ''}`;
  });
  const more = failed.length > 3 ? `, and ${failed.length - 3} more` : '';
  const first = failed[0]?.stages.find((s) => s.status !== 'pass')?.failures[0];
  return {
    line: `release chain broken for ${failed.length} of ${verdicts.length} artifact(s): ${shown.join('; ')}${more}`,
    first,
  };
}
