// What publishing would refuse on its inputs alone, asked before anything is signed: a signature
// and its log entry cannot be taken back, so a run that is bound to fail must fail first. Only
// what a service alone can tell (a missing release, a refused token) is left to publishing itself.

import { gitHubEndpoints } from '../../github/index.ts';
import { requireGitHubToken } from '../../inputs/github-token.ts';
import type { AttestSettings } from '../settings.ts';
import type { Subject } from '../../subjects/index.ts';
import { gitHubSinks, requireGitHubRepository } from './github.ts';

/** The run as far as it is known before signing: the verified identity and the subjects. */
export interface UnsignedRun {
  repository: string | undefined;
  ref: string | undefined;
  subjects: readonly Subject[];
}

export async function checkPublishing(
  settings: AttestSettings,
  run: UnsignedRun,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const { tag, attestations } = gitHubSinks(settings.github, run.ref);
  if (tag !== undefined || attestations) {
    requireGitHubRepository(run.repository);
    requireGitHubToken(
      settings.github.githubToken,
      tag !== undefined ? `upload-to-release (tag "${tag}")` : 'attestations-api: true',
    );
    gitHubEndpoints(env); // GITHUB_API_URL and GITHUB_SERVER_URL, where the token will be sent
  }
  // Each sink's module is loaded only when that sink is used, as publish() does.
  if (settings.pushToRegistry) (await import('./registry.ts')).imageTargets(run.subjects, settings.subjects.names);
  if (settings.uploadArtifact !== undefined) {
    const { checkArtifactName, requireArtifactRuntime } = await import('../../github/workflow-artifacts.ts');
    checkArtifactName(settings.uploadArtifact, 'upload-artifact');
    requireArtifactRuntime(env);
  }
}
