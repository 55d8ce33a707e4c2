// SLSA v1 provenance for a GitHub Actions workflow run, in exactly the shape GitHub's own attest
// action emits for buildType https://actions.github.io/buildtypes/workflow/v1, so verifiers that
// know that shape (gh attestation verify) accept it. Pure: claims in, predicate out.

import { ProvenanceError } from '../../common/errors.ts';
import type { GitHubClaims } from '../context/claims.ts';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

/**
 * The events the build type describes. It "MUST NOT be used for any other event type": a
 * pull_request run builds a merge commit that exists nowhere else, so we refuse rather than
 * mislabel it (a custom predicate-type may still be attested on such runs).
 */
export const SUPPORTED_EVENTS: readonly string[] = ['push', 'release', 'create', 'workflow_dispatch'];

export interface BuildContext {
  claims: GitHubClaims;
  serverURL: string; // derived from the verified issuer
  /** workflow_dispatch inputs; recorded only for that event and only when non-empty. */
  dispatchInputs: Record<string, unknown> | undefined;
}

export interface SlsaProvenanceV1 {
  buildDefinition: {
    buildType: string;
    externalParameters: {
      workflow: { ref: string; repository: string; path: string };
      inputs?: Record<string, unknown>;
    };
    internalParameters: {
      github: { event_name: string; repository_id: string; repository_owner_id: string; runner_environment: string };
    };
    resolvedDependencies: { uri: string; digest: { gitCommit: string } }[];
  };
  runDetails: {
    builder: { id: string };
    metadata: { invocationId: string };
  };
}

/**
 * The workflow file's path inside the repository: workflow_ref without the leading
 * "owner/repo/" and the trailing "@ref". Paths and refs may both contain "@", so the ref is
 * removed as a known suffix rather than by splitting on "@".
 */
export function workflowPath(claims: GitHubClaims): string {
  const prefix = `${claims.repository}/`;
  const suffix = `@${claims.ref}`;
  const ref = claims.workflow_ref;
  if (!ref.startsWith(prefix) || !ref.endsWith(suffix) || ref.length <= prefix.length + suffix.length) {
    throw new ProvenanceError(
      'OIDC_CLAIMS_INVALID',
      `the token's workflow_ref "${ref}" does not have the form "${claims.repository}/<path>@${claims.ref}"`,
      'This happens only with a malformed or non-GitHub token; run the step in a GitHub Actions workflow',
    );
  }
  return ref.slice(prefix.length, ref.length - suffix.length);
}

export function assertEventSupported(eventName: string): void {
  if (SUPPORTED_EVENTS.includes(eventName)) return;
  throw new ProvenanceError(
    'EVENT_UNSUPPORTED',
    `SLSA provenance is not made for "${eventName}" events: build type ${GITHUB_WORKFLOW_BUILD_TYPE} describes only ${SUPPORTED_EVENTS.join(', ')}`,
    'Attest in a workflow triggered by push, release, create or workflow_dispatch (e.g. "on: push: tags"), or set predicate-type to attest something other than provenance',
  );
}

export function githubWorkflowPredicate(ctx: BuildContext): SlsaProvenanceV1 {
  const { claims, serverURL } = ctx;
  assertEventSupported(claims.event_name);
  const repositoryURL = `${serverURL}/${claims.repository}`;
  const inputs = claims.event_name === 'workflow_dispatch' ? nonEmpty(ctx.dispatchInputs) : undefined;
  return {
    buildDefinition: {
      buildType: GITHUB_WORKFLOW_BUILD_TYPE,
      externalParameters: {
        workflow: { ref: claims.ref, repository: repositoryURL, path: workflowPath(claims) },
        ...(inputs ? { inputs } : {}),
      },
      internalParameters: {
        github: {
          event_name: claims.event_name,
          repository_id: claims.repository_id,
          repository_owner_id: claims.repository_owner_id,
          runner_environment: claims.runner_environment,
        },
      },
      resolvedDependencies: [{ uri: `git+${repositoryURL}@${claims.ref}`, digest: { gitCommit: claims.sha } }],
    },
    runDetails: {
      builder: { id: `${serverURL}/${claims.job_workflow_ref}` },
      metadata: {
        invocationId: `${repositoryURL}/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}`,
      },
    },
  };
}

function nonEmpty(inputs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return inputs && Object.keys(inputs).length > 0 ? inputs : undefined;
}
