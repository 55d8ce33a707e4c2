// The one way text we did not write reaches a person: anything read from a bundle, a predicate,
// a certificate, a registry or an API passes through `untrusted` before it is put into a log
// line, an error message, the CLI's report, the job summary or an annotation. Whoever signed a
// bundle (and a bundle that is only linked is never verified) must not be able to write lines
// of their own into the log of a job that holds `id-token: write`:
// - no line breaks (CR, LF, NEL, U+2028/2029) or other control characters, so the value stays
//   on the line it was put on and cannot start a fake `verified: all … passed` line;
// - no terminal escapes (ESC, and CSI as the single byte U+009B) that clear or rewrite the screen;
// - no bidi overrides or zero-width characters that make the text read otherwise than it is;
// - no workflow command: `::` (a GitHub runner reads `::name::` at a line's start), `##` (its
//   legacy `##[name]` and Azure's `##vso[`, both read anywhere in a line). The result never
//   holds `::` or `##`, and never starts or ends with `:` or `#`, so gluing it to our own text
//   cannot make one either.
// Each such character is shown, not dropped, as `\n`, `\r`, `\t` or `\uXXXX` (`\u{XXXXX}` above
// the BMP), so a reader sees that something was there. The result is cut to a length with `…`.
// Markdown gets two helpers built on it: a code span and escaped text.

/** Longest value shown, in UTF-16 units including the ellipsis: enough for a digest, a URL or a path. */
export const UNTRUSTED_MAX_LENGTH = 200;

/** A failed check's expected and found: they explain as well as quote, so they may be longer. */
export const FAILURE_FIELD_MAX = 500;

/** Control, format (bidi, zero-width), line and paragraph separators, and lone surrogates. */
const HIDDEN = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]$/u;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text made safe to print on one line of a log, a terminal or an annotation. */
export function untrusted(text: string, max: number = UNTRUSTED_MAX_LENGTH): string {
  const chars = [...text];
  const pieces: string[] = [];
  let previousRaw = '';
  chars.forEach((char, i) => {
    let piece = char;
    if (HIDDEN.test(char)) piece = escaped(char);
    // A runner command needs two in a row; an end may meet our own text or another value.
    else if ((char === ':' || char === '#') && (i === 0 || i === chars.length - 1 || previousRaw === char))
      piece = escaped(char);
    pieces.push(piece);
    previousRaw = piece.length === char.length ? char : '';
  });
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  // The cut may leave a `:` or `#` at the end; the ellipsis keeps it away from what follows.
  return `${out}…`;
}

/**
 * Untrusted text as a Markdown code span for the job summary (also inside a table cell): a code
 * span shows HTML, links and emphasis as the characters they are, backticks (which would end
 * it) become `'`, and `|` is escaped so a table cell stays one cell. Empty text, no span.
 */
export function markdownCode(text: string, max: number = UNTRUSTED_MAX_LENGTH): string {
  if (text === '') return '';
  return `\`${untrusted(text, max).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/**
 * Untrusted text as plain Markdown, mid-line: the characters that start inline markup or HTML
 * (emphasis, code, links and images, autolinks and tags, entities, strikethrough, math, table
 * cells) are backslash-escaped, as CommonMark allows for any punctuation.
 */
export function markdownText(text: string, max: number = UNTRUSTED_MAX_LENGTH): string {
  return untrusted(text, max).replace(/[\\`*_[\]<>&|~$!]/g, (c) => `\\${c}`);
}
