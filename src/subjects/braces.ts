// Expands `{a,b}` alternatives in a glob. @actions/glob runs minimatch with `nobrace`, so
// `dist/*.{tgz,zip}` would otherwise look for a file literally named `*.{tgz,zip}`.
// Follows the shell: nested braces expand, a brace without a comma stays literal, and
// backslash-escaped braces and commas are literal.

interface BraceGroup {
  open: number;
  close: number;
  commas: number[];
}

export function expandBraces(pattern: string): string[] {
  const group = findGroup(pattern);
  if (!group) return [pattern];
  const prefix = pattern.slice(0, group.open);
  const suffix = pattern.slice(group.close + 1);
  const bounds = [group.open, ...group.commas, group.close];
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const alt = pattern.slice((bounds[i] ?? 0) + 1, bounds[i + 1]);
    // Re-expand: the alternative may hold nested braces, the suffix later groups.
    for (const expanded of expandBraces(prefix + alt + suffix)) {
      if (!out.includes(expanded)) out.push(expanded);
    }
  }
  return out;
}

/** The first top-level `{...}` holding at least one top-level comma, if any. */
function findGroup(p: string): BraceGroup | undefined {
  for (let start = 0; start < p.length; start++) {
    if (p[start] === '\\') {
      start++;
      continue;
    }
    if (p[start] !== '{') continue;
    const commas: number[] = [];
    let depth = 0;
    for (let i = start; i < p.length; i++) {
      const c = p[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(i);
      else if (c === '}' && --depth === 0) {
        if (commas.length > 0) return { open: start, close: i, commas };
        break; // `{x}` is literal; look for a later group
      }
    }
  }
  return undefined;
}
