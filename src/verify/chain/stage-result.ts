// What a stage's own document must say for the stage to pass (require-chain). A verified, linked
// attestation only proves that the stage ran and who ran it; a policy evaluation that FAILED or a
// review whose result is "fail" ran too. So the predicate types that record an outcome are read
// for it, by predicate type (a stage named by URI is held to the same reading as its preset):
//
// - SLSA VSA v1: verificationResult "PASSED", and no "FAILED" among verifiedLevels;
// - in-toto test-result v0.1: result "PASSED" or "WARNED" (the spec's "passed with warnings"), and
//   failedTests, when present, an empty list (the spec's own recipe for "all tests passed");
// - in-toto human-review v0.1: result "pass"; when a CI job signed it, the deployment environment
//   whose reviewers let the job run (GITHUB_APPROVAL_FIELD; without one nobody approved anything),
//   and with environment=NAME on the stage line, one of the environments named there;
// - our deployment v1 (DEPLOYMENT_V1): with environment=NAME on the stage line, an `environment`
//   that is one of those named; without it, the deployment itself (it records a fact, not a
//   verdict; a deployment to a target outside any GitHub environment says "environment": null).
//
// Build provenance, SBOMs, vulnerability reports and VEX documents state facts, not a verdict:
// whether a list of findings is acceptable is a policy's decision (a policy stage), so for those
// the verified document itself is the stage. Pure. Found values come from the bundle: they are
// shown short, quoted, and in ASCII.

import {
  DEPLOYMENT_V1,
  GITHUB_APPROVAL_FIELD,
  HUMAN_REVIEW_V01,
  TEST_RESULT_V01,
  VSA_V1,
} from '../../stages/presets.ts';
import { isObject } from '../../common/json.ts';
import type { CertificateFacts, CheckFailure, InTotoStatement } from '../types.ts';
import type { ChainStageSpec } from './types.ts';

const SHOWN_CHARS = 40;

/** A value from a bundle for a message: a short JSON string in ASCII, or what kind of value it is. */
export function shownValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
    return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

const field = (predicate: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(predicate, key) ? predicate[key] : undefined;

/** Why the stage's document does not say it passed; empty when it does (or records no outcome). */
export function stageResultFailures(
  stage: ChainStageSpec,
  statement: InTotoStatement,
  certificate: CertificateFacts | undefined,
): CheckFailure[] {
  const predicate = isObject(statement.predicate) ? statement.predicate : {};
  switch (statement.predicateType) {
    case VSA_V1:
      return vsaResult(predicate);
    case TEST_RESULT_V01:
      return testResult(predicate);
    case HUMAN_REVIEW_V01:
      return approvalResult(predicate, stage, certificate);
    case DEPLOYMENT_V1:
      return deploymentResult(predicate, stage);
    default:
      return [];
  }
}

function vsaResult(predicate: Record<string, unknown>): CheckFailure[] {
  const result = field(predicate, 'verificationResult');
  const expected = 'a VSA whose verificationResult is "PASSED"';
  if (result !== 'PASSED')
    return [{ check: 'stage-result', expected, found: `verificationResult ${shownValue(result)}` }];
  const levels = field(predicate, 'verifiedLevels');
  if (Array.isArray(levels) && levels.includes('FAILED'))
    return [
      { check: 'stage-result', expected, found: 'verificationResult "PASSED" with "FAILED" among its verifiedLevels' },
    ];
  return [];
}

function testResult(predicate: Record<string, unknown>): CheckFailure[] {
  const result = field(predicate, 'result');
  const failed = field(predicate, 'failedTests');
  const expected = 'a test result "PASSED" or "WARNED" with no failed tests';
  if (failed !== undefined && !Array.isArray(failed))
    return [
      { check: 'stage-result', expected, found: `result ${shownValue(result)} with failedTests that is not a list` },
    ];
  const count = Array.isArray(failed) ? failed.length : 0;
  if ((result === 'PASSED' || result === 'WARNED') && count === 0) return [];
  return [
    {
      check: 'stage-result',
      expected,
      found: `result ${shownValue(result)}${count > 0 ? ` with ${count} failed test(s)` : ''}`,
    },
  ];
}

function approvalResult(
  predicate: Record<string, unknown>,
  stage: ChainStageSpec,
  certificate: CertificateFacts | undefined,
): CheckFailure[] {
  const result = field(predicate, 'result');
  if (result !== 'pass')
    return [
      { check: 'stage-result', expected: 'an approval whose result is "pass"', found: `result ${shownValue(result)}` },
    ];
  const github = field(predicate, GITHUB_APPROVAL_FIELD);
  const environment = isObject(github) ? field(github, 'environment') : undefined;
  const named = typeof environment === 'string' && environment !== '' ? environment : undefined;
  const wanted = stage.environments;
  if (wanted !== undefined && wanted.length > 0) return environmentFailures('an approval', wanted, named);
  // A CI job runs whenever it is triggered; only a deployment environment's reviewers make its run an approval.
  if (signedByJob(certificate) && named === undefined) {
    return [
      {
        check: 'stage-result',
        expected: 'an approval made in a deployment environment (whose reviewers let the job run)',
        found: 'a job with no deployment environment, so nobody approved it',
      },
    ];
  }
  return [];
}

/**
 * Whether a CI job signed: its certificate carries any build extension (current ones, or the
 * legacy trigger, commit and ref of older GitHub certificates). A person's certificate (an email
 * identity) carries none, and a key has no certificate.
 */
function signedByJob(certificate: CertificateFacts | undefined): boolean {
  if (certificate === undefined) return false;
  const {
    buildSignerURI,
    runInvocationURI,
    buildTrigger,
    sourceRepositoryURI,
    sourceRepositoryDigest,
    sourceRepositoryRef,
  } = certificate;
  return [
    buildSignerURI,
    runInvocationURI,
    buildTrigger,
    sourceRepositoryURI,
    sourceRepositoryDigest,
    sourceRepositoryRef,
  ].some((v) => v !== undefined);
}

/** `what` (an approval, a deployment) must name one of the `wanted` environments, compared ignoring case. */
function environmentFailures(what: string, wanted: readonly string[], named: string | undefined): CheckFailure[] {
  const expected = `${what} in deployment environment ${wanted.map((e) => JSON.stringify(e)).join(' or ')}`;
  if (named === undefined) return [{ check: 'stage-result', expected, found: `${what} that names no environment` }];
  if (!wanted.some((e) => e.toLowerCase() === named.toLowerCase()))
    return [{ check: 'stage-result', expected, found: `environment ${shownValue(named)}` }];
  return [];
}

function deploymentResult(predicate: Record<string, unknown>, stage: ChainStageSpec): CheckFailure[] {
  const wanted = stage.environments;
  if (wanted === undefined || wanted.length === 0) return [];
  const environment = field(predicate, 'environment');
  return environmentFailures(
    'a deployment',
    wanted,
    typeof environment === 'string' && environment !== '' ? environment : undefined,
  );
}
