// Paths from inputs never leave the places a step may write or read: the workspace (and, for
// output, the runner's temp directory). Symlinks are resolved before the check, so a link inside
// the workspace that points outside it is refused too. That rule is the action's, where
// GITHUB_WORKSPACE bounds what a step should touch; the CLI runs on the user's own machine and
// reads and writes wherever it is told (ANYWHERE).

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ProvenanceError } from './errors.ts';

/** Whether the absolute, normalised path `p` is `root` or lies under it (by path segments, not text). */
export function isInside(root: string, p: string): boolean {
  if (!p.startsWith(root)) return false;
  // Checked per file found, so without building `root + sep` each time.
  return p.length === root.length || root.endsWith(path.sep) || p[root.length] === path.sep;
}

/** A symlink (the path itself or one of its parents) whose target does not exist, or a loop of links. */
class DanglingLink extends Error {
  readonly link: string;
  readonly target: string;
  constructor(link: string, target: string) {
    super(`${link} is a symlink to ${target}, which does not exist`);
    this.link = link;
    this.target = target;
  }
}

/**
 * The real path of `p`, or of its nearest existing ancestor joined with the rest (for files yet to be
 * written). A dangling symlink on the way is not a file yet to be written: where it leads is decided by
 * whoever creates its target, after this check, so it is refused (DanglingLink).
 */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    if (isSymlink(p)) throw new DanglingLink(p, readlinkSync(p));
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realish(parent), path.basename(p));
  }
}

/** Whether `p` itself is a symlink; a path that cannot be there at all (ENOENT, ENOTDIR under a file) is not. */
function isSymlink(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() === true;
  } catch {
    return false;
  }
}

/** The CLI's rule: any path, relative ones resolved against the current directory. */
export const ANYWHERE = 'anywhere';

/** The directories paths must stay in, or ANYWHERE. */
export type PathRoots = readonly string[] | typeof ANYWHERE;

/** What a mode's runtime says about paths: `confined` false (the CLI) lifts the workspace rule. */
export interface PathRules {
  workspace: string;
  /** Directories besides the workspace that outputs may name (the runner's temp dir). */
  outputRoots: readonly string[];
  /** Default true: only the CLI sets false. */
  confined?: boolean;
}

/** Where inputs read from may lie. */
export const readRoots = (rules: PathRules): PathRoots => (rules.confined === false ? ANYWHERE : [rules.workspace]);
/** Where outputs may be written. */
export const writeRoots = (rules: PathRules): PathRoots =>
  rules.confined === false ? ANYWHERE : [rules.workspace, ...rules.outputRoots];

/**
 * Resolves an input path against the workspace and checks that it (after symlinks) lies inside
 * one of `roots`. Returns the resolved, non-canonicalised path.
 */
export function resolveInside(input: string, value: string, workspace: string, roots: PathRoots = [workspace]): string {
  const resolved = path.resolve(workspace, value);
  if (roots === ANYWHERE) return resolved;
  let real: string;
  try {
    real = realish(resolved);
  } catch (err) {
    if (!(err instanceof DanglingLink)) throw err;
    throw new ProvenanceError(
      'PATH_OUTSIDE_WORKSPACE',
      `${input}: "${value}" leads through the dangling symlink ${err.link} (to ${err.target}, which does not exist), so where a write would land cannot be checked; expected an existing file or a path without dangling symlinks`,
      'Remove the dangling symlink or create its target inside the workspace first',
    );
  }
  if (roots.some((root) => isInside(realish(root), real))) return resolved;
  throw new ProvenanceError(
    'PATH_OUTSIDE_WORKSPACE',
    `${input}: "${value}" resolves to ${real}, outside ${roots.length > 1 ? `the allowed directories (${roots.join(', ')})` : `the workspace ${workspace}`}`,
    `Give a path inside the workspace (relative paths are resolved against ${workspace})`,
  );
}
