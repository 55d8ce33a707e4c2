// GitHub's trusted root (its Fulcio and timestamp authority, used for private repositories) from
// GitHub's TUF repository, fetched at run time and checked by TUF from a pinned root. The pin,
// github-tuf-root.json, is version 3 of https://tuf-repo.github.com's root.json as embedded by
// GitHub's own CLI (cli/cli, pkg/cmd/attestation/verification/embed/tuf-repo.github.com/root.json);
// its signatures meet its own threshold (checked in the tests). TUF walks forward from it to the
// current root, so an old pin stays valid as long as GitHub rotates keys the TUF way.

import os from 'node:os';
import { ProvenanceError } from '../../common/errors.ts';
import githubTufRoot from './github-tuf-root.json' with { type: 'json' };
import { fetchTrustedRootTarget, tufReason } from './tuf.ts';

export const GITHUB_TUF_MIRROR = 'https://tuf-repo.github.com';

export interface GitHubRootOptions {
  mirrorURL?: string; // tests point this at a closed loopback port
  timeoutMs?: number;
  retries?: number;
  /** Where the per-run TUF cache is made (default: the system's temp directory). */
  tempDir?: string;
}

/** The text of GitHub's trusted_root.json target, verified by TUF; a ProvenanceError when unreachable. */
export async function fetchGitHubTrustedRoot(options: GitHubRootOptions = {}): Promise<string> {
  const mirrorURL = options.mirrorURL ?? GITHUB_TUF_MIRROR;
  try {
    return await fetchTrustedRootTarget({
      mirrorURL,
      initialRoot: JSON.stringify(githubTufRoot),
      tempDir: options.tempDir ?? os.tmpdir(),
      timeoutMs: options.timeoutMs ?? 5000,
      retries: options.retries ?? 2,
    });
  } catch (err) {
    throw new ProvenanceError(
      'TRUSTED_ROOT_UNAVAILABLE',
      `could not get GitHub's trusted root from its TUF repository ${mirrorURL} (${tufReason(err)})`,
      "Allow network access to tuf-repo.github.com, or download its trusted_root.json and pass the file's path as the trusted root instead",
      { cause: err },
    );
  }
}
