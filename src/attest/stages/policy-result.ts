// The policy stage: the outcome of checking an artifact against a policy, in one of the two
// predicates the in-toto registry has for it. A SLSA verification summary (VSA) or an in-toto
// test-result predicate is taken as is, once the fields a verifier decides on are there. Conftest,
// the common CLI for OPA policies, has no predicate of its own, so its JSON report becomes a
// test-result: FAILED if any rule failed, WARNED if any warned, else PASSED; one configuration
// entry per file checked; and one test name per failure or warning ("<file>: <message>") and per
// (file, namespace) that passed ("<file>: <n> passed (namespace <ns>)"), since conftest reports
// passing rules only as a count. Conftest's exceptions (failures a policy exempted on purpose)
// count as neither. A FAILED result is still attested (it is a true record), with a warning.

import { TEST_RESULT_V01, VSA_V1 } from '../../stages/presets.ts';
import { describe, invalid, isTimestamp, own, quote, requireStringArray, runURL } from './checks.ts';
import { isObject } from '../../common/json.ts';
import type { StageContext, StagePredicate } from './stage.types.ts';

const ACCEPTED =
  'a SLSA verification summary (VSA v1), an in-toto test-result predicate, or conftest JSON (`conftest test -o json`)';
const HINT =
  'Give predicate-path the policy result, e.g. the output of `conftest test -o json`, or a VSA / test-result predicate';

export function policyPredicate(document: unknown, origin: string, ctx: StageContext): StagePredicate {
  if (Array.isArray(document)) return fromConftest(document, origin, ctx);
  if (!isObject(document))
    throw invalid(origin, `expected a policy result (${ACCEPTED}), found ${describe(document)}`, HINT);
  if (['verifier', 'verificationResult', 'verifiedLevels'].some((key) => Object.hasOwn(document, key)))
    return checkVsa(document, origin);
  if (Object.hasOwn(document, 'result') || Object.hasOwn(document, 'configuration'))
    return checkTestResult(document, origin);
  throw invalid(origin, `expected a policy result (${ACCEPTED}), found ${describe(document)}`, HINT);
}

function failedWarning(origin: string, what: string): string {
  return `${origin}: the policy result is FAILED (${what}); it is attested as it is, and a verifier that requires a passing policy stage will refuse it`;
}

// ---- SLSA VSA v1 ----

const VSA_HINT = 'Follow https://slsa.dev/spec/v1.0/verification_summary for the VSA fields';

function checkVsa(document: Record<string, unknown>, origin: string): StagePredicate {
  const fail = (path: string, expected: string, found: unknown): never => {
    throw invalid(origin, `expected ${path} to be ${expected} (SLSA VSA v1), found ${describe(found)}`, VSA_HINT);
  };
  const verifier = own(document, 'verifier');
  if (!isObject(verifier)) return fail('verifier', 'an object', verifier);
  const id = own(verifier, 'id');
  if (typeof id !== 'string' || id === '') fail('verifier.id', 'a non-empty string', id);
  if (Object.hasOwn(document, 'timeVerified') && !isTimestamp(own(document, 'timeVerified'))) {
    fail('timeVerified', 'an RFC 3339 timestamp', own(document, 'timeVerified'));
  }
  const resourceUri = own(document, 'resourceUri');
  if (typeof resourceUri !== 'string' || resourceUri === '') fail('resourceUri', 'a non-empty string', resourceUri);
  const policy = own(document, 'policy');
  if (!isObject(policy)) fail('policy', 'an object (a ResourceDescriptor)', policy);
  const result = own(document, 'verificationResult');
  if (result !== 'PASSED' && result !== 'FAILED') fail('verificationResult', '"PASSED" or "FAILED"', result);
  requireStringArray(own(document, 'verifiedLevels'), 'verifiedLevels', origin, VSA_HINT);
  const warnings = result === 'FAILED' ? [failedWarning(origin, 'verificationResult')] : [];
  return { predicateType: VSA_V1, predicate: document, warnings };
}

// ---- in-toto test-result v0.1 ----

const TEST_RESULT_HINT = 'Follow https://github.com/in-toto/attestation/blob/main/spec/predicates/test-result.md';

function checkTestResult(document: Record<string, unknown>, origin: string): StagePredicate {
  const fail = (path: string, expected: string, found: unknown): never => {
    throw invalid(
      origin,
      `expected ${path} to be ${expected} (in-toto test-result), found ${describe(found)}`,
      TEST_RESULT_HINT,
    );
  };
  const result = own(document, 'result');
  if (result !== 'PASSED' && result !== 'WARNED' && result !== 'FAILED')
    fail('result', '"PASSED", "WARNED" or "FAILED"', result);
  const configuration = own(document, 'configuration');
  if (!Array.isArray(configuration)) return fail('configuration', 'an array of ResourceDescriptors', configuration);
  for (let i = 0; i < configuration.length; i++) {
    const entry: unknown = configuration[i];
    if (!isObject(entry)) fail(`configuration[${i}]`, 'an object (a ResourceDescriptor)', entry);
  }
  if (Object.hasOwn(document, 'url') && typeof own(document, 'url') !== 'string')
    fail('url', 'a string', own(document, 'url'));
  for (const key of ['passedTests', 'warnedTests', 'failedTests']) {
    if (Object.hasOwn(document, key)) requireStringArray(own(document, key), key, origin, TEST_RESULT_HINT);
  }
  const warnings = result === 'FAILED' ? [failedWarning(origin, 'result')] : [];
  return { predicateType: TEST_RESULT_V01, predicate: document, warnings };
}

// ---- conftest JSON ----

const CONFTEST = 'conftest JSON';
const CONFTEST_HINT = 'Give predicate-path the report exactly as `conftest test -o json` wrote it';

function fromConftest(entries: unknown[], origin: string, ctx: StageContext): StagePredicate {
  const fail = (path: string, expected: string, found: unknown): never => {
    throw invalid(origin, `expected ${path} to be ${expected} (${CONFTEST}), found ${describe(found)}`, CONFTEST_HINT);
  };
  if (entries.length === 0) {
    throw invalid(
      origin,
      `expected conftest JSON listing at least one checked file, found an empty array`,
      'Check that conftest was given the files to test',
    );
  }
  const files = new Set<string>();
  const passed: string[] = [];
  const warned: string[] = [];
  const failed: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    if (!isObject(entry)) return fail(`[${i}]`, 'an object with filename and successes', entry);
    const filename = own(entry, 'filename');
    if (typeof filename !== 'string') return fail(`[${i}].filename`, 'a string', filename);
    const namespace = own(entry, 'namespace');
    if (namespace !== undefined && typeof namespace !== 'string') fail(`[${i}].namespace`, 'a string', namespace);
    const successes = own(entry, 'successes');
    if (typeof successes !== 'number' || !Number.isSafeInteger(successes) || successes < 0) {
      return fail(`[${i}].successes`, 'a count (a non-negative integer)', successes);
    }
    files.add(filename);
    if (successes > 0) {
      passed.push(
        typeof namespace === 'string' && namespace !== ''
          ? `${filename}: ${successes} passed (namespace ${namespace})`
          : `${filename}: ${successes} passed`,
      );
    }
    for (const [key, into] of [
      ['warnings', warned],
      ['failures', failed],
    ] as const) {
      const list = own(entry, key);
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) return fail(`[${i}].${key}`, 'an array', list);
      for (let j = 0; j < list.length; j++) {
        const item: unknown = list[j];
        const msg = isObject(item) ? own(item, 'msg') : undefined;
        if (typeof msg !== 'string') fail(`[${i}].${key}[${j}].msg`, 'a string', isObject(item) ? msg : item);
        into.push(`${filename}: ${String(msg)}`);
      }
    }
  }
  const result = failed.length > 0 ? 'FAILED' : warned.length > 0 ? 'WARNED' : 'PASSED';
  const predicate: Record<string, unknown> = {
    result,
    configuration: [...files].map((name) => ({ name })),
    ...(ctx.github === undefined ? {} : { url: runURL(ctx.github) }),
    passedTests: passed,
    warnedTests: warned,
    failedTests: failed,
  };
  const warnings =
    result === 'FAILED' ? [failedWarning(origin, `${failed.length} failure(s), first ${quote(failed[0] ?? '')}`)] : [];
  return { predicateType: TEST_RESULT_V01, predicate, warnings };
}
