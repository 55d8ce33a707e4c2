// A subject as an in-toto statement claims it (read from a bundle: untrusted JSON), and when two
// digest sets name the same artifact. Verify mode judges artifacts with these, and attest mode
// checks with the same two that the attestations it links to are about its own subjects. Pure.

import { isObject, ownValue, stringRecord } from '../common/json.ts';

export interface ClaimedSubject {
  name: string;
  digest: Record<string, string>;
}

/**
 * A subject as claimed, or none: only its string digests are kept (a digest such as `{"sha256": 5}`
 * would otherwise reach code that compares digests as strings), and a name that is not a string is ''.
 */
export function claimedSubject(value: unknown): ClaimedSubject[] {
  if (!isObject(value) || !isObject(value['digest'])) return [];
  // Prototype-free: the algorithm names are the bundle's, `__proto__` and `constructor` included.
  return [{ name: typeof value['name'] === 'string' ? value['name'] : '', digest: stringRecord(value['digest']) }];
}

/**
 * Whether two digest maps share an algorithm on which they agree (and none on which they differ).
 * Algorithms are names from bundles: looked up as own keys only, so a subject digest keyed
 * `constructor` or `toString` is an algorithm nobody else has, not Object.prototype's function.
 */
export function sameArtifact(a: Record<string, string>, b: Record<string, string>): boolean {
  let agreed = false;
  for (const [alg, hex] of Object.entries(a) as [string, unknown][]) {
    const other = ownValue(b, alg);
    if (typeof other !== 'string' || typeof hex !== 'string') continue;
    if (other.toLowerCase() !== hex.toLowerCase()) return false;
    agreed = true;
  }
  return agreed;
}
