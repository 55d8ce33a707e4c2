// Source-ref patterns: an exact ref, or a glob where `*` matches within one path segment and `**`
// across segments, so `refs/tags/v*` accepts `refs/tags/v1.2.0` but not `refs/tags/v1/evil`.
// Git refuses `?`, `[`, `\`, `~`, `^`, `:` and spaces in ref names, so a pattern holding one
// could never match: we refuse it rather than let a typo pass silently as "matches nothing".

const FORBIDDEN = /[\s?[\]\\~^:]/;

/** Why `pattern` is not a ref pattern, or undefined when it is one. */
export function refPatternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('refs/')) return 'does not start with refs/ (write refs/heads/BRANCH or refs/tags/TAG)';
  if (FORBIDDEN.test(pattern)) return 'holds a character git does not allow in refs (space ? [ ] \\ ~ ^ :)';
  if (pattern.includes('***')) return 'holds "***" (use * within a segment or ** across segments)';
  if (pattern.includes('//') || pattern.endsWith('/')) return 'has an empty path segment';
  return undefined;
}

export function refPatternMatches(pattern: string, ref: string): boolean {
  if (!pattern.includes('*')) return pattern === ref;
  const source = pattern
    .split('**')
    .map((part) => part.split('*').map(escapeRegExp).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`, 'su').test(ref);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
