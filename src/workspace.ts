// Paths from inputs never leave the places a step may write or read: the workspace (and, for
// output, the runner's temp directory). Symlinks are resolved before the check, so a link inside
// the workspace that points outside it is refused too.

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ProvenanceError } from './errors.ts';

/** Whether the absolute, normalised path `p` is `root` or lies under it (by path segments, not text). */
export function isInside(root: string, p: string): boolean {
  if (!p.startsWith(root)) return false;
  // Checked per file found, so without building `root + sep` each time.
  return p.length === root.length || root.endsWith(path.sep) || p[root.length] === path.sep;
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for files yet to be written). */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realish(parent), path.basename(p));
  }
}

/**
 * Resolves an input path against the workspace and checks that it (after symlinks) lies inside
 * one of `roots`. Returns the resolved, non-canonicalised path.
 */
export function resolveInside(input: string, value: string, workspace: string, roots: readonly string[] = [workspace]): string {
  const resolved = path.resolve(workspace, value);
  const real = realish(resolved);
  if (roots.some((root) => isInside(realish(root), real))) return resolved;
  throw new ProvenanceError(
    'PATH_OUTSIDE_WORKSPACE',
    `${input}: "${value}" resolves to ${real}, outside ${roots.length > 1 ? `the allowed directories (${roots.join(', ')})` : `the workspace ${workspace}`}`,
    `Give a path inside the workspace (relative paths are resolved against ${workspace})`,
  );
}
