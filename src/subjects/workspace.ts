// Keeps every subject inside the workspace. Patterns are checked as text before globbing
// (so `../x` and `/etc/passwd` never reach the file system), and every file found is checked
// again by its real path (so a symlink cannot lead out). An unconfined workspace (the CLI's:
// the current directory) only anchors relative paths; any path may be named.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from '../common/errors.ts';
import { isInside } from '../common/workspace.ts';
import { isErrno, reason } from './os-reason.ts';
import { show } from './show.ts';

export interface Workspace {
  /** Absolute workspace path as given (patterns and names are relative to it). */
  dir: string;
  /** Its real path: symlink targets must lie under this. */
  real: string;
  /** false: paths may lead anywhere (the CLI). */
  confined: boolean;
}

export async function openWorkspace(dir: string, confined = true): Promise<Workspace> {
  const abs = path.resolve(dir);
  try {
    return { dir: abs, real: await realpath(abs), confined };
  } catch (err) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `workspace ${show(abs)} cannot be used: ${reason(err)}`,
      'Run the action in a checked-out workspace (GITHUB_WORKSPACE) or pass an existing directory.',
    );
  }
}

export { isInside } from '../common/workspace.ts';

export interface Resolved {
  /** The normalised absolute path (or glob text), unescaped. */
  path: string;
  /** The workspace root it lies under (`dir`, or `real` for an absolute path written that way). */
  root: string;
}

/**
 * Resolves a path or glob against the workspace as text and refuses any that leaves it.
 * `..` after a wildcard is refused outright: where it leads cannot be checked as text.
 */
export function resolveInWorkspace(ws: Workspace, input: string, value: string): Resolved {
  const segments = value.split(/[\\/]+/);
  const firstGlob = segments.findIndex((s) => /[*?[]/.test(s));
  if (firstGlob >= 0 && segments.slice(firstGlob).includes('..')) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${input} ${show(value)} has '..' after a wildcard; expected a path inside the workspace`,
      "Write the pattern without '..' segments.",
    );
  }
  const normal = path.isAbsolute(value) ? path.normalize(value) : path.join(ws.dir, value);
  const root = [ws.dir, ws.real].find((r) => isInside(r, normal));
  // Outside an unconfined workspace nothing of the path is ours to escape: the user wrote all of it.
  if (root === undefined && !ws.confined) return { path: normal, root: path.parse(normal).root };
  if (root === undefined) {
    throw new ProvenanceError(
      'PATH_OUTSIDE_WORKSPACE',
      `${input} ${show(value)} resolves to ${show(normal)}, outside the workspace ${show(ws.dir)}; expected a path inside it`,
      'Copy the artifact into the workspace and name it by a relative path.',
    );
  }
  return { path: normal, root };
}

// The two checks below run once per globbed item, so they are synchronous: a thread-pool round
// trip per call doubled the time to search 1,000 files, and this thread has nothing else to do.

/** Real path of `file` (undefined if it, or a symlink's target, does not exist), refusing one
 *  whose target lies outside the workspace. */
export function realInWorkspace(ws: Workspace, input: string, file: string): string | undefined {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  checkRealInWorkspace(ws, input, file, real);
  return real;
}

/** Refuses `file` when its real path `real` (a symlink's target) lies outside the workspace. */
export function checkRealInWorkspace(ws: Workspace, input: string, file: string, real: string): void {
  if (!ws.confined || isInside(ws.real, real)) return;
  throw new ProvenanceError(
    'PATH_OUTSIDE_WORKSPACE',
    `${input} matched the symlink ${show(relativeName(ws, file))}, whose target ${show(real)} is outside the workspace ${show(ws.real)}; expected a target inside it`,
    'Replace the symlink with the file itself, or remove it from the pattern with a `!` exclude.',
  );
}

/** `file` relative to the workspace with `/` separators: the name of a file found in a tree.
 *  A file outside it (only an unconfined workspace has those) keeps its absolute path. */
export function relativeName(ws: Workspace, file: string): string {
  if (!ws.confined && !isInside(ws.dir, file) && !isInside(ws.real, file))
    return path.sep === '/' ? file : file.split(path.sep).join('/');
  const base = isInside(ws.dir, file) ? ws.dir : ws.real;
  // Called once per file found: slicing off the prefix skips path.relative's work on the common case.
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  const rel = file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(base, file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** stat, or lstat when `follow` is false; undefined when there is nothing there. */
export function statOrUndefined(file: string, follow = true): Stats | undefined {
  try {
    return follow ? statSync(file) : lstatSync(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  return isErrno(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR');
}
