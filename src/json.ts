// Small guards for JSON that arrives from outside (bundles, trusted roots, registries, config
// files), so every reader parses without throwing and narrows `unknown` the same way.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJSON(input: string | Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Whether a parsed JSON value nests deeper than `max` levels (the root is level 1). Iterative, so it
 * answers for any depth JSON.parse accepts; recursive walkers (JSON.stringify, validators) must not
 * see a value this returns true for, or a hostile document ends them with a RangeError.
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, depth] = next;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
