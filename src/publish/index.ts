// Everything attest mode does after the bundles are written: the registry next to images, then
// GitHub (release assets, attestations API), then the workflow artifact. One function, so the action and the CLI publish
// the same way.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AttestOutcome } from '../attest.ts';

import type { AttestSettings } from '../inputs/settings.ts';
import type { Log } from '../log.ts';
import { MAX_SUBJECTS_PER_STATEMENT } from '../provenance/statement.ts';
import type { GitHubPublishResult } from './github.ts';
import type { RegistryPushResult } from './registry.ts';

export interface PublishResult extends GitHubPublishResult {
  referrers: RegistryPushResult[];
  artifact: { id: number; name: string } | undefined;
}

export async function publish(outcome: AttestOutcome, settings: AttestSettings, env: NodeJS.ProcessEnv, log: Log): Promise<PublishResult> {
  const { subjects } = outcome.report;
  // Each sink's client is loaded only when that sink is used (the artifact client alone is megabytes).
  const registry = settings.pushToRegistry ? await import('./registry.ts') : undefined;
  const referrers = registry
    ? await registry.pushToRegistry(registry.imageTargets(subjects, settings.subjects.names), subjects, outcome.bundles, MAX_SUBJECTS_PER_STATEMENT, outcome.report.predicateType, log)
    : [];
  const { publishToGitHub } = await import('./github.ts');
  const github = await publishToGitHub(
    { repository: outcome.repository, ref: outcome.ref, subjects, bundles: outcome.bundles, subjectsPerBundle: MAX_SUBJECTS_PER_STATEMENT },
    settings.github,
    env,
    log,
  );
  const artifact =
    settings.uploadArtifact === undefined
      ? undefined
      : await (await import('./artifact.ts')).uploadBundlesArtifact(settings.uploadArtifact, [{ name: path.basename(outcome.bundleFile), content: await readFile(outcome.bundleFile, 'utf8') }], env);
  if (artifact) log.info(`uploaded ${path.basename(outcome.bundleFile)} as workflow artifact "${artifact.name}"`);
  return { ...github, referrers, artifact };
}
