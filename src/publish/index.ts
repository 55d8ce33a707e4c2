// Everything attest mode does after the bundles are written: the registry next to images, then
// GitHub (release assets, attestations API). One function, so the action and the CLI publish
// the same way.

import type { AttestOutcome } from '../attest.ts';
import type { AttestSettings } from '../inputs/settings.ts';
import type { Log } from '../log.ts';
import { MAX_SUBJECTS_PER_STATEMENT } from '../provenance/statement.ts';
import { publishToGitHub, type GitHubPublishResult } from './github.ts';
import { imageTargets, pushToRegistry, type RegistryPushResult } from './registry.ts';

export interface PublishResult extends GitHubPublishResult {
  referrers: RegistryPushResult[];
}

export async function publish(outcome: AttestOutcome, settings: AttestSettings, env: NodeJS.ProcessEnv, log: Log): Promise<PublishResult> {
  const { subjects } = outcome.report;
  const referrers = settings.pushToRegistry
    ? await pushToRegistry(imageTargets(subjects, settings.subjects.names), subjects, outcome.bundles, MAX_SUBJECTS_PER_STATEMENT, outcome.report.predicateType, log)
    : [];
  const github = await publishToGitHub(
    { repository: outcome.repository, ref: outcome.ref, subjects, bundles: outcome.bundles, subjectsPerBundle: MAX_SUBJECTS_PER_STATEMENT },
    settings.github,
    env,
    log,
  );
  return { ...github, referrers };
}
