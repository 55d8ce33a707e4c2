// SLSA Verification Summary Attestations (https://slsa.dev/verification_summary/v1) for the
// artifacts that passed: one statement per artifact saying who verified it, when, against which
// policy and which attestations, and at what SLSA build level. A build level is earned only by
// build provenance (SLSA provenance v1 or v0.2) that was verified and passed the policy; an
// artifact that passed on other attestations alone (a custom "lint ok", an SBOM) gets
// SLSA_BUILD_LEVEL_0, which the SLSA spec defines as the lack of SLSA and the VSA spec lists as
// a result. Pure: signing them is the caller's business (verification never imports signing).

import { createHash } from 'node:crypto';
import { ATTESTATION_MEDIA_TYPE } from '../../stages/links.ts';
import { STAGE_PRESETS } from '../../stages/presets.ts';
import type { VerifyReport } from './report.ts';

export const VSA_PREDICATE_TYPE = 'https://slsa.dev/verification_summary/v1';

export interface VsaContext {
  verifierId: string; // e.g. https://github.com/OWNER/provenance-action@v1
  policyUri: string; // the policy file, or a URN for rules given as inputs
}

export interface VsaStatement {
  _type: 'https://in-toto.io/Statement/v1';
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: typeof VSA_PREDICATE_TYPE;
  predicate: Record<string, unknown>;
}

/**
 * The level the verified provenance supports: signed provenance from a hosted build platform is
 * Build L2; a self-hosted runner is not a hosted platform, so L1. Nothing more is claimed.
 */
export function verifiedLevel(runnerEnvironment: string | null): string {
  return runnerEnvironment === 'github-hosted' ? 'SLSA_BUILD_LEVEL_2' : 'SLSA_BUILD_LEVEL_1';
}

/** The build track's level when no verified build provenance passed: "No guarantees", the lack of SLSA. */
export const NO_BUILD_LEVEL = 'SLSA_BUILD_LEVEL_0';

const BUILD_PROVENANCE: readonly string[] = STAGE_PRESETS.provenance.predicateTypes;

/**
 * The build level an artifact's passing bundles support: the highest any passing build provenance
 * earns (each one passed every check and the policy), else NO_BUILD_LEVEL. A bundle of any other
 * predicate type says nothing about how the artifact was built, whoever signed it.
 */
export function buildLevel(
  bundles: readonly { result: 'PASS' | 'FAIL'; predicateType: string | null; runnerEnvironment: string | null }[],
): string {
  const levels = bundles
    .filter((b) => b.result === 'PASS' && b.predicateType !== null && BUILD_PROVENANCE.includes(b.predicateType))
    .map((b) => verifiedLevel(b.runnerEnvironment));
  return levels.sort().at(-1) ?? NO_BUILD_LEVEL;
}

/** A URI for the artifact: its name when that is already one (pkg:, https:, oci:), else a file: URI. */
export function resourceUri(name: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(name) ? name : `file:${encodeURI(name)}`;
}

export function vsaStatements(report: VerifyReport, context: VsaContext): VsaStatement[] {
  const policyDigest = createHash('sha256').update(JSON.stringify(report.policy)).digest('hex');
  return report.artifacts.flatMap((artifact, index): VsaStatement[] => {
    const passing = artifact.bundles.find((b) => b.result === 'PASS');
    if (artifact.result !== 'PASS' || !passing) return [];
    // Cited by the digest of the statement that passed, carried with it: a lookup by source label would
    // mix up a file named "x.jsonl:2" with line 2 of x.jsonl.
    const attestationDigest = passing.attestation;
    // A verified chain cites every stage's attestation, so the summary links to the whole chain.
    const chain = report.chains?.[index];
    const inputAttestations =
      chain !== undefined
        ? chain.stages.flatMap((s) =>
            s.attestation?.digest.startsWith('sha256:')
              ? [
                  {
                    uri: s.attestation.source,
                    digest: { sha256: s.attestation.digest.slice('sha256:'.length) },
                    mediaType: ATTESTATION_MEDIA_TYPE,
                  },
                ]
              : [],
          )
        : attestationDigest
          ? [{ uri: passing.source, digest: { sha256: attestationDigest }, mediaType: ATTESTATION_MEDIA_TYPE }]
          : [];
    return [
      {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: artifact.name, digest: { ...artifact.digest } }],
        predicateType: VSA_PREDICATE_TYPE,
        predicate: {
          verifier: { id: context.verifierId },
          timeVerified: report.time,
          resourceUri: resourceUri(artifact.name),
          policy: { uri: context.policyUri, digest: { sha256: policyDigest } },
          inputAttestations,
          verificationResult: 'PASSED',
          verifiedLevels: [buildLevel(artifact.bundles)],
          slsaVersion: '1.0',
        },
      },
    ];
  });
}
