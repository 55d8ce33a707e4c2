// The certificate's facts as the predicate checks compare them: each value the predicate may
// restate, derived once (git URI, workflow path, run id and attempt), with a label naming the
// extension it came from, and whether this certificate must carry the v2 extensions at all.

import type { CertificateFacts } from '../../types.ts';
import {
  buildConfigPath,
  hasV2Extensions,
  ownerNameOf,
  parseRunInvocationURI,
  signerURIOf,
} from '../certificate-view.ts';

export const LABEL = {
  signer: 'Build Signer URI (1.3.6.1.4.1.57264.1.9)',
  runner: 'Runner Environment (1.3.6.1.4.1.57264.1.11)',
  repository: 'Source Repository URI (1.3.6.1.4.1.57264.1.12, legacy .5)',
  digest: 'Source Repository Digest (1.3.6.1.4.1.57264.1.13, legacy .3)',
  ref: 'Source Repository Ref (1.3.6.1.4.1.57264.1.14, legacy .6)',
  gitURI: 'Source Repository URI and Ref (1.3.6.1.4.1.57264.1.12, .14; legacy .5, .6)',
  repositoryId: 'Source Repository Identifier (1.3.6.1.4.1.57264.1.15)',
  owner: 'Source Repository Owner URI (1.3.6.1.4.1.57264.1.16)',
  ownerId: 'Source Repository Owner Identifier (1.3.6.1.4.1.57264.1.17)',
  buildConfig: 'Build Config URI (1.3.6.1.4.1.57264.1.18)',
  trigger: 'Build Trigger (1.3.6.1.4.1.57264.1.20, legacy .2)',
  run: 'Run Invocation URI (1.3.6.1.4.1.57264.1.21)',
} as const;

export interface CertificateContext {
  facts: CertificateFacts;
  /**
   * Held to the v2 extensions: a missing one is a failure, not a field we skip. True when the
   * certificate has any v2 extension (Fulcio adds them together), and for SLSA v1 provenance,
   * whose GitHub build types appeared after Fulcio began issuing them.
   */
  v2: boolean;
  signerURI: string | undefined;
  gitURI: string | undefined; // git+<source repository URI>@<source ref>
  workflowPath: string | undefined;
  run: { id: string; attempt: string } | undefined;
  ownerName: string | undefined;
}

export function certificateContext(facts: CertificateFacts, provenanceNeedsV2: boolean): CertificateContext {
  const { sourceRepositoryURI: repo, sourceRepositoryRef: ref } = facts;
  return {
    facts,
    v2: provenanceNeedsV2 || hasV2Extensions(facts),
    signerURI: signerURIOf(facts),
    gitURI: repo !== undefined && ref !== undefined ? `git+${repo}@${ref}` : undefined,
    workflowPath: buildConfigPath(facts),
    run: parseRunInvocationURI(facts.runInvocationURI),
    ownerName: ownerNameOf(facts),
  };
}
