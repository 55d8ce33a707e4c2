// The vocabulary of chain verification (require-chain): the stages a policy asks for, and what
// was found for each artifact. Shared by the evaluation (chain.ts), which is pure, and the
// renderers (render.ts: text for the CLI and Markdown for the job summary; chart.ts: its Mermaid graphs).

import type { ContentResult } from '../policy/cel/types.ts';
import type { CheckFailure } from '../types.ts';

// A stage's spec holds its Policy and a Policy holds its chain's specs, so the two types are defined
// together, in policy/policy.ts; the chain modules import it from here, with the rest of their vocabulary.
export type { ChainStageSpec } from '../policy/policy.ts';

/**
 * - pass: an attestation of this stage covers the artifact, passes every check and its policy,
 *   and links to the stage before (the first stage needs no link).
 * - missing: no attestation of this stage's predicate types covers the artifact.
 * - rejected: there are some, but none passes the cryptographic checks and the stage's policy, or
 *   none says in its own document that the stage passed (src/verify/chain/stage-result.ts).
 * - unlinked: some pass, but none links to a passing attestation of the stage before.
 * - unreached: the stage before failed, so there is nothing this stage could link to.
 *   (Its own attestations are still judged: a stage can be both.)
 */
export type StageStatus = 'pass' | 'missing' | 'rejected' | 'unlinked' | 'unreached';

export interface ChainAttestation {
  /** Where the bundle was read from (a file, a registry, a release asset). */
  source: string;
  /** sha256:<hex> of the DSSE payload (the in-toto statement): what a link names. */
  digest: string;
  predicateType: string;
  /** The certificate's SAN (the signer workflow for GitHub Actions), or undefined for a key. */
  signer: string | undefined;
  /** github-hosted or self-hosted, from the certificate: what a summary attestation's level rests on. */
  runnerEnvironment?: string;
  /** The certificate's Build Signer URI and Digest and Source Repository URI: what a Build L3 claim rests on. */
  buildSignerURI?: string;
  buildSignerDigest?: string;
  sourceRepositoryURI?: string;
}

export interface StageResult {
  label: string;
  title: string;
  status: StageStatus;
  /** The attestation that satisfied the stage, or the best candidate that did not. */
  attestation: ChainAttestation | undefined;
  /** Every reason the stage failed (empty when it passed). */
  failures: CheckFailure[];
  /** With `cel=`: each expression's result on the attestation shown (the JSON report keeps it). */
  content?: ContentResult[];
}

export interface ChainVerdict {
  artifact: { name: string; digest: Record<string, string> };
  passed: boolean;
  stages: StageResult[];
  /**
   * The source commit (hex git object id) the chain starts at, when known: from the passing build
   * provenance stage (commit.ts). The chart draws it as the chain's first node when the chain has
   * a `source` stage first; a source stage that verifies the commit itself may set it too.
   */
  commit?: string;
}
