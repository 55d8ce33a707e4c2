// Finds the files named by `subject-path` and decides each one's subject name: the basename
// for a file a pattern matched directly (as actions/attest names it), the workspace-relative
// path for a file found under a matched directory (basenames collide in trees).
import * as glob from '@actions/glob';
import path from 'node:path';
import { ProvenanceError, type ErrorCode } from '../common/errors.ts';
import { parsePatterns } from './patterns.ts';
import type { IncludePattern } from './patterns.ts';
import { show } from './show.ts';
import { checkSubjectName } from './subject-name.ts';
import { walk } from './walk.ts';
import { checkRealInWorkspace, isInside, realInWorkspace, relativeName, statOrUndefined } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export interface FoundFile {
  /** Absolute path as found (a symlink keeps its own path). */
  path: string;
  /** Real path: what is opened and hashed. */
  real: string;
  name: string;
  size: number;
}

/** A found file whose size is known only if finding it took a stat (see walk.ts). */
export interface MatchedFile extends Omit<FoundFile, 'size'> {
  size: number | undefined;
}

/** Called for each regular file as soon as it is found, so hashing can overlap the search. */
export type OnFile = (real: string, size: number | undefined, label: string) => void;

/**
 * How the file system is searched: `walk` (walk.ts, @actions/glob's rules without its per-entry
 * stat) on POSIX; @actions/glob itself on Windows, whose path rules walk.ts does not port.
 * Both are kept so tests can check they agree.
 */
export type SearchEngine = 'walk' | 'actions-glob';
const ENGINE: SearchEngine = process.platform === 'win32' ? 'actions-glob' : 'walk';

/** `input` names the action input in messages: subject-path, or bundle-path in verify mode. */
export async function matchPaths(
  ws: Workspace,
  raw: string,
  onFile: OnFile = () => undefined,
  input = 'subject-path',
): Promise<FoundFile[]> {
  const files = await findFiles(ws, raw, onFile, input);
  return files.map((f) => ({ ...f, size: f.size ?? statOrUndefined(f.real)?.size ?? 0 }));
}

/** matchPaths without the stat per file that sizes cost: what hashing needs (it learns sizes as it reads). */
export async function findFiles(
  ws: Workspace,
  raw: string,
  onFile: OnFile = () => undefined,
  input = 'subject-path',
  engine: SearchEngine = ENGINE,
): Promise<MatchedFile[]> {
  const found: MatchedFile[] = [];
  for (const pattern of parsePatterns(ws, raw, input)) {
    for (const file of await matchOne(ws, pattern, onFile, input, engine)) found.push(file);
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

interface Item {
  path: string;
  real: string;
  kind: 'file' | 'dir' | 'other';
  size: number | undefined;
  /** Workspace-relative path: the name of a file found in a tree, and its label in messages. */
  rel: string;
}

// What matching nothing means, by the input that named the files: artifacts (the default) are
// built by an earlier step; bundles are written by attest mode or downloaded.
const NOT_FOUND_DEFAULT: { code: ErrorCode; hint: string } = {
  code: 'SUBJECT_NOT_FOUND',
  hint: 'Check the path is relative to the workspace and that the step building the artifact ran first.',
};
const NOT_FOUND: Readonly<Record<string, { code: ErrorCode; hint: string }>> = {
  'bundle-path': {
    code: 'BUNDLE_NOT_FOUND',
    hint: 'Check the path is relative to the workspace and that the bundles are there: attest mode writes them under RUNNER_TEMP unless its bundle-path is set (pass its bundle-path output), or download them first.',
  },
  links: {
    code: 'LINK_INVALID',
    hint: 'Name the bundle files of the earlier stage, in the workspace (the bundle-path output of its attest step).',
  },
  manifests: {
    code: 'SUBJECT_NOT_FOUND',
    hint: 'Check the path is relative to the workspace and that the step writing the manifests ran first.',
  },
};

async function matchOne(
  ws: Workspace,
  pattern: IncludePattern,
  onFile: OnFile,
  input: string,
  engine: SearchEngine,
): Promise<MatchedFile[]> {
  const items = await globItems(ws, pattern, [...pattern.globs, ...pattern.excludes], true, onFile, input, engine);
  const dirs = new Set(items.filter((i) => i.kind === 'dir').map((i) => i.path));
  const leaves = items.filter((i) => i.kind !== 'dir');
  const direct = await directMatches(ws, pattern, leaves, dirs, input, engine);
  const files: MatchedFile[] = [];
  for (const item of leaves) {
    const isDirect = direct === 'all' || direct.has(item.path);
    if (item.kind === 'other') {
      // Named on purpose: say so. Found while walking a tree: not an artifact, skip it.
      if (!isDirect) continue;
      throw new ProvenanceError(
        'SUBJECT_NOT_REGULAR',
        `${input} pattern ${show(pattern.text)} matched ${show(item.rel)}, which is not a regular file (a FIFO, socket or device); expected a file`,
        `Point ${input} at regular files only.`,
      );
    }
    const name = isDirect ? path.basename(item.path) : treeName(ws, item, dirs);
    checkSubjectName(name, () => `${input} file ${show(item.rel)}`);
    files.push({ path: item.path, real: item.real, size: item.size, name });
  }
  if (files.length === 0) {
    const after = pattern.excludes.length > 0 ? ' (after the `!` excludes that follow it)' : '';
    const { code, hint } = NOT_FOUND[input] ?? NOT_FOUND_DEFAULT;
    throw new ProvenanceError(
      code,
      `${input} pattern ${show(pattern.text)} matched no file${after}; expected at least one regular file in the workspace`,
      hint,
    );
  }
  return files;
}

/**
 * The name of a file found under a matched directory: its workspace-relative path. Outside the
 * workspace (the CLI) there is no workspace to be relative to, so it is named from the matched
 * directory down (`~/Downloads/dist` gives `dist/a.bin`, as `dist` in the workspace would),
 * never by an absolute path that would put the user's home into the statement.
 */
function treeName(ws: Workspace, item: Item, dirs: ReadonlySet<string>): string {
  if (ws.confined || isInside(ws.dir, item.path) || isInside(ws.real, item.path)) return item.rel;
  let top: string | undefined;
  for (const dir of dirs) if (isInside(dir, item.path) && (top === undefined || dir.length < top.length)) top = dir;
  const rel = path.relative(path.dirname(top ?? path.dirname(item.path)), item.path);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/**
 * The leaves the pattern itself matched, as opposed to those reached through a matched
 * directory. Settled from the pattern's text when possible; only a wildcard pattern that
 * also matched directories needs a second, descendant-free glob to tell them apart.
 */
async function directMatches(
  ws: Workspace,
  pattern: IncludePattern,
  leaves: Item[],
  dirs: Set<string>,
  input: string,
  engine: SearchEngine,
): Promise<Set<string> | 'all'> {
  if (pattern.literals) return new Set(pattern.literals);
  if (pattern.globstarTail) return 'all';
  const underDir = (p: string): boolean => {
    for (let d = path.dirname(p); d !== path.dirname(d); d = path.dirname(d)) if (dirs.has(d)) return true;
    return false;
  };
  if (!leaves.some((l) => underDir(l.path))) return 'all';
  const items = await globItems(ws, pattern, pattern.globs, false, () => undefined, input, engine);
  return new Set(items.map((i) => i.path));
}

/** Searches, checking each item's real path as it comes (before it is descended into). */
async function globItems(
  ws: Workspace,
  pattern: IncludePattern,
  patterns: string[],
  descendants: boolean,
  onFile: OnFile,
  inputName: string,
  engine: SearchEngine,
): Promise<Item[]> {
  const items: Item[] = [];
  const input = `${inputName} pattern ${show(pattern.text)}`;
  const add = (p: string, real: string, kind: Item['kind'], size: number | undefined): void => {
    const rel = relativeName(ws, p);
    if (kind === 'file') onFile(real, size, rel);
    items.push({ path: p, real, kind, size, rel });
  };
  if (engine === 'walk') {
    await walk(patterns, { implicitDescendants: descendants, matchDirectories: descendants }, (p, real, kind, size) => {
      checkRealInWorkspace(ws, input, p, real);
      add(p, real, kind, size);
    });
    return items;
  }
  const globber = await glob.create(patterns.join('\n'), {
    implicitDescendants: descendants,
    matchDirectories: descendants,
    followSymbolicLinks: true,
  });
  for await (const p of globber.globGenerator()) {
    const real = realInWorkspace(ws, input, p);
    const st = real === undefined ? undefined : statOrUndefined(real);
    if (real === undefined || !st) continue; // deleted while we looked
    add(p, real, st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', st.size);
  }
  return items;
}
