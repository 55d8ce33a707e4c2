// The GitHub side of publishing and fetching bundles, as attest and verify mode see it: six calls on
// two interfaces, made by one factory from the endpoints, the token and a retry policy; and the source
// stage's reads of a branch's controls (a third interface, its own factory). Nothing outside
// this folder needs to know about octokit, HTTP, pagination, rate limits or GitHub's JSON.

import type { SerializedBundle } from '@sigstore/bundle';
import type { CopyCheck } from '../common/attestation-identity.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { listAttestations, storedAttestations } from './attestation-reads.ts';
import { postAttestation, type AttestationMode, type AttestationResult } from './attestations.ts';
import { bundleIdentity, sha256Hex } from './bundle-identity.ts';
import { releaseByTag, WRITE } from './releases.ts';
import { requireToken, type GitHubEndpoints } from './endpoints.ts';
import { publishReleaseAssets, type PublishedAsset, type ReleaseFile } from './release-assets.ts';
import { listReleaseBundles, type BundleText } from './release-bundles.ts';
import { parseRepository } from './repository.ts';
import { GitHubClient } from './client.ts';
import { readSourceControls, type SourceControlReads } from './source-controls.ts';

export type { AttestationMode, AttestationResult } from './attestations.ts';
export type { BundleText } from './release-bundles.ts';
export type { PublishedAsset, ReleaseFile } from './release-assets.ts';
export type { GitHubEndpoints } from './endpoints.ts';
export { gitHubEndpoints } from './endpoints.ts';
export { SOURCE_READS } from './source-controls.ts';
export { bundleIdentity } from './bundle-identity.ts';
export type * from './source-controls.ts';

export interface GitHubPublisher {
  /** Reads the release for `tag` (it must exist), writing nothing: the first request a release upload makes. */
  checkRelease(repo: string, tag: string): Promise<void>;
  /** Reads the attestations stored for the bundle's subject, writing nothing; a refusing API is left to postAttestation. */
  checkAttestations(repo: string, bundle: SerializedBundle): Promise<void>;
  /** Uploads bundle files to the release for `tag`; an identical asset is left alone. Returns their download URLs. */
  publishReleaseAssets(
    repo: string,
    tag: string,
    files: readonly ReleaseFile[],
    options: { replace: boolean; isOurCopy: CopyCheck },
  ): Promise<PublishedAsset[]>;
  /** Stores one bundle with the attestations API, once; see AttestationMode for a repository the API refuses. */
  postAttestation(
    repo: string,
    bundle: SerializedBundle,
    options: { mode: AttestationMode; isOurCopy: CopyCheck },
  ): Promise<AttestationResult>;
}

export interface GitHubBundleSource {
  /** The text of every `*.sigstore.json`, `*.intoto.jsonl` and `*.jsonl` asset of the release for `tag`. */
  listReleaseBundles(repo: string, tag: string): Promise<BundleText[]>;
  /** Every bundle the attestations API holds for the digest (`sha256:<hex>`) in the repository. */
  listAttestations(repo: string, digest: string): Promise<BundleText[]>;
}

export type GitHubService = GitHubPublisher & GitHubBundleSource;

export interface GitHubServiceOptions extends GitHubEndpoints {
  token: string | undefined; // the github-token input
  retry?: RetryPolicy;
  /** Spacing of writes (POST, DELETE): GitHub asks for 1 s; tests shorten it. */
  writeIntervalMs?: number;
  debug?: (line: string) => void;
}

/** What GitHub reports about how a commit reached its branch (the source stage): see source-controls.ts. */
export interface GitHubSourceReader {
  readSourceControls(repo: string, ref: string, sha: string): Promise<SourceControlReads>;
}

export function createSourceReader(options: GitHubServiceOptions): GitHubSourceReader {
  const rest = clientFor(options);
  return { readSourceControls: (repo, ref, sha) => readSourceControls(rest, parseRepository(repo), ref, sha) };
}

function clientFor(options: GitHubServiceOptions): GitHubClient {
  return new GitHubClient({
    apiUrl: options.apiUrl,
    token: requireToken(options.token),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.writeIntervalMs === undefined ? {} : { writeIntervalMs: options.writeIntervalMs }),
    ...(options.debug ? { debug: options.debug } : {}),
  });
}

export function createGitHubService(options: GitHubServiceOptions): GitHubService {
  const rest = clientFor(options);
  const { serverUrl } = options;
  return {
    checkRelease: async (repo, tag) => void (await releaseByTag(rest, parseRepository(repo), tag, WRITE)),
    checkAttestations: async (repo, bundle) => {
      const digest = bundleIdentity(bundle).subjectDigest;
      if (digest !== undefined) await storedAttestations(rest, parseRepository(repo), digest);
    },
    publishReleaseAssets: (repo, tag, files, opts) =>
      publishReleaseAssets(rest, parseRepository(repo), tag, files, opts),
    postAttestation: (repo, bundle, opts) => postAttestation(rest, serverUrl, parseRepository(repo), bundle, opts),
    listReleaseBundles: (repo, tag) => listReleaseBundles(rest, parseRepository(repo), tag),
    listAttestations: (repo, digest) => listAttestations(rest, serverUrl, parseRepository(repo), sha256Hex(digest)),
  };
}
