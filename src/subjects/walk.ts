// The search @actions/glob's globber does (same patterns, same order of decisions: match, follow
// symlinks, skip broken ones and cycles, descend where an include may match), but reading each
// directory once with its entries' types. @actions/glob stats every entry and takes a thread-pool
// round trip per call; with 100,000 files that was most of the run. Here only symlinks and search
// roots are stat-ed, and a real path is worked out from the parent's instead of asked for.
import { readdirSync, realpathSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import {
  GlobPattern,
  MatchKind,
  matchAll,
  partialMatchAll,
  searchPaths,
  withImplicitDescendants,
} from './glob-pattern.ts';
import { statOrUndefined } from './workspace.ts';

export interface WalkOptions {
  /** Add `<pattern>/**` for each pattern: a directory matches the files under it. */
  implicitDescendants: boolean;
  /** Report matched directories too (they are still descended into either way). */
  matchDirectories: boolean;
}

export type ItemKind = 'file' | 'dir' | 'other';

/**
 * Receives each matched item: its path as found (search path and entry names joined, symlinks
 * not resolved), its real path, and its size when known (search roots and symlink targets are
 * stat-ed; entries read from a directory are not). Arguments rather than an object: one object
 * less per file in a walk of 100,000.
 */
export type OnItem = (path: string, real: string, kind: ItemKind, size: number | undefined) => void;

interface Entry {
  path: string;
  /** Known from the parent's real path; '' until resolved for search roots and symlinks. */
  real: string;
  /** undefined until resolved, for search roots and symlinks. */
  kind: ItemKind | undefined;
  size: number | undefined;
  level: number;
}

// Entries handled between two turns of the event loop, so worker replies and progress keep
// flowing while a large tree is searched (a turn costs microseconds; this many entries, ~1 ms).
const ENTRIES_PER_TURN = 2000;

/**
 * Calls `onItem` for each path the patterns match, in @actions/glob's order. `onItem` may throw
 * (a symlink leading out of the workspace): the walk stops there, before descending.
 */
export async function walk(patternTexts: readonly string[], options: WalkOptions, onItem: OnItem): Promise<void> {
  const given = patternTexts.map((text) => new GlobPattern(text));
  const patterns = options.implicitDescendants ? withImplicitDescendants(given) : given;
  const stack: Entry[] = [];
  for (const searchPath of searchPaths(patterns)) {
    if (statOrUndefined(searchPath, false))
      stack.unshift({ path: searchPath, real: '', kind: undefined, size: undefined, level: 1 });
  }
  const chain: string[] = []; // real paths of the directories above the current one: a symlink cycle
  let sinceTurn = 0;
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (++sinceTurn >= ENTRIES_PER_TURN) {
      sinceTurn = 0;
      await setImmediate();
    }
    const match = matchAll(patterns, entry.path);
    if (match === MatchKind.None && !partialMatchAll(patterns, entry.path)) continue;
    const kind = entry.kind ?? resolve(entry);
    if (kind === undefined) continue; // a broken symlink, or deleted while we looked
    if (kind === 'dir') {
      while (chain.length >= entry.level) chain.pop();
      if (chain.includes(entry.real)) continue;
      chain.push(entry.real);
      // A matched directory is reported and, as in @actions/glob, still descended into.
      if (match & MatchKind.Directory && options.matchDirectories) onItem(entry.path, entry.real, kind, entry.size);
      const dirents = readdirSync(entry.path, { withFileTypes: true });
      const sameReal = entry.real === entry.path;
      for (let i = dirents.length - 1; i >= 0; i--) {
        const dirent = dirents[i] as Dirent;
        const path = join(entry.path, dirent.name);
        const type = kindOfDirent(dirent);
        // A symlink's real path is resolved when reached; the rest extend the parent's.
        const real = type === undefined ? '' : sameReal ? path : join(entry.real, dirent.name);
        stack.push({ path, real, kind: type, size: undefined, level: entry.level + 1 });
      }
    } else if (match & MatchKind.File) {
      onItem(entry.path, entry.real, kind, entry.size);
    }
  }
}

/** Follows a search root or symlink: stat for its kind and size, and its real path. */
function resolve(entry: Entry): ItemKind | undefined {
  const st = statOrUndefined(entry.path);
  if (!st) return undefined;
  const real = realOrUndefined(entry.path);
  if (real === undefined) return undefined;
  entry.real = real;
  entry.kind = kindOf(st);
  entry.size = st.isFile() ? st.size : undefined;
  return entry.kind;
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch (err) {
    if (err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return undefined;
    throw err;
  }
}

function kindOf(st: Stats): ItemKind {
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

/** The kind of a directory entry; undefined for a symlink, whose target decides. */
function kindOfDirent(dirent: Dirent): ItemKind | undefined {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isSymbolicLink()) return undefined;
  return 'other';
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
