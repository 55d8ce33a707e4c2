// The GitHub Actions job identity, as the claims of a verified OIDC token. Everything the
// provenance says about the build comes from here, never from environment variables, which
// any earlier step of the job could have changed.

import { ProvenanceError } from '../../common/errors.ts';

export interface GitHubClaims {
  iss: string;
  repository: string; // owner/repo
  repository_owner: string;
  repository_id: string;
  repository_owner_id: string;
  repository_visibility: string | undefined; // absent on some GHES versions
  ref: string;
  sha: string;
  workflow_ref: string; // owner/repo/.github/workflows/x.yml@refs/...
  job_workflow_ref: string; // the reusable workflow when there is one
  event_name: string;
  run_id: string;
  run_attempt: string;
  runner_environment: string; // github-hosted | self-hosted
}

const REQUIRED = [
  'repository',
  'repository_owner',
  'repository_id',
  'repository_owner_id',
  'ref',
  'sha',
  'workflow_ref',
  'job_workflow_ref',
  'event_name',
  'run_id',
  'run_attempt',
  'runner_environment',
] as const;

/** Validates a verified token payload into GitHubClaims; a claim that is missing or not a string is an error. */
export function githubClaimsFrom(payload: Record<string, unknown>): GitHubClaims {
  const missing = REQUIRED.filter((k) => typeof payload[k] !== 'string' || payload[k] === '');
  if (missing.length > 0 || typeof payload['iss'] !== 'string') {
    throw new ProvenanceError(
      'OIDC_CLAIMS_INVALID',
      `the job's OIDC token lacks the claims provenance is built from: ${missing.join(', ') || 'iss'}`,
      'Run this step in a GitHub Actions job (or pass a GitHub Actions token in SIGSTORE_ID_TOKEN); other identities can sign a custom predicate-type only',
    );
  }
  const str = (k: string): string => payload[k] as string;
  const visibility = payload['repository_visibility'];
  return {
    iss: str('iss'),
    repository: str('repository'),
    repository_owner: str('repository_owner'),
    repository_id: str('repository_id'),
    repository_owner_id: str('repository_owner_id'),
    repository_visibility: typeof visibility === 'string' ? visibility : undefined,
    ref: str('ref'),
    sha: str('sha'),
    workflow_ref: str('workflow_ref'),
    job_workflow_ref: str('job_workflow_ref'),
    event_name: str('event_name'),
    run_id: str('run_id'),
    run_attempt: str('run_attempt'),
    runner_environment: str('runner_environment'),
  };
}
