// A trusted_root.json target fetched through TUF with @sigstore/tuf, the way both fetched roots
// (public-good's and GitHub's) are: TUF walks forward from a pinned initial root to the current one
// and checks every piece of metadata and the target against it, so the mirror URL is only a place
// to read from, never something trusted. Also: telling "could not reach the repository" apart from
// "reached it, and what it served did not verify", which public-good's fallback depends on.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { initTUF } from '@sigstore/tuf';
import { FAILURE_FIELD_MAX, untrusted } from '../../output/untrusted.ts';

export interface TufSource {
  mirrorURL: string;
  /** The TUF root.json (text) to start from: pinned in the code, never read from the repository. */
  initialRoot: string;
  /** Where the per-run cache is made; the action passes RUNNER_TEMP. */
  tempDir: string;
  timeoutMs: number;
  retries: number;
}

/** The text of the repository's trusted_root.json target, verified by TUF; what TUF threw otherwise. */
export async function fetchTrustedRootTarget(source: TufSource): Promise<string> {
  // A fresh cache per run: a cache shared through the temp directory would let anyone who can
  // write there replace the pinned root or plant a target.
  const cachePath = await mkdtemp(path.join(source.tempDir, 'provenance-tuf-'));
  try {
    const rootPath = path.join(cachePath, 'pinned-root.json');
    await writeFile(rootPath, source.initialRoot);
    const tuf = await initTUF({
      mirrorURL: source.mirrorURL,
      rootPath,
      cachePath,
      forceInit: true,
      retry: { retries: source.retries },
      timeout: source.timeoutMs,
    });
    return await tuf.getTarget('trusted_root.json');
  } finally {
    await rm(cachePath, { recursive: true, force: true });
  }
}

/** The action's temp directory when it runs on a runner (the only place besides the workspace it may write). */
export function tufTempDir(env: NodeJS.ProcessEnv): string {
  return env['RUNNER_TEMP'] || os.tmpdir();
}

/**
 * Whether a TUF failure means the repository gave no answer at all: fetch's own failure (connection
 * refused or reset, DNS, TLS: undici's TypeError "fetch failed") or the request timing out. Anything
 * else (an HTTP error, metadata that does not verify, is expired or rolls back, a missing target) means
 * the repository answered and was refused. tuf-js keeps the network error as the thrown error or its
 * cause, except for snapshot and targets, which it rewraps as text; those count as answered, which
 * fails closed.
 */
export function isUnreachable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return true;
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
    current = current.cause;
  }
  return false;
}

/**
 * TUFError wraps the underlying error as its cause; the chain of messages, on one line. Made safe to
 * log: a message may quote what the repository served (a JSON parser's complaint shows its bytes).
 */
export function tufReason(err: unknown): string {
  let current: unknown = err;
  const messages: string[] = [];
  while (current instanceof Error && messages.length < 4) {
    messages.push(current.message);
    current = current.cause;
  }
  return untrusted((messages.join(': ') || String(err)).replace(/\s+/g, ' '), FAILURE_FIELD_MAX);
}
