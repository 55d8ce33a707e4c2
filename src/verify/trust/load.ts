// Which trusted roots a run verifies against, from the user's choice: the public-good instance
// (current, through TUF; `public-good-offline`: the snapshot shipped with the action), GitHub's
// instance (through TUF), both (`auto`), or a file holding one trusted root JSON or several as
// JSON Lines. Every root is validated before it is returned.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from '../../common/errors.ts';
import type { Log } from '../../common/log.ts';
import { parseJSON } from '../../common/json.ts';
import { VerificationError } from '../types.ts';
import { fetchGitHubTrustedRoot, type GitHubRootOptions } from './github.ts';
import { publicGoodSnapshot } from './public-good.ts';
import { publicGoodTrustedRoot, type PublicGoodRootOptions } from './public-good-tuf.ts';
import type { TrustedRootJSON } from './root-json.ts';
import { trustedRootFromText, validateTrustedRoot } from './validate.ts';

export interface LoadOptions {
  github?: GitHubRootOptions;
  publicGood?: PublicGoodRootOptions;
  /** Where the per-run TUF caches are made: RUNNER_TEMP in the action (tufTempDir). */
  tempDir?: string;
  /** Where a fallback to the shipped public-good snapshot is announced. */
  log?: Pick<Log, 'warning'>;
}

/** The named choices; anything else is the path of a trusted root file. */
export const NAMED_TRUSTED_ROOTS: readonly string[] = ['auto', 'public-good', 'public-good-offline', 'github'];

/** A trusted root file: a real root is under 10 KiB; JSON Lines of several stay far below this. */
export const MAX_TRUSTED_ROOT_FILE_BYTES = 4 * 1024 * 1024;

// `auto` must not hold a run up when GitHub's TUF repository is out of reach: one quick try.
const AUTO_GITHUB: GitHubRootOptions = { timeoutMs: 3000, retries: 0 };

const CHOICES = 'public-good, public-good-offline, github, auto';

/** `choice`: one of NAMED_TRUSTED_ROOTS, or a path (relative to `workspace`) of a .json or .jsonl file. */
export async function loadTrustedRoots(
  choice: string,
  workspace: string,
  options: LoadOptions = {},
): Promise<TrustedRootJSON[]> {
  const cache = options.tempDir === undefined ? {} : { tempDir: options.tempDir };
  const publicGood = (): Promise<TrustedRootJSON> =>
    publicGoodTrustedRoot({ ...cache, ...options.publicGood }, options.log ?? { warning: () => undefined });
  switch (choice.trim()) {
    case 'public-good':
      return [await publicGood()];
    case 'public-good-offline':
      return [publicGoodSnapshot()];
    case 'github':
      return [githubRoot(await fetchGitHubTrustedRoot({ ...cache, ...options.github }))];
    case 'auto': {
      // Public-good alone still verifies public repositories' bundles; GitHub's root is a bonus
      // here, and a missing root can only make verification stricter, never laxer. Public-good's
      // own failures (other than being out of reach) still end the run.
      const github = fetchGitHubTrustedRoot({ ...cache, ...AUTO_GITHUB, ...options.github }).catch((err: unknown) => {
        if (err instanceof ProvenanceError) return undefined;
        throw err;
      });
      const [publicGoodRoot, githubText] = await Promise.all([publicGood(), github]);
      return githubText === undefined ? [publicGoodRoot] : [publicGoodRoot, githubRoot(githubText)];
    }
    case '':
      throw new ProvenanceError(
        'INPUT_INVALID',
        'no trusted root given',
        `Use ${CHOICES}, or the path of a trusted root JSON file`,
      );
    default:
      return rootsFromFile(path.resolve(workspace, choice.trim()));
  }
}

function githubRoot(text: string): TrustedRootJSON {
  return trustedRootFromText(text, "GitHub's trusted root");
}

async function rootsFromFile(file: string): Promise<TrustedRootJSON[]> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_TRUSTED_ROOT_FILE_BYTES)
      throw new VerificationError({
        check: 'trusted-root',
        expected: `a trusted root file of at most ${MAX_TRUSTED_ROOT_FILE_BYTES} bytes`,
        found: `${size} bytes in ${file}`,
      });
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ProvenanceError(
      'TRUSTED_ROOT_UNAVAILABLE',
      `cannot read the trusted root file ${file} (${code})`,
      `Give the path of a trusted root JSON file, or one of ${CHOICES}`,
      { cause: err },
    );
  }
  const whole = parseJSON(text);
  if (whole.ok) return [validateTrustedRoot(whole.value, file)];
  // Not one JSON document: JSON Lines, one trusted root per non-empty line.
  const roots = text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), source: `${file} line ${i + 1}` }))
    .filter(({ line }) => line !== '')
    .map(({ line, source }) => trustedRootFromText(line, source));
  if (roots.length === 0)
    throw new VerificationError({
      check: 'trusted-root',
      expected: 'a trusted root JSON document',
      found: `an empty file ${file}`,
    });
  return roots;
}
