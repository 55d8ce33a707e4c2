// GitHub's trusted root (its Fulcio and timestamp authority, used for private repositories) from
// GitHub's TUF repository, fetched at run time and checked by TUF from a pinned root. The pin,
// github-tuf-root.json, is version 3 of https://tuf-repo.github.com's root.json as embedded by
// GitHub's own CLI (cli/cli, pkg/cmd/attestation/verification/embed/tuf-repo.github.com/root.json);
// its signatures meet its own threshold (checked in the tests). TUF walks forward from it to the
// current root, so an old pin stays valid as long as GitHub rotates keys the TUF way.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { initTUF } from '@sigstore/tuf';
import { ProvenanceError } from '../../errors.ts';
import githubTufRoot from './github-tuf-root.json' with { type: 'json' };

export const GITHUB_TUF_MIRROR = 'https://tuf-repo.github.com';

export interface GitHubRootOptions {
  mirrorURL?: string; // tests point this at a closed loopback port
  timeoutMs?: number;
  retries?: number;
}

/** The text of GitHub's trusted_root.json target, verified by TUF; a ProvenanceError when unreachable. */
export async function fetchGitHubTrustedRoot(options: GitHubRootOptions = {}): Promise<string> {
  const mirrorURL = options.mirrorURL ?? GITHUB_TUF_MIRROR;
  // A fresh cache per run: a cache shared through the temp directory would let anyone who can
  // write there replace the pinned root.
  const cachePath = await mkdtemp(path.join(os.tmpdir(), 'provenance-tuf-'));
  try {
    const rootPath = path.join(cachePath, 'pinned-root.json');
    await writeFile(rootPath, JSON.stringify(githubTufRoot));
    const tuf = await initTUF({
      mirrorURL,
      rootPath,
      cachePath,
      forceInit: true,
      retry: { retries: options.retries ?? 2 },
      timeout: options.timeoutMs ?? 5000,
    });
    return await tuf.getTarget('trusted_root.json');
  } catch (err) {
    throw new ProvenanceError(
      'TRUSTED_ROOT_UNAVAILABLE',
      `could not get GitHub's trusted root from its TUF repository ${mirrorURL} (${reason(err)})`,
      'Allow network access to tuf-repo.github.com, or download its trusted_root.json and pass the file\'s path as the trusted root instead',
      { cause: err },
    );
  } finally {
    await rm(cachePath, { recursive: true, force: true });
  }
}

// TUFError wraps the network error as its cause; the innermost message is the useful one.
function reason(err: unknown): string {
  let current: unknown = err;
  const messages: string[] = [];
  while (current instanceof Error && messages.length < 4) {
    messages.push(current.message);
    current = current.cause;
  }
  return (messages.join(': ') || String(err)).replace(/\s+/g, ' ');
}
