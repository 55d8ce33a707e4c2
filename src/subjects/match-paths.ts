// Finds the files named by `subject-path` and decides each one's subject name: the basename
// for a file a pattern matched directly (as actions/attest names it), the workspace-relative
// path for a file found under a matched directory (basenames collide in trees).
import * as glob from '@actions/glob';
import path from 'node:path';
import { ProvenanceError } from '../errors.ts';
import { parsePatterns } from './patterns.ts';
import type { IncludePattern } from './patterns.ts';
import { show } from './show.ts';
import { checkSubjectName } from './subject-name.ts';
import { realInWorkspace, relativeName, statOrUndefined } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export interface FoundFile {
  /** Absolute path as found (a symlink keeps its own path). */
  path: string;
  /** Real path: what is opened and hashed. */
  real: string;
  name: string;
  size: number;
}

export async function matchPaths(ws: Workspace, raw: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const pattern of parsePatterns(ws, raw)) found.push(...(await matchOne(ws, pattern)));
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

interface Item {
  path: string;
  real: string;
  kind: 'file' | 'dir' | 'other';
  size: number;
}

async function matchOne(ws: Workspace, pattern: IncludePattern): Promise<FoundFile[]> {
  const items = await globItems(ws, pattern, [...pattern.globs, ...pattern.excludes], true);
  const dirs = new Set(items.filter((i) => i.kind === 'dir').map((i) => i.path));
  const leaves = items.filter((i) => i.kind !== 'dir');
  if (leaves.length === 0) {
    const after = pattern.excludes.length > 0 ? ' (after the `!` excludes that follow it)' : '';
    throw new ProvenanceError('SUBJECT_NOT_FOUND', `subject-path pattern ${show(pattern.text)} matched no file${after}; expected at least one file in the workspace`, 'Check the path is relative to the workspace and that the step building the artifact ran first.');
  }
  const direct = await directMatches(ws, pattern, leaves, dirs);
  const files: FoundFile[] = [];
  for (const item of leaves) {
    const isDirect = direct === 'all' || direct.has(item.path);
    if (item.kind === 'other') {
      // Named on purpose: say so. Found while walking a tree: not an artifact, skip it.
      if (!isDirect) continue;
      throw new ProvenanceError('SUBJECT_NOT_REGULAR', `subject-path pattern ${show(pattern.text)} matched ${show(relativeName(ws, item.path))}, which is not a regular file (a FIFO, socket or device); expected a file`, 'Point subject-path at the artifact files only.');
    }
    const name = isDirect ? path.basename(item.path) : relativeName(ws, item.path);
    // Checked before any hashing: a bad name should fail fast, not after a gigabyte.
    checkSubjectName(name, `subject-path file ${show(relativeName(ws, item.path))}`);
    files.push({ path: item.path, real: item.real, size: item.size, name });
  }
  return files;
}

/**
 * The leaves the pattern itself matched, as opposed to those reached through a matched
 * directory. Settled from the pattern's text when possible; only a wildcard pattern that
 * also matched directories needs a second, descendant-free glob to tell them apart.
 */
async function directMatches(ws: Workspace, pattern: IncludePattern, leaves: Item[], dirs: Set<string>): Promise<Set<string> | 'all'> {
  if (pattern.literals) return new Set(pattern.literals);
  if (pattern.globstarTail) return 'all';
  const underDir = (p: string): boolean => {
    for (let d = path.dirname(p); d !== path.dirname(d); d = path.dirname(d)) if (dirs.has(d)) return true;
    return false;
  };
  if (!leaves.some((l) => underDir(l.path))) return 'all';
  const items = await globItems(ws, pattern, pattern.globs, false);
  return new Set(items.map((i) => i.path));
}

/** Runs @actions/glob, checking each item's real path as it comes (before it is descended into). */
async function globItems(ws: Workspace, pattern: IncludePattern, patterns: string[], descendants: boolean): Promise<Item[]> {
  const globber = await glob.create(patterns.join('\n'), { implicitDescendants: descendants, matchDirectories: descendants, followSymbolicLinks: true });
  const items: Item[] = [];
  for await (const p of globber.globGenerator()) {
    const real = await realInWorkspace(ws, `subject-path pattern ${show(pattern.text)}`, p);
    const st = await statOrUndefined(real);
    if (!st) continue; // deleted while we looked
    items.push({ path: p, real, kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', size: st.size });
  }
  return items;
}
