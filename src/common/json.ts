// Small guards for JSON that arrives from outside (bundles, trusted roots, registries, config
// files), so every reader parses without throwing and narrows `unknown` the same way.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJSON(input: string | Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return {
      ok: true,
      value: JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8')) as unknown,
    };
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

/**
 * A property of parsed JSON only when it is the object's own. Keys taken from data (a digest's
 * algorithm, an annotation's name) may be `constructor`, `toString` or `__proto__`: a plain
 * `obj[key]` would answer those from Object.prototype with a function.
 */
export function ownValue(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * A record for keys taken from data: without a prototype, so `__proto__` and `constructor` are
 * keys like any other (assigning `__proto__` to a plain object would replace its prototype).
 */
export function dataRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** The string-valued entries of a parsed JSON object, as a prototype-free record (digests, annotations). */
export function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return dataRecord(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
