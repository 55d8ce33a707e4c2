// @actions/glob's pattern semantics (its internal Pattern class and pattern helper, which the
// package does not export), ported for POSIX paths so walk.ts can match exactly what @actions/glob
// matches without its stat and async hop per entry. The same minimatch options are used; patterns
// with no wildcard (the usual `dist` or `dist/app.tgz`, and the `dist/**` added for a directory)
// are matched as text, which is what minimatch would conclude for them, only without its cost.
// Windows keeps using @actions/glob itself (match-paths.ts), so no Windows rule is ported.
import { GLOBSTAR, Minimatch } from 'minimatch';

/** What a pattern matched, as @actions/glob's MatchKind: a bit for directories, one for files. */
export const MatchKind = { None: 0, Directory: 1, File: 2, All: 3 } as const;

const MINIMATCH_OPTIONS = { dot: true, nobrace: true, nocase: false, nocomment: true, noext: true, nonegate: true };

export class GlobPattern {
  readonly negate: boolean;
  /** Escaped segments, the root `/` first. */
  readonly segments: readonly string[];
  /** A trailing `/` means the pattern matches directories only. */
  readonly trailingSeparator: boolean;
  /** The literal path before the first wildcard segment: where the walk starts. */
  readonly searchPath: string;
  /** Added by implicitDescendants (`<pattern>/**`): matches below a match, not the match itself. */
  readonly #implicit: boolean;
  readonly #globstarTail: boolean;
  readonly #minimatch: Minimatch;
  /** The one path the pattern matches, when it has no wildcard. */
  readonly #literal: string | undefined;
  /** `<literal>/` when the pattern is a literal path followed by `/**`. */
  readonly #literalPrefix: string | undefined;

  constructor(text: string, implicit = false) {
    let pattern = text.trim();
    let negate = false;
    while (pattern.startsWith('!')) {
      negate = !negate;
      pattern = pattern.slice(1).trim();
    }
    pattern = collapseSeparators(pattern);
    if (!pattern.startsWith('/')) throw new Error(`glob pattern ${JSON.stringify(pattern)} is not absolute`); // patterns.ts makes them so
    this.negate = negate;
    this.#implicit = implicit;
    this.trailingSeparator = pattern.endsWith('/');
    pattern = trimTrailingSeparator(pattern);
    this.segments = pattern === '/' ? ['/'] : ['/', ...pattern.slice(1).split('/')];
    this.#globstarTail = this.segments[this.segments.length - 1] === '**';
    const literals: string[] = [];
    for (const segment of this.segments) {
      const literal = literalSegment(segment);
      if (literal === '') break;
      literals.push(literal);
    }
    this.searchPath = `/${literals.slice(1).join('/')}`;
    this.#minimatch = new Minimatch(pattern, MINIMATCH_OPTIONS);
    const set = this.#minimatch.set.length === 1 ? this.#minimatch.set[0] : undefined;
    const strings = (parts: readonly unknown[]): parts is string[] => parts.every((p) => typeof p === 'string');
    this.#literal = set && strings(set) ? set.join('/') : undefined;
    const head = set?.slice(0, -1) ?? [];
    this.#literalPrefix = set && set[set.length - 1] === GLOBSTAR && strings(head) ? `${head.join('/')}/` : undefined;
  }

  /** The `<pattern>/**` that implicitDescendants adds, or undefined when it would add none. */
  implicitDescendants(): GlobPattern | undefined {
    if (!this.trailingSeparator && this.#globstarTail) return undefined;
    const text = `/${[...this.segments.slice(1), '**'].join('/')}`;
    return new GlobPattern(this.negate ? `!${text}` : text, true);
  }

  /** `itemPath`: absolute, without `//` (walk.ts joins normalised search paths with entry names). */
  match(itemPath: string): number {
    let p = itemPath;
    if (this.#globstarTail) {
      // As @actions/glob: minimatch does not match `/foo/**` against `/foo`, only `/foo/`.
      if (!p.endsWith('/') && !this.#implicit) p = `${p}/`;
    } else {
      p = trimTrailingSeparator(p);
    }
    const matched =
      this.#literal !== undefined
        ? p === this.#literal
        : this.#literalPrefix !== undefined
          ? p.startsWith(this.#literalPrefix)
          : this.#minimatch.match(p);
    if (!matched) return MatchKind.None;
    return this.trailingSeparator ? MatchKind.Directory : MatchKind.All;
  }

  /** Whether the pattern may match something below `itemPath` (absolute, without `//`). */
  partialMatch(itemPath: string): boolean {
    const p = trimTrailingSeparator(itemPath);
    if (p === '/') return true;
    if (this.#literal !== undefined) return isAncestorOrSelf(p, this.#literal);
    if (this.#literalPrefix !== undefined)
      return isAncestorOrSelf(p, this.#literalPrefix.slice(0, -1)) || p.startsWith(this.#literalPrefix);
    const set = this.#minimatch.set[0];
    return set !== undefined && this.#minimatch.matchOne(p.split(/\/+/), set, true);
  }
}

/** The patterns with the implicit `/**` of each added after it, as @actions/glob's globber does. */
export function withImplicitDescendants(patterns: readonly GlobPattern[]): GlobPattern[] {
  return patterns.flatMap((p) => {
    const implicit = p.implicitDescendants();
    return implicit ? [p, implicit] : [p];
  });
}

/** @actions/glob's match: includes add, excludes (`!`) remove, in order. */
export function matchAll(patterns: readonly GlobPattern[], itemPath: string): number {
  let result: number = MatchKind.None;
  for (const pattern of patterns) {
    if (pattern.negate) result &= ~pattern.match(itemPath);
    else result |= pattern.match(itemPath);
  }
  return result;
}

/** Whether to look inside `itemPath`: some include may match below it. */
export function partialMatchAll(patterns: readonly GlobPattern[], itemPath: string): boolean {
  return patterns.some((p) => !p.negate && p.partialMatch(itemPath));
}

/** The includes' search paths, leaving out any under another (each is walked once). */
export function searchPaths(patterns: readonly GlobPattern[]): string[] {
  const includes = patterns.filter((p) => !p.negate);
  const candidates = new Set(includes.map((p) => p.searchPath));
  const result: string[] = [];
  for (const { searchPath } of includes) {
    if (result.includes(searchPath)) continue;
    let hasAncestor = false;
    for (let dir = parentOf(searchPath); dir !== undefined; dir = parentOf(dir)) {
      if (candidates.has(dir)) {
        hasAncestor = true;
        break;
      }
    }
    if (!hasAncestor) result.push(searchPath);
  }
  return result;
}

function parentOf(p: string): string | undefined {
  if (p === '/') return undefined;
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function isAncestorOrSelf(p: string, of: string): boolean {
  return p === of || of.startsWith(`${p}/`);
}

function collapseSeparators(p: string): string {
  return p.replace(/\/\/+/g, '/');
}

function trimTrailingSeparator(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** A segment with its escapes removed, or '' when it has a wildcard (@actions/glob's getLiteral). */
function literalSegment(segment: string): string {
  let literal = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '\\' && i + 1 < segment.length) {
      literal += segment[++i] ?? '';
      continue;
    }
    if (c === '*' || c === '?') return '';
    if (c === '[' && i + 1 < segment.length) {
      let set = '';
      let closed = -1;
      for (let j = i + 1; j < segment.length; j++) {
        const d = segment[j] ?? '';
        if (d === '\\' && j + 1 < segment.length) {
          set += segment[++j] ?? '';
          continue;
        }
        if (d === ']') {
          closed = j;
          break;
        }
        set += d;
      }
      if (closed >= 0) {
        if (set.length > 1) return '';
        if (set) {
          literal += set;
          i = closed;
          continue;
        }
      }
    }
    literal += c;
  }
  return literal;
}
