// The verification policy: what a verified bundle must say about who signed it, from which
// source, with which builder, and how long ago. Every rule is optional and every rule given must
// hold. Values here are already validated and normalised (by rule-values.ts); evaluate.ts judges a
// bundle against them. Two rules have defaults, applied at evaluation so a Policy built in code
// is as strict as one read from inputs. A require-chain stage (ChainStageSpec) is defined here
// beside Policy because each holds the other; chain/types.ts re-exports it for the chain modules.

import type { CelExpression } from './cel/compile.ts';

export const DEFAULT_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const DEFAULT_PREDICATE_TYPE = SLSA_PROVENANCE_V1;

export interface Policy {
  /** The certificate's OIDC issuer, exactly. Default (for certificate bundles): GitHub Actions. */
  certificateOidcIssuer?: string;
  /** OWNER/REPO of the source repository; GitHub names are case-insensitive, so is the match. */
  repository?: string;
  /** OWNER of the source repository (case-insensitive). */
  owner?: string;
  /**
   * Allowed signer workflows, each `OWNER/REPO/PATH` or `OWNER/REPO/PATH@REF` (REF `refs/...` or
   * a commit SHA). Matched whole against the build signer URI, never as a prefix.
   */
  signerWorkflow?: readonly string[];
  /** OWNER/REPO holding the signer workflow, for reusable workflows (case-insensitive). */
  signerRepository?: string;
  /** Allowed source refs: exact, or globs where `*` stays within a path segment and `**` crosses. */
  sourceRef?: readonly string[];
  /** The source commit, lowercase hex (40 for SHA-1 repositories, 64 for SHA-256 ones). */
  sourceDigest?: string;
  /** `https://HOST/OWNER/REPO/PATH@refs/...` or `...@<commit SHA>` (matched to the signer digest). */
  builderId?: string;
  /** The statement's predicate type, exactly. Default: SLSA provenance v1. */
  predicateType?: string;
  /** Refuse bundles signed on a runner that is not GitHub-hosted. */
  denySelfHostedRunners?: boolean;
  /** The longest time, in seconds, between the trusted signing time and now. */
  maxAge?: number;
  /** The certificate's subject alternative name, exactly. */
  certificateIdentity?: string;
  /** A regular expression the whole subject alternative name must match (it is anchored). */
  certificateIdentityRegexp?: string;
  /**
   * Content policies: CEL expressions over the statement and the certificate, each of which must
   * be true (docs/cel.md). Compiled when read; a stage's are its own, never inherited.
   */
  cel?: readonly CelExpression[];
  /**
   * The stages every artifact's chain must pass, in order, each with its own policy (these rules
   * with the stage's over them). When set, it decides each artifact's verdict.
   */
  requireChain?: readonly ChainStageSpec[];
}

/** One stage of require-chain, in order from the first (e.g. the build) to the last (e.g. approval). */
export interface ChainStageSpec {
  /** As the user wrote it: a preset name (sbom) or a predicate type URI. */
  label: string;
  /** What the stage records, for people: "SBOM", or the URI itself. */
  title: string;
  /** Predicate types any of which records this stage. */
  predicateTypes: readonly string[];
  /** The rules the stage's attestation must pass: the top-level policy with the stage's own rules over it. */
  policy: Policy;
  /**
   * The source stage: its attestation (a Source VSA) is about a commit, not the artifact, and joins
   * the build provenance stage right after it by that commit, with no links (src/stages/source-vsa.ts).
   */
  joinsByCommit?: boolean;
  /**
   * Approval and deployment stages only (environment=NAME, repeatable): the deployment
   * environments whose approval counts, or that the deployment must have gone to, any one of
   * them; compared ignoring case, as GitHub names environments.
   */
  environments?: readonly string[];
}

/** Parses one rule's values (from an input, a policy file or a require-chain stage line) into the part of a Policy it sets. */
export type RuleParser = (values: readonly string[], origin: string) => Partial<Policy>;

/** Rules that say who signed: without one, any GitHub repository's bundle would pass. */
export function namesSigner(policy: Policy): boolean {
  return (
    policy.repository !== undefined ||
    policy.owner !== undefined ||
    policy.signerWorkflow !== undefined ||
    policy.signerRepository !== undefined ||
    policy.builderId !== undefined ||
    policy.certificateIdentity !== undefined ||
    policy.certificateIdentityRegexp !== undefined
  );
}
