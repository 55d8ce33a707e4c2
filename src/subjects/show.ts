// Renders a user-supplied value for an error message: quoted, escaped and shortened, so a
// value with newlines or control characters can never break the one-line error format.
const MAX = 120;

export function show(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length <= MAX ? quoted : `${quoted.slice(0, MAX - 2)}…"`;
}
