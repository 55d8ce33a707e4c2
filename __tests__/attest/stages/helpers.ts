// Shared by the stage tests: fixtures, fixed contexts, and a refusal check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ProvenanceError } from '../../../src/common/errors.ts';
import type { ErrorCode } from '../../../src/common/errors.ts';
import type { StageContext } from '../../../src/attest/stages/index.ts';

export function fixture(name: string): object {
  return JSON.parse(readFileSync(new URL(`../../fixtures/stages/${name}`, import.meta.url), 'utf8')) as object;
}

export const NOW = new Date('2025-03-02T13:00:00.000Z');

export const GITHUB: NonNullable<StageContext['github']> = {
  serverURL: 'https://github.com',
  repository: 'octo-org/octo-repo',
  runId: '987654321',
  runAttempt: '2',
  actor: 'octocat',
  environment: 'production',
};

export const RUN_URL = 'https://github.com/octo-org/octo-repo/actions/runs/987654321/attempts/2';

export const CTX: StageContext = { now: NOW, github: GITHUB };
export const NO_GITHUB: StageContext = { now: NOW, github: undefined };

export const ORIGIN = 'predicate-path "report.json"';

/** Asserts `fn` throws a ProvenanceError with `code`, naming the origin and each fragment, with a one-line hint. */
export function refuses(fn: () => unknown, code: ErrorCode, ...fragments: string[]): ProvenanceError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ProvenanceError, `expected a ProvenanceError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (code === 'PREDICATE_INVALID')
    assert.ok(caught.message.includes(ORIGIN), `message does not name the origin: ${caught.message}`);
  for (const fragment of fragments)
    assert.ok(caught.message.includes(fragment), `message lacks ${JSON.stringify(fragment)}: ${caught.message}`);
  assert.ok(caught.hint.length > 0 && !caught.hint.includes('\n'), `hint is not one line: ${caught.hint}`);
  assert.ok(!caught.message.includes('\n'), `message is not one line: ${caught.message}`);
  return caught;
}
