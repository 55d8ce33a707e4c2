// Turns the raw `subject-path` input into absolute glob patterns for @actions/glob: splits the
// list, expands braces, anchors each pattern in the workspace (refusing any that leave it)
// and keeps the order, because an exclude only removes what the includes before it matched.
import path from 'node:path';
import { ProvenanceError } from '../common/errors.ts';
import { expandBraces } from './braces.ts';
import { show } from './show.ts';
import { splitPatternList } from './split-list.ts';
import { resolveInWorkspace } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export interface IncludePattern {
  /** The entry as the user wrote it, for messages. */
  text: string;
  /** Absolute, escaped globs, one per brace alternative. */
  globs: string[];
  /** Absolute literal paths when the entry has no wildcard; such a path is matched "directly". */
  literals: string[] | undefined;
  /** Every alternative ends in `**`: all files it yields match it directly. */
  globstarTail: boolean;
  /** Absolute, escaped `!` globs listed after this entry; only these apply to it. */
  excludes: string[];
}

export function parsePatterns(ws: Workspace, raw: string, input = 'subject-path'): IncludePattern[] {
  const includes: IncludePattern[] = [];
  for (const text of splitPatternList(raw)) {
    let body = text;
    let negate = false;
    // Several leading `!` flip back and forth, as @actions/glob defines them.
    while (body.startsWith('!')) {
      negate = !negate;
      body = body.slice(1).trim();
    }
    if (body === '') {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `${input} entry ${show(text)} has no pattern; expected a path or glob`,
        'Remove the entry or add the path after the `!`.',
      );
    }
    const alternatives = expandBraces(body);
    const resolved = alternatives.map((alt) => resolveInWorkspace(ws, input, alt));
    const globs = resolved.map((r) => globEscape(r.root) + r.path.slice(r.root.length));
    if (negate) {
      for (const inc of includes) inc.excludes.push(...globs.map((g) => `!${g}`));
      continue;
    }
    const literal = alternatives.every((alt) => !/[*?[\\]/.test(alt));
    includes.push({
      text,
      globs,
      literals: literal ? resolved.map((r) => stripTrailingSep(r.path)) : undefined,
      globstarTail: alternatives.every((alt) => /(^|[\\/])\*\*$/.test(alt)),
      excludes: [],
    });
  }
  if (includes.length === 0) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${input} ${show(raw.trim())} only excludes files; expected at least one path or glob to include`,
      'Add the paths to include before the `!` excludes.',
    );
  }
  return includes;
}

/** Makes a literal path match itself in @actions/glob (same escaping as its Pattern.globEscape). */
export function globEscape(s: string): string {
  const escaped = process.platform === 'win32' ? s : s.replace(/\\/g, '\\\\');
  return escaped
    .replace(/(\[)(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

function stripTrailingSep(p: string): string {
  return p.length > 1 && p.endsWith(path.sep) ? p.slice(0, -1) : p;
}
