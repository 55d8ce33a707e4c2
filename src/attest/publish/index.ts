// Everything attest mode does after signing, before the bundle file is put in place: the registry
// next to images, then GitHub (release assets, attestations API), then the workflow artifact, each
// read once before any is written to. One function, so the action and the CLI publish the same way.

import path from 'node:path';
import type { AttestOutcome } from '../attest.ts';

import type { AttestSettings } from '../settings.ts';
import type { Runtime } from '../../common/runtime.ts';
import { MAX_SUBJECTS_PER_STATEMENT } from '../provenance/statement.ts';
import { ourCopyCheck } from './copy-check.ts';
import type { GitHubPublishResult } from './github.ts';
import type { RegistryPushResult } from './registry.ts';

export interface PublishResult extends GitHubPublishResult {
  referrers: RegistryPushResult[];
  artifact: { id: number; name: string } | undefined;
}

export async function publish(
  outcome: AttestOutcome,
  settings: AttestSettings,
  rt: Pick<Runtime, 'env' | 'log'>,
): Promise<PublishResult> {
  const { env, log } = rt;
  const { subjects } = outcome.report;
  // One check for every sink: a stored bundle with our statement counts as published only if we could
  // have signed it (copy-check.ts); the CA it needs is fetched once, and only if such a bundle is found.
  const isOurCopy = ourCopyCheck(outcome.bundles, outcome.fulcioURL);
  // Each sink's client is loaded only when that sink is used (the artifact client alone is megabytes).
  const registry = settings.pushToRegistry ? await import('./registry.ts') : undefined;
  const images = registry
    ? { targets: registry.imageTargets(subjects, settings.subjects.names), client: registry.createBundleRegistry() }
    : undefined;
  const { gitHubPublication } = await import('./github.ts');
  const github = gitHubPublication(
    {
      repository: outcome.repository,
      ref: outcome.ref,
      subjects,
      bundles: outcome.bundles,
      subjectsPerBundle: MAX_SUBJECTS_PER_STATEMENT,
      isOurCopy,
    },
    settings.github,
    env,
    log,
  );
  // Every sink is read once before any is written to: a service that is down (after its retries)
  // fails the step while no sink holds a copy yet. One that fails between its first read and its
  // writes can still leave earlier sinks' copies; a re-run completes them without duplicates.
  if (registry && images) await registry.checkRegistry(images.targets, images.client);
  await github.check();
  const referrers =
    registry && images
      ? await registry.pushToRegistry(
          images.targets,
          subjects,
          outcome.bundles,
          MAX_SUBJECTS_PER_STATEMENT,
          outcome.report.predicateType,
          isOurCopy,
          log,
          images.client,
        )
      : [];
  const published = await github.publish();
  const artifact =
    settings.uploadArtifact === undefined
      ? undefined
      : await (
          await import('../../github/workflow-artifacts.ts')
        ).uploadBundlesArtifact(
          settings.uploadArtifact,
          [{ name: path.basename(outcome.bundleFile), content: outcome.bundleText }],
          env,
        );
  if (artifact) log.info(`uploaded ${path.basename(outcome.bundleFile)} as workflow artifact "${artifact.name}"`);
  return { ...published, referrers, artifact };
}
