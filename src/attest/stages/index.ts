// Attest mode's stage presets: given the stage a release is at and the document the user gave
// for it (an SBOM, a scanner report, a VEX document, a policy result, or nothing for an
// approval or a deployment, whose target comes from its own inputs), the predicate type and
// predicate to sign. Each stage lives in its own module; this
// one dispatches and makes the one refusal they share, a stage that needs a document without
// one. Pure: the time and the job's identity come in through the context, so tests fix them.

import { ProvenanceError } from '../../common/errors.ts';
import { STAGE_PRESETS } from '../../stages/presets.ts';
import type { StageName } from '../../stages/presets.ts';
import { sbomPredicate } from './sbom.ts';
import { vulnsPredicate } from './vulns.ts';
import { vexPredicate } from './vex.ts';
import { policyPredicate } from './policy-result.ts';
import { approvalPredicate } from './approval.ts';
import { deploymentPredicate, type DeploymentTarget } from './deployment.ts';
import type { StageContext, StagePredicate } from './stage.types.ts';

export type { StageContext, StagePredicate } from './stage.types.ts';
export { deploymentTarget, type DeploymentTarget } from './deployment.ts';
// The source stage reads GitHub before it can say anything, so attest.ts calls it apart from this
// dispatcher (which is pure): see source.ts.

const NEEDS: Readonly<Record<Exclude<StageName, 'provenance' | 'approval' | 'deployment' | 'source'>, string>> = {
  sbom: 'the SBOM file (SPDX or CycloneDX JSON)',
  vulns: "the scanner's report (SARIF, Grype JSON or Trivy JSON)",
  vex: 'the OpenVEX document',
  policy: 'the policy result (conftest JSON, a VSA or a test-result predicate)',
};

/**
 * `document` is the parsed JSON object the user gave (predicate-path / predicate), `origin` names
 * it in messages (e.g. `predicate-path "sbom.json"`). For the policy stage a JSON array (conftest's
 * report) is passed through as is. `target` is the deployment stage's (deployment-target,
 * deployment-namespace); other stages take none.
 */
export function stagePredicate(
  stage: Exclude<StageName, 'provenance' | 'source'>,
  document: object | undefined,
  origin: string,
  ctx: StageContext,
  target?: DeploymentTarget,
): StagePredicate {
  if (stage === 'approval') return approvalPredicate(document, origin, ctx);
  if (stage === 'deployment') return deploymentPredicate(document, origin, target, ctx);
  if (document === undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `stage "${stage}" needs a document to attest (the ${STAGE_PRESETS[stage].title}), but no predicate-path or predicate was given`,
      `Set predicate-path to ${NEEDS[stage]}`,
    );
  }
  switch (stage) {
    case 'sbom':
      return sbomPredicate(document, origin);
    case 'vulns':
      return vulnsPredicate(document, origin, ctx.now);
    case 'vex':
      return vexPredicate(document, origin);
    case 'policy':
      return policyPredicate(document, origin, ctx);
  }
}
