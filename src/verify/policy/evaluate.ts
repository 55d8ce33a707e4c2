// Judging one cryptographically verified bundle against the policy: the statement's predicate
// type, the certificate's identity and source, the signing time's age, and (for provenance)
// whether the predicate agrees with the certificate. Every failure is returned, not the first,
// so a rejected bundle explains itself in one run. Pure: `now` is passed in.

import type { CheckFailure, VerifiedBundle } from '../types.ts';
import { predicateMatchesCertificate } from './agreement/index.ts';
import { ABSENT } from './agreement/field-check.ts';
import { formatAge, formatDuration } from './duration.ts';
import { identityFailures } from './identity-rules.ts';
import { DEFAULT_PREDICATE_TYPE, type Policy } from './policy.ts';

export function evaluatePolicy(policy: Policy, bundle: VerifiedBundle, now: Date): CheckFailure[] {
  const failures: CheckFailure[] = [];

  const predicateType = policy.predicateType ?? DEFAULT_PREDICATE_TYPE;
  const found = bundle.statement?.predicateType;
  if (found !== predicateType)
    failures.push({ check: 'predicate-type', expected: predicateType, found: found ?? ABSENT });

  failures.push(...identityFailures(policy, bundle.certificate));

  if (policy.maxAge !== undefined) {
    const ageMs = now.getTime() - bundle.signedAt.getTime();
    // Written as "not within" so an invalid date (NaN) fails rather than passes.
    if (!(ageMs <= policy.maxAge * 1000)) {
      const signed = Number.isNaN(bundle.signedAt.getTime())
        ? 'an invalid signing time'
        : `signed ${bundle.signedAt.toISOString()} (${formatAge(ageMs / 1000)} ago)`;
      failures.push({ check: 'max-age', expected: `signed within ${formatDuration(policy.maxAge)}`, found: signed });
    }
  }

  // A key-signed bundle has no certificate to hold the predicate to; its key is the authority.
  if (bundle.statement && bundle.certificate)
    failures.push(...predicateMatchesCertificate(bundle.statement, bundle.certificate));
  return failures;
}
