// When two bundles are "the same attestation": when they sign the same statement. Signing is not
// deterministic (a fresh key and certificate every time), so re-running a step re-signs the same
// statement into a different bundle; publishing compares statements, so a re-run adds no second
// copy to a registry, a release or the attestations API. A new run attempt is a new statement
// (its invocation id differs), and is rightly a new attestation. The same statement alone is not
// enough, though: a statement is predictable, so a stored copy counts only if CopyCheck says it is one
// we could have signed (issue #14 item 8).

import { parseJSON } from './json.ts';

/** The DSSE payload of a parsed bundle, or undefined for anything else. */
export function statementOf(bundle: unknown): string | undefined {
  if (typeof bundle !== 'object' || bundle === null) return undefined;
  const envelope = (bundle as { dsseEnvelope?: unknown }).dsseEnvelope;
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const payload = (envelope as { payload?: unknown }).payload;
  return typeof payload === 'string' && payload !== '' ? payload : undefined;
}

/** The parsed bundles of a bundle file's text (one bundle, or JSON Lines), or undefined if any part is not JSON. */
export function bundlesOfText(text: string): unknown[] | undefined {
  const parse = (t: string): unknown => {
    const parsed = parseJSON(t);
    return parsed.ok ? parsed.value : undefined;
  };
  const whole = parse(text);
  const bundles =
    whole !== undefined
      ? [whole]
      : text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map(parse);
  return bundles.every((b) => b !== undefined) ? bundles : undefined;
}

/** The statements of a bundle file's text (one bundle, or JSON Lines), or undefined if any part is not a DSSE bundle. */
export function statementsOfText(text: string): string[] | undefined {
  const statements = (bundlesOfText(text) ?? [undefined]).map(statementOf);
  return statements.length > 0 && statements.every((s) => s !== undefined) ? statements : undefined;
}

/** Whether two bundle files sign the same statements, in the same order. */
export function sameStatements(a: string, b: string): boolean {
  const left = statementsOfText(a);
  const right = statementsOfText(b);
  return (
    left !== undefined && right !== undefined && left.length === right.length && left.every((s, i) => s === right[i])
  );
}

/**
 * Whether a stored bundle that signs one of our statements is a copy we could have made, not just one
 * that says the same thing (src/attest/publish/copy-check.ts builds the real one from our signed bundles).
 * Sinks ask it only about a stored bundle whose statement already equals ours; a copy it refuses does
 * not count as "already published".
 */
export type CopyCheck = (storedBundle: unknown) => Promise<boolean>;
