// Splits the raw `subject-path` input into patterns. Users write lists one per line or
// comma-separated (as actions/attest accepts); commas inside `{a,b}` braces are alternatives
// of one glob, not separators, so they are kept.

export function splitPatternList(raw: string): string[] {
  const entries: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c === '\\' && i + 1 < raw.length && raw[i + 1] !== '\n' && raw[i + 1] !== '\r') {
      // An escaped character (glob syntax: `\{`, `\,`) is literal, keep the escape for the globber.
      current += c + (raw[i + 1] ?? '');
      i++;
    } else if (c === '\n' || c === '\r') {
      entries.push(current);
      current = '';
      depth = 0; // a brace never spans lines; an unclosed one must not swallow the next line
    } else if (c === ',' && depth === 0) {
      entries.push(current);
      current = '';
    } else {
      if (c === '{') depth++;
      else if (c === '}' && depth > 0) depth--;
      current += c;
    }
  }
  entries.push(current);
  return entries.map((e) => e.trim()).filter((e) => e !== '');
}
