// Claims of a real-shaped GitHub Actions job token, shared by unit tests.
import type { GitHubClaims } from '../src/attest/context/claims.ts';

export const PUSH_CLAIMS: GitHubClaims = {
  iss: 'https://token.actions.githubusercontent.com',
  repository: 'octo-org/octo-repo',
  repository_owner: 'octo-org',
  repository_id: '123456',
  repository_owner_id: '654321',
  repository_visibility: 'public',
  ref: 'refs/tags/v1.2.0',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  event_name: 'push',
  run_id: '987654321',
  run_attempt: '2',
  runner_environment: 'github-hosted',
};
