// The verification policy: what a verified bundle must say about who signed it, from which
// source, with which builder, and how long ago. Every rule is optional and every rule given must
// hold. Values here are already validated and normalised (by rule-values.ts); evaluate.ts judges a
// bundle against them. Two rules have defaults, applied at evaluation so a Policy built in code
// is as strict as one read from inputs.

import type { ChainStageSpec } from '../chain/types.ts';

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
   * The stages every artifact's chain must pass, in order, each with its own policy (these rules
   * with the stage's over them). When set, it decides each artifact's verdict.
   */
  requireChain?: readonly ChainStageSpec[];
}

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
