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
