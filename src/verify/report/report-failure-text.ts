// One failed check as one line of plain text, shared by the CLI report (report.ts), the chain
// text (chain/render.ts) and verify-bundle's error line (conformance.ts). Its own module so the
// chain renderer need not import report.ts, which imports the chain renderer. Pure.

import { FAILURE_FIELD_MAX, untrusted } from '../../output/untrusted.ts';
import type { CheckFailure } from '../types.ts';

/** One failed check on one line: expected and found are shown through untrusted() (found is often quoted from the bundle). */
export const failureText = (f: CheckFailure): string =>
  `${f.check}: expected ${untrusted(f.expected, FAILURE_FIELD_MAX)}, found ${untrusted(f.found, FAILURE_FIELD_MAX)}`;
