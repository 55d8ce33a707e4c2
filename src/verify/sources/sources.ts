// Where verify mode finds bundles besides files: the registry next to each image (referrers
// API, fallback tag, cosign's .att tag), a GitHub release's assets, and GitHub's attestations
// API. Each source yields LoadedBundles with a readable source name, so the report says where
// every bundle came from. Images named by tag are resolved to a digest first.

import { readFile } from 'node:fs/promises';
import { ProvenanceError } from '../../common/errors.ts';
import { createGitHubService, gitHubEndpoints, type GitHubBundleSource } from '../../github/index.ts';
import { createBundleRegistry, parseImageReference, type BundleRegistry } from '../../registry/index.ts';
import type { Subject } from '../../subjects/index.ts';
import { matchPaths } from '../../subjects/match-paths.ts';
import { openWorkspace, relativeName } from '../../subjects/workspace.ts';
import { loadedJSON, parseBundleText, type LoadedBundle } from './bundle-text.ts';
import { imagesInManifest, isTemplated, MAX_MANIFEST_FILE_BYTES, type ImageUse } from './manifests.ts';

export interface ImageArtifacts {
  artifacts: Subject[];
  bundles: LoadedBundle[];
}

/** The image references `images` names and those the `manifests` files use (templated ones refused). */
export async function imageUses(
  images: string,
  manifests: string,
  workspace: string,
  confined = true,
): Promise<ImageUse[]> {
  const uses: ImageUse[] = images
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((image) => ({ image, file: '', line: 0 }));
  if (manifests.trim() !== '') {
    const ws = await openWorkspace(workspace, confined);
    for (const file of await matchPaths(ws, manifests, undefined, 'manifests')) {
      if (file.size > MAX_MANIFEST_FILE_BYTES) {
        throw new ProvenanceError(
          'INPUT_INVALID',
          `manifests: ${relativeName(ws, file.path)} is ${file.size} bytes, more than ${MAX_MANIFEST_FILE_BYTES}`,
          'Point manifests at Kubernetes manifests or Compose files',
        );
      }
      const found = imagesInManifest(await readFile(file.real, 'utf8'), relativeName(ws, file.path));
      const templated = found.find((u) => isTemplated(u.image));
      if (templated) {
        throw new ProvenanceError(
          'INPUT_INVALID',
          `manifests: ${templated.file}:${templated.line} names the image "${templated.image}", a template that names no image until rendered`,
          'Verify the rendered manifests (e.g. the output of helm template or docker compose config)',
        );
      }
      for (const use of found) {
        try {
          parseImageReference(use.image, 'manifests');
        } catch (err) {
          if (!(err instanceof ProvenanceError)) throw err;
          throw new ProvenanceError(
            err.code,
            `manifests: ${use.file}:${use.line}: ${err.message.replace(/^manifests: /, '')}`,
            err.hint,
            { cause: err },
          );
        }
      }
      uses.push(...found);
    }
  }
  return uses;
}

/** Each distinct image becomes an artifact (by its manifest digest) with the bundles attached to it. */
export async function imageArtifacts(
  uses: readonly ImageUse[],
  registry: BundleRegistry = createBundleRegistry(),
): Promise<ImageArtifacts> {
  const artifacts: Subject[] = [];
  const bundles: LoadedBundle[] = [];
  for (const image of [...new Set(uses.map((u) => u.image))]) {
    const ref = parseImageReference(image, 'images');
    const digest = await registry.resolveDigest(ref);
    artifacts.push({ name: image, digest: { sha256: digest.slice('sha256:'.length) } });
    for (const found of await registry.listBundles({ ...ref, tag: undefined, digest })) {
      bundles.push(
        found.problem === undefined
          ? {
              ...loadedJSON(found.source, found.json),
              ...(found.loggedEnvelope !== undefined && { loggedEnvelope: found.loggedEnvelope }),
            }
          : {
              source: found.source,
              json: undefined,
              failure: {
                check: 'bundle-format',
                expected: 'a Sigstore bundle attached to the image (or a keyless cosign attestation)',
                found: found.problem,
              },
            },
      );
    }
  }
  return { artifacts, bundles };
}

export interface GitHubSources {
  /** The repository whose release and attestations are read: the policy's `repository`. */
  repository: string | undefined;
  release: string | undefined; // a tag
  attestationsApi: boolean;
  token: string;
}

export async function githubBundles(
  settings: GitHubSources,
  artifacts: readonly Subject[],
  env: NodeJS.ProcessEnv,
  github?: GitHubBundleSource,
): Promise<LoadedBundle[]> {
  if (settings.release === undefined && !settings.attestationsApi) return [];
  if (settings.repository === undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'reading bundles from GitHub (release, attestations-api) needs the repository rule, which names where to read',
      'Add "repository: OWNER/REPO"',
    );
  }
  const service = github ?? createGitHubService({ ...gitHubEndpoints(env), token: settings.token || undefined });
  const texts = [];
  if (settings.release !== undefined)
    texts.push(...(await service.listReleaseBundles(settings.repository, settings.release)));
  if (settings.attestationsApi) {
    for (const artifact of artifacts) {
      const hex = artifact.digest['sha256'];
      if (hex !== undefined) texts.push(...(await service.listAttestations(settings.repository, `sha256:${hex}`)));
    }
  }
  return texts.flatMap((t) => parseBundleText(t.text, t.source));
}
