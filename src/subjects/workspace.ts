// Keeps every subject inside the workspace. Patterns are checked as text before globbing
// (so `../x` and `/etc/passwd` never reach the file system), and every file found is checked
// again by its real path (so a symlink cannot lead out).
import { lstat, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { ProvenanceError } from '../errors.ts';
import { show } from './show.ts';

export interface Workspace {
  /** Absolute workspace path as given (patterns and names are relative to it). */
  dir: string;
  /** Its real path: symlink targets must lie under this. */
  real: string;
}

export async function openWorkspace(dir: string): Promise<Workspace> {
  const abs = path.resolve(dir);
  try {
    return { dir: abs, real: await realpath(abs) };
  } catch (err) {
    throw new ProvenanceError('INPUT_INVALID', `workspace ${show(abs)} cannot be used: ${reason(err)}`, 'Run the action in a checked-out workspace (GITHUB_WORKSPACE) or pass an existing directory.');
  }
}

export function isInside(root: string, p: string): boolean {
  if (p === root) return true;
  return p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

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
    throw new ProvenanceError('INPUT_INVALID', `${input} ${show(value)} has '..' after a wildcard; expected a path inside the workspace`, "Write the pattern without '..' segments.");
  }
  const normal = path.isAbsolute(value) ? path.normalize(value) : path.join(ws.dir, value);
  const root = [ws.dir, ws.real].find((r) => isInside(r, normal));
  if (root === undefined) {
    throw new ProvenanceError(
      'PATH_OUTSIDE_WORKSPACE',
      `${input} ${show(value)} resolves to ${show(normal)}, outside the workspace ${show(ws.dir)}; expected a path inside it`,
      'Copy the artifact into the workspace and name it by a relative path.',
    );
  }
  return { path: normal, root };
}

/** Real path of `file`, refusing one whose target lies outside the workspace. */
export async function realInWorkspace(ws: Workspace, input: string, file: string): Promise<string> {
  const real = await realpath(file);
  if (!isInside(ws.real, real)) {
    throw new ProvenanceError(
      'PATH_OUTSIDE_WORKSPACE',
      `${input} matched the symlink ${show(relativeName(ws, file))}, whose target ${show(real)} is outside the workspace ${show(ws.real)}; expected a target inside it`,
      'Replace the symlink with the file itself, or remove it from the pattern with a `!` exclude.',
    );
  }
  return real;
}

/** `file` relative to the workspace with `/` separators: the name of a file found in a tree. */
export function relativeName(ws: Workspace, file: string): string {
  const base = isInside(ws.dir, file) ? ws.dir : ws.real;
  return path.relative(base, file).split(path.sep).join('/');
}

/** stat without following a final symlink only when asked; maps ENOENT to undefined. */
export async function statOrUndefined(file: string, follow = true): Promise<Stats | undefined> {
  try {
    return follow ? await stat(file) : await lstat(file);
  } catch (err) {
    if (isErrno(err) && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return undefined;
    throw err;
  }
}

export function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** The OS's reason for a failure, e.g. "EACCES: permission denied", without the path again. */
export function reason(err: unknown): string {
  if (isErrno(err) && err.code !== undefined) {
    const m = /^[A-Z]+: ([^,]+)/.exec(err.message);
    return m?.[1] !== undefined ? `${err.code}: ${m[1]}` : err.code;
  }
  return err instanceof Error ? err.message : String(err);
}
