// Which trusted roots a run verifies against, from the user's choice: the public-good instance
// (offline, built in), GitHub's instance (fetched through TUF), both (`auto`), or a file holding
// one trusted root JSON or several as JSON Lines. Every root is validated before it is returned.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from '../../errors.ts';
import { parseJSON } from '../../json.ts';
import { VerificationError } from '../types.ts';
import { fetchGitHubTrustedRoot, type GitHubRootOptions } from './github.ts';
import { publicGoodTrustedRoot } from './public-good.ts';
import type { TrustedRootJSON } from './root-json.ts';
import { validateTrustedRoot } from './validate.ts';

export interface LoadOptions {
  github?: GitHubRootOptions;
}

/** A trusted root file: a real root is under 10 KiB; JSON Lines of several stay far below this. */
export const MAX_TRUSTED_ROOT_FILE_BYTES = 4 * 1024 * 1024;

// `auto` must not hold a run up when GitHub's TUF repository is out of reach: one quick try.
const AUTO_GITHUB: GitHubRootOptions = { timeoutMs: 3000, retries: 0 };

/** `choice`: public-good | github | auto | a path (relative to `workspace`) of a .json or .jsonl file. */
export async function loadTrustedRoots(choice: string, workspace: string, options: LoadOptions = {}): Promise<TrustedRootJSON[]> {
  switch (choice.trim()) {
    case 'public-good':
      return [validateTrustedRoot(publicGoodTrustedRoot(), 'the built-in public-good trusted root')];
    case 'github':
      return [githubRoot(await fetchGitHubTrustedRoot(options.github))];
    case 'auto': {
      const roots = [validateTrustedRoot(publicGoodTrustedRoot(), 'the built-in public-good trusted root')];
      // Public-good alone still verifies public repositories' bundles; GitHub's root is a bonus
      // here, and a missing root can only make verification stricter, never laxer.
      const github = await fetchGitHubTrustedRoot({ ...AUTO_GITHUB, ...options.github }).catch((err: unknown) => {
        if (err instanceof ProvenanceError) return undefined;
        throw err;
      });
      if (github !== undefined) roots.push(githubRoot(github));
      return roots;
    }
    case '':
      throw new ProvenanceError('INPUT_INVALID', 'no trusted root given', 'Use public-good, github, auto, or the path of a trusted root JSON file');
    default:
      return rootsFromFile(path.resolve(workspace, choice.trim()));
  }
}

function githubRoot(text: string): TrustedRootJSON {
  return validateTrustedRoot(rootJSON(text, "GitHub's trusted root"), "GitHub's trusted root");
}

async function rootsFromFile(file: string): Promise<TrustedRootJSON[]> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_TRUSTED_ROOT_FILE_BYTES) throw new VerificationError({ check: 'trusted-root', expected: `a trusted root file of at most ${MAX_TRUSTED_ROOT_FILE_BYTES} bytes`, found: `${size} bytes in ${file}` });
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ProvenanceError('TRUSTED_ROOT_UNAVAILABLE', `cannot read the trusted root file ${file} (${code})`, 'Give the path of a trusted root JSON file, or public-good, github or auto', { cause: err });
  }
  const whole = parseJSON(text);
  if (whole.ok) return [validateTrustedRoot(whole.value, file)];
  // Not one JSON document: JSON Lines, one trusted root per non-empty line.
  const roots = text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), source: `${file} line ${i + 1}` }))
    .filter(({ line }) => line !== '')
    .map(({ line, source }) => validateTrustedRoot(rootJSON(line, source), source));
  if (roots.length === 0) throw new VerificationError({ check: 'trusted-root', expected: 'a trusted root JSON document', found: `an empty file ${file}` });
  return roots;
}

function rootJSON(text: string, source: string): unknown {
  const parsed = parseJSON(text);
  if (!parsed.ok) throw new VerificationError({ check: 'trusted-root', expected: 'a trusted root JSON document', found: `invalid JSON (${parsed.reason}) in ${source}` });
  return parsed.value;
}
