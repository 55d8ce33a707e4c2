// One comparison between a predicate field and the certificate fact it restates, and the one
// place deciding what a disagreement is: a present value that differs fails; a value the format
// requires but the predicate lacks fails; a certificate fact that is missing fails when this
// certificate's era always carries it and is skipped otherwise (legacy certificates).

import type { CheckFailure } from '../../types.ts';
import { shown } from './json-path.ts';
import type { CertificateContext } from './certificate-context.ts';

export interface FieldCheck {
  field: string; // the predicate's path, e.g. runDetails.builder.id
  claimed: unknown; // the predicate's value; undefined when absent
  certified: string | undefined; // the certificate's value, derived as the predicate writes it
  label: string; // which certificate fact
  required: boolean; // the build type requires the field
  legacy: boolean; // certificates without v2 extensions carry this fact too
  equals?: (claimed: string, certified: string) => boolean;
  relation?: string; // how expected reads, default "="
}

export const ABSENT = '(absent)';

export function compareField(c: FieldCheck, ctx: CertificateContext): CheckFailure | undefined {
  const relation = c.relation ?? '=';
  const expected = `${c.field} ${relation} ${c.certified ?? ABSENT} (certificate ${c.label})`;
  if (c.claimed === undefined) {
    return c.required ? { check: 'predicate-matches-certificate', expected, found: ABSENT } : undefined;
  }
  if (typeof c.claimed !== 'string')
    return { check: 'predicate-matches-certificate', expected, found: shown(c.claimed) };
  if (c.certified === undefined) {
    if (!ctx.v2 && !c.legacy) return undefined;
    return {
      check: 'predicate-matches-certificate',
      expected: `certificate ${c.label} to check ${c.field} = ${c.claimed}`,
      found: ABSENT,
    };
  }
  const equal = c.equals ? c.equals(c.claimed, c.certified) : c.claimed === c.certified;
  return equal ? undefined : { check: 'predicate-matches-certificate', expected, found: c.claimed };
}

export function compareFields(checks: readonly FieldCheck[], ctx: CertificateContext): CheckFailure[] {
  return checks.map((c) => compareField(c, ctx)).filter((f): f is CheckFailure => f !== undefined);
}
