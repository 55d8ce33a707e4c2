// Putting attest mode's bundles where GitHub users look: release assets (one
// `<subject>.sigstore.json` per subject, or one JSON Lines asset by the name given) and the
// attestations API (what `gh attestation verify` reads). The repository and ref come from the
// verified job identity, never from inputs or the environment.

import type { SerializedBundle } from '@sigstore/bundle';
import type { CopyCheck } from '../../common/attestation-identity.ts';
import { ProvenanceError } from '../../common/errors.ts';
import {
  bundleIdentity,
  createGitHubService,
  gitHubEndpoints,
  type AttestationMode,
  type ReleaseFile,
} from '../../github/index.ts';
import type { Log } from '../../common/log.ts';
import { safeFileStem, serializeBundles } from '../bundle-files.ts';
import type { Subject } from '../../subjects/index.ts';

export interface GitHubPublishSettings {
  /** A tag, `auto` (the tag of a release or tag-push run), or undefined for no upload. */
  uploadToRelease: string | undefined;
  /** One JSON Lines asset by this name; undefined: one `<subject>.sigstore.json` per subject. */
  releaseAssetName: string | undefined;
  replaceReleaseAssets: boolean;
  attestationsApi: 'auto' | 'true' | 'false';
  githubToken: string;
}

export interface SignedRun {
  /** The source repository and ref of the verified job identity; undefined for non-GitHub identities. */
  repository: string | undefined;
  ref: string | undefined;
  subjects: readonly Subject[];
  /** Bundle i covers subjects[i * chunk … (i + 1) * chunk). */
  bundles: readonly SerializedBundle[];
  subjectsPerBundle: number;
  /** Whether a stored bundle with one of our statements is a copy we could have made (copy-check.ts). */
  isOurCopy: CopyCheck;
}

export interface GitHubPublishResult {
  releaseAssets: string[];
  attestationIds: string[];
  attestationUrls: string[];
}

/** The release tag to upload to, or undefined when this run has none (auto on a branch push). */
export function releaseTag(setting: string | undefined, ref: string | undefined): string | undefined {
  if (setting === undefined) return undefined;
  if (setting !== 'auto') return setting;
  return ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

export function releaseFiles(run: SignedRun, assetName: string | undefined): ReleaseFile[] {
  if (assetName !== undefined)
    return [
      {
        name: assetName,
        content: Buffer.from(serializeBundles(run.bundles, 'jsonl')),
        contentType: 'application/jsonl',
      },
    ];
  return run.subjects.map((subject, i) => {
    const bundle = run.bundles[Math.floor(i / run.subjectsPerBundle)];
    return {
      name: `${safeFileStem(subject.name)}.sigstore.json`,
      content: Buffer.from(serializeBundles(bundle ? [bundle] : [], 'json')),
      contentType: 'application/json',
    };
  });
}

/**
 * What publishing to GitHub will do for this run, in two steps: `check` makes the first read of each
 * kind (the release, the attestations listing) and writes nothing; `publish` writes. publish() checks
 * every sink before writing to any, so a GitHub API that is down fails the step before another sink
 * holds a copy.
 */
export interface GitHubPublication {
  check(): Promise<void>;
  publish(): Promise<GitHubPublishResult>;
}

/** Which GitHub sinks this run writes to: the release tag (if any) and whether the attestations API. */
export function gitHubSinks(
  settings: GitHubPublishSettings,
  ref: string | undefined,
): { tag: string | undefined; attestations: boolean } {
  return {
    tag: releaseTag(settings.uploadToRelease, ref),
    attestations:
      settings.attestationsApi === 'true' || (settings.attestationsApi === 'auto' && settings.githubToken !== ''),
  };
}

export function gitHubPublication(
  run: SignedRun,
  settings: GitHubPublishSettings,
  env: NodeJS.ProcessEnv,
  log: Log,
): GitHubPublication {
  const { tag, attestations: wantsAttestations } = gitHubSinks(settings, run.ref);
  if (settings.uploadToRelease === 'auto' && tag === undefined)
    log.info('upload-to-release: auto, but this run is not for a tag: no release assets uploaded');
  if (tag === undefined && !wantsAttestations)
    return {
      check: () => Promise.resolve(),
      publish: () => Promise.resolve({ releaseAssets: [], attestationIds: [], attestationUrls: [] }),
    };
  const repository = requireGitHubRepository(run.repository);
  const github = createGitHubService({
    ...gitHubEndpoints(env),
    token: settings.githubToken || undefined,
    debug: (line) => log.debug(line),
  });
  const firstBundle = run.bundles[0];
  return {
    async check() {
      if (tag !== undefined) await github.checkRelease(repository, tag);
      else if (firstBundle !== undefined) await github.checkAttestations(repository, firstBundle);
    },
    async publish() {
      const result: GitHubPublishResult = { releaseAssets: [], attestationIds: [], attestationUrls: [] };
      if (tag !== undefined) {
        const published = await github.publishReleaseAssets(
          repository,
          tag,
          releaseFiles(run, settings.releaseAssetName),
          { replace: settings.replaceReleaseAssets, isOurCopy: run.isOurCopy },
        );
        for (const asset of published) log.info(`release ${tag}: ${asset.name} ${asset.outcome}`);
        result.releaseAssets = published.map((a) => a.url);
      }
      if (wantsAttestations) {
        const mode: AttestationMode = settings.attestationsApi === 'true' ? 'true' : 'auto';
        for (const bundle of run.bundles) {
          // GitHub's attestations API files attestations under the sha256 of an artifact: a Source VSA
          // is about a commit (gitCommit), so there is nothing to file it under (attestations-api: true
          // is refused for the source stage before signing).
          if (bundleIdentity(bundle).subjectDigest === undefined) {
            log.info('attestations API: skipped, the statement has no sha256 subject (a Source VSA names a commit)');
            continue;
          }
          const stored = await github.postAttestation(repository, bundle, { mode, isOurCopy: run.isOurCopy });
          if (stored.outcome === 'unavailable') {
            log.warning(stored.warning);
            break;
          }
          if (stored.id !== undefined) result.attestationIds.push(String(stored.id));
          result.attestationUrls.push(stored.url);
        }
      }
      return result;
    },
  };
}

/** The repository publishing writes to, from the verified job identity; none is an error before any request. */
export function requireGitHubRepository(repository: string | undefined): string {
  if (repository !== undefined) return repository;
  throw new ProvenanceError(
    'INPUT_CONFLICT',
    'publishing to GitHub needs a GitHub Actions identity (the repository comes from the job token), but this run has none',
    'Run the step in GitHub Actions, or drop upload-to-release and set attestations-api: false',
  );
}

export async function publishToGitHub(
  run: SignedRun,
  settings: GitHubPublishSettings,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<GitHubPublishResult> {
  const publication = gitHubPublication(run, settings, env, log);
  await publication.check();
  return publication.publish();
}
