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

/** Called for each regular file as soon as it is found, so hashing can overlap the search. */
export type OnFile = (real: string, size: number, label: string) => void;

/** `input` names the action input in messages: subject-path, or bundle-path in verify mode. */
export async function matchPaths(ws: Workspace, raw: string, onFile: OnFile = () => undefined, input = 'subject-path'): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const pattern of parsePatterns(ws, raw, input)) found.push(...(await matchOne(ws, pattern, onFile, input)));
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

interface Item {
  path: string;
  real: string;
  kind: 'file' | 'dir' | 'other';
  size: number;
}

async function matchOne(ws: Workspace, pattern: IncludePattern, onFile: OnFile, input: string): Promise<FoundFile[]> {
  const items = await globItems(ws, pattern, [...pattern.globs, ...pattern.excludes], true, onFile, input);
  const dirs = new Set(items.filter((i) => i.kind === 'dir').map((i) => i.path));
  const leaves = items.filter((i) => i.kind !== 'dir');
  const direct = await directMatches(ws, pattern, leaves, dirs, input);
  const files: FoundFile[] = [];
  for (const item of leaves) {
    const isDirect = direct === 'all' || direct.has(item.path);
    if (item.kind === 'other') {
      // Named on purpose: say so. Found while walking a tree: not an artifact, skip it.
      if (!isDirect) continue;
      throw new ProvenanceError('SUBJECT_NOT_REGULAR', `${input} pattern ${show(pattern.text)} matched ${show(relativeName(ws, item.path))}, which is not a regular file (a FIFO, socket or device); expected a file`, `Point ${input} at regular files only.`);
    }
    const name = isDirect ? path.basename(item.path) : relativeName(ws, item.path);
    checkSubjectName(name, `${input} file ${show(relativeName(ws, item.path))}`);
    files.push({ path: item.path, real: item.real, size: item.size, name });
  }
  if (files.length === 0) {
    const after = pattern.excludes.length > 0 ? ' (after the `!` excludes that follow it)' : '';
    throw new ProvenanceError('SUBJECT_NOT_FOUND', `${input} pattern ${show(pattern.text)} matched no file${after}; expected at least one regular file in the workspace`, 'Check the path is relative to the workspace and that the step building the artifact ran first.');
  }
  return files;
}

/**
 * The leaves the pattern itself matched, as opposed to those reached through a matched
 * directory. Settled from the pattern's text when possible; only a wildcard pattern that
 * also matched directories needs a second, descendant-free glob to tell them apart.
 */
async function directMatches(ws: Workspace, pattern: IncludePattern, leaves: Item[], dirs: Set<string>, input: string): Promise<Set<string> | 'all'> {
  if (pattern.literals) return new Set(pattern.literals);
  if (pattern.globstarTail) return 'all';
  const underDir = (p: string): boolean => {
    for (let d = path.dirname(p); d !== path.dirname(d); d = path.dirname(d)) if (dirs.has(d)) return true;
    return false;
  };
  if (!leaves.some((l) => underDir(l.path))) return 'all';
  const items = await globItems(ws, pattern, pattern.globs, false, () => undefined, input);
  return new Set(items.map((i) => i.path));
}

/** Runs @actions/glob, checking each item's real path as it comes (before it is descended into). */
async function globItems(ws: Workspace, pattern: IncludePattern, patterns: string[], descendants: boolean, onFile: OnFile, inputName: string): Promise<Item[]> {
  const globber = await glob.create(patterns.join('\n'), { implicitDescendants: descendants, matchDirectories: descendants, followSymbolicLinks: true });
  const items: Item[] = [];
  const input = `${inputName} pattern ${show(pattern.text)}`;
  for await (const p of globber.globGenerator()) {
    const real = realInWorkspace(ws, input, p);
    const st = real === undefined ? undefined : statOrUndefined(real);
    if (real === undefined || !st) continue; // deleted while we looked
    const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    if (kind === 'file') onFile(real, st.size, relativeName(ws, p));
    items.push({ path: p, real, kind, size: st.size });
  }
  return items;
}
