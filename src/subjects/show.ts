// Renders a user-supplied value for an error message: quoted, escaped and shortened, so a
// value with newlines or control characters can never break the one-line error format. The
// value may come from a downloaded checksums file or a subject name, so it goes through
// untrusted() like any text we did not write; quotes and backslashes are escaped as in JSON.
import { untrusted } from '../output/untrusted.ts';

const MAX = 120;

export function show(value: string): string {
  return `"${untrusted(value.replace(/["\\]/g, '\\$&'), MAX - 2)}"`;
}
