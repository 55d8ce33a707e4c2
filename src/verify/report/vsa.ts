// SLSA Verification Summary Attestations (https://slsa.dev/verification_summary/v1) for the
// artifacts that passed: one statement per artifact saying who verified it, when, against which
// policy and which attestations, and at what SLSA build level. A build level is earned only by
// build provenance (SLSA provenance v1 or v0.2) that was verified and passed the policy; an
// artifact that passed on other attestations alone (a custom "lint ok", an SBOM) gets
// SLSA_BUILD_LEVEL_0, which the SLSA spec defines as the lack of SLSA and the VSA spec lists as
// a result. Build L3 is claimed only for provenance signed by a reusable workflow of another
// repository than the source, which the policy names pinned (by tag or commit), on a GitHub-hosted
// runner: that workflow's job is where the caller's build steps cannot reach (issue 19). All of it
// is read from the certificate, never from the predicate, which the signer wrote.
// Pure: signing them is the caller's business (verification never imports signing).

import { createHash } from 'node:crypto';
import { ATTESTATION_MEDIA_TYPE } from '../../stages/links.ts';
import { STAGE_PRESETS } from '../../stages/presets.ts';
import { parseRepositoryURI, parseWorkflowURI, sameName, type WorkflowName } from '../policy/certificate-view.ts';
import { builderMatches, workflowMatches } from '../policy/identity-rules.ts';
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

/** What the level of one bundle rests on: its verdict, its predicate type and its certificate's facts. */
export interface LevelEvidence {
  result: 'PASS' | 'FAIL';
  predicateType: string | null;
  runnerEnvironment: string | null;
  /** The certificate's Build Signer URI (.9) and Digest (.10), and Source Repository URI (.12). */
  buildSignerURI?: string | null;
  buildSignerDigest?: string | null;
  sourceRepositoryURI?: string | null;
}

/** The build track's level for provenance signed where the build's own steps cannot reach (a reusable workflow). */
export const ISOLATED_BUILD_LEVEL = 'SLSA_BUILD_LEVEL_3';

/** Pinned by tag or commit: a branch moves, so a workflow named at one is not named at all. */
const PINNED_REF = /^(?:refs\/tags\/\S+|[0-9a-f]{40})$/;

/**
 * The signer workflows the policy names pinned, read from the report's policy (describe-policy.ts:
 * `signer-workflow` a list, `builder-id` one URI). A require-chain stage's own signer rules are not
 * read: such a chain is claimed no higher than L2, which errs low.
 */
function pinnedSigners(
  policy: Record<string, unknown>,
): ((signer: WorkflowName, digest: string | undefined) => boolean)[] {
  const workflows = policy['signer-workflow'];
  const builder = policy['builder-id'];
  const byWorkflow = (Array.isArray(workflows) ? workflows : [])
    .filter(
      (w): w is string => typeof w === 'string' && w.includes('@') && PINNED_REF.test(w.slice(w.indexOf('@') + 1)),
    )
    .map((w) => (signer: WorkflowName, digest: string | undefined) => workflowMatches(w, signer, digest));
  const builderName = typeof builder === 'string' ? parseWorkflowURI(builder) : undefined;
  const byBuilder =
    builderName !== undefined && PINNED_REF.test(builderName.ref)
      ? [(signer: WorkflowName, digest: string | undefined) => builderMatches(builderName, signer, digest)]
      : [];
  return [...byWorkflow, ...byBuilder];
}

/**
 * Build L3: signed by a reusable workflow of another repository than the source (a plain step's
 * Build Signer URI names the source repository itself, whatever its predicate claims), that
 * workflow named pinned by the policy, on a GitHub-hosted runner.
 */
function isolatedSigner(bundle: LevelEvidence, policy: Record<string, unknown>): boolean {
  const signer = parseWorkflowURI(bundle.buildSignerURI ?? undefined);
  const source = parseRepositoryURI(bundle.sourceRepositoryURI ?? undefined);
  if (bundle.runnerEnvironment !== 'github-hosted' || signer === undefined || source === undefined) return false;
  const sameRepository =
    sameName(signer.host, source.host) && sameName(signer.owner, source.owner) && sameName(signer.repo, source.repo);
  const digest = bundle.buildSignerDigest ?? undefined;
  return !sameRepository && pinnedSigners(policy).some((named) => named(signer, digest));
}

/**
 * The build level an artifact's passing bundles support: the highest any passing build provenance
 * earns (each one passed every check and the policy), else NO_BUILD_LEVEL. A bundle of any other
 * predicate type says nothing about how the artifact was built, whoever signed it. Without the
 * policy (or with one naming no pinned signer workflow) nothing above L2 is claimed.
 */
export function buildLevel(bundles: readonly LevelEvidence[], policy: Record<string, unknown> = {}): string {
  const levels = bundles
    .filter((b) => b.result === 'PASS' && b.predicateType !== null && BUILD_PROVENANCE.includes(b.predicateType))
    .map((b) => (isolatedSigner(b, policy) ? ISOLATED_BUILD_LEVEL : verifiedLevel(b.runnerEnvironment)));
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
          verifiedLevels: [buildLevel(artifact.bundles, report.policy)],
          slsaVersion: '1.0',
        },
      },
    ];
  });
}
