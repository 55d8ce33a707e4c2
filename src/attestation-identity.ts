// When two bundles are "the same attestation": when they sign the same statement. Signing is not
// deterministic (a fresh key and certificate every time), so re-running a step re-signs the same
// statement into a different bundle; publishing compares statements, so a re-run adds no second
// copy to a registry, a release or the attestations API. A new run attempt is a new statement
// (its invocation id differs), and is rightly a new attestation.

import { parseJSON } from './json.ts';

/** The DSSE payload of a parsed bundle, or undefined for anything else. */
export function statementOf(bundle: unknown): string | undefined {
  if (typeof bundle !== 'object' || bundle === null) return undefined;
  const envelope = (bundle as { dsseEnvelope?: unknown }).dsseEnvelope;
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  const payload = (envelope as { payload?: unknown }).payload;
  return typeof payload === 'string' && payload !== '' ? payload : undefined;
}

/** The statements of a bundle file's text (one bundle, or JSON Lines), or undefined if any part is not a DSSE bundle. */
export function statementsOfText(text: string): string[] | undefined {
  const parse = (t: string): unknown => {
    const parsed = parseJSON(t);
    return parsed.ok ? parsed.value : undefined;
  };
  const whole = parse(text);
  const bundles = whole !== undefined ? [whole] : text.split('\n').filter((l) => l.trim() !== '').map(parse);
  const statements = bundles.map(statementOf);
  return statements.length > 0 && statements.every((s) => s !== undefined) ? statements : undefined;
}

/** Whether two bundle files sign the same statements, in the same order. */
export function sameStatements(a: string, b: string): boolean {
  const left = statementsOfText(a);
  const right = statementsOfText(b);
  return left !== undefined && right !== undefined && left.length === right.length && left.every((s, i) => s === right[i]);
}
