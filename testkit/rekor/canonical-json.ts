// RFC 8785 JSON canonicalization for the local Rekor: the form it stores entry bodies in (Rekor
// identifies an entry by its canonicalized body, so the same proposal must always map to the same
// entry) and the form its signed entry timestamps sign.

/** Sorted keys, ECMAScript number and string serialization, undefined members dropped. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
}
