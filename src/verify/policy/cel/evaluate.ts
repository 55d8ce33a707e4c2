// Running a content policy over one verified attestation: its variables are built (the statement,
// the certificate's facts, the chain's earlier stages with their helper views), every expression
// is run under the cost budget, and each result is kept for the JSON report. Only `true` passes:
// false, an evaluation error and a result that is not a bool all fail, each a `content` check
// failure carrying the expression and the values it saw. Pure.

import { isCelError, type CelInput, type CelResult } from '@bufbuild/cel';
import { FAILURE_FIELD_MAX } from '../../../output/untrusted.ts';
import type { CertificateFacts, CheckFailure, InTotoStatement } from '../../types.ts';
import { buildConfigPath, parseRepositoryURI, parseWorkflowURI } from '../certificate-view.ts';
import { withBudget } from './budget.ts';
import type { CelExpression } from './compile.ts';
import type { ContentResult } from './types.ts';
import { helperView } from './views.ts';

/** An earlier stage of the chain that passed, as `stages.LABEL` shows it. */
export interface StageContent {
  label: string;
  statement: InTotoStatement;
  /** The attestation's statement digest: which document this was, for memoising results. */
  digest?: string;
}

/** A seen value is shown up to this many bytes of JSON: enough to read, small enough for a report line. */
const VALUE_MAX = 300;

/** The certificate as expressions see it: the facts by their names, with the GitHub parts split out. */
export function certificateView(facts: CertificateFacts | undefined): Record<string, string> {
  if (facts === undefined) return {};
  const repo = parseRepositoryURI(facts.sourceRepositoryURI);
  const signer = parseWorkflowURI(facts.buildSignerURI);
  const view: Record<string, string | undefined> = {
    ...facts,
    repository: repo && `${repo.owner}/${repo.repo}`,
    owner: repo?.owner,
    ref: facts.sourceRepositoryRef,
    sha: facts.sourceRepositoryDigest,
    workflow: buildConfigPath(facts),
    signerWorkflow: signer && `${signer.owner}/${signer.repo}/${signer.path}`,
    signerRef: signer?.ref,
    runnerEnvironment: facts.runnerEnvironment,
    trigger: facts.buildTrigger,
  };
  // An absent fact is an absent key, so `certificate.x` on it is an error (a failure), never "".
  return Object.fromEntries(Object.entries(view).filter((e): e is [string, string] => e[1] !== undefined));
}

/** JSON as CEL values: objects become maps (so `in`, `has()` and index work on any key), arrays lists. */
function celValue(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === 'object')
    return new Map(Object.entries(value).map(([k, v]) => [k, celValue(v)] as [string, CelInput]));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null)
    return value;
  return null;
}

export function contentBindings(
  statement: InTotoStatement,
  certificate: CertificateFacts | undefined,
  stages: readonly StageContent[],
): Record<string, unknown> {
  return {
    predicate: statement.predicate,
    predicateType: statement.predicateType,
    subject: statement.subject,
    certificate: certificateView(certificate),
    stages: Object.fromEntries(
      stages.map((s) => [
        s.label,
        {
          ...helperView(s.statement.predicateType, s.statement.predicate),
          predicate: s.statement.predicate,
          predicateType: s.statement.predicateType,
          subject: s.statement.subject,
        },
      ]),
    ),
  };
}

/** Every expression's result on one attestation. */
export function evaluateContent(
  expressions: readonly CelExpression[],
  bindings: Record<string, unknown>,
): ContentResult[] {
  if (expressions.length === 0) return [];
  const input: Record<string, CelInput> = {};
  for (const [name, value] of Object.entries(bindings)) input[name] = celValue(value);
  return expressions.map((expression) => {
    let result: CelResult | Error;
    try {
      result = withBudget(() => expression.run(input));
    } catch (err) {
      // The library returns errors rather than throwing; anything thrown is still a failure.
      result = err instanceof Error ? err : new Error(String(err));
    }
    if (result === true) return { expression: expression.text, result: true };
    const seen = Object.fromEntries(expression.paths.map((p) => [pathText(p), shown(valueAt(bindings, p))]));
    if (result === false)
      return { expression: expression.text, result: false, message: 'evaluated to false', values: seen };
    const message =
      isCelError(result) || result instanceof Error
        ? `evaluation error: ${result.message}`
        : `evaluated to a ${typeName(result)}, not a bool`;
    return { expression: expression.text, result: 'error', message, values: seen };
  });
}

/** The failed results as check failures, the expression expected true and what it found with the values it saw. */
export function contentFailures(results: readonly ContentResult[], origin?: string): CheckFailure[] {
  return results
    .filter((r) => r.result !== true)
    .map((r) => ({
      check: 'content',
      expected: `${origin === undefined ? '' : `${origin}: `}CEL "${clip(r.expression, FAILURE_FIELD_MAX / 2)}" to be true`,
      found: `${r.message ?? 'not true'}${Object.entries(r.values ?? {})
        .map(([k, v]) => `; ${k} = ${v}`)
        .join('')}`,
    }));
}

/** A path as CEL writes it: `stages.vex.notAffected`, `predicate['https://…/v1'].level`. */
function pathText(path: readonly string[]): string {
  return path
    .map((key, i) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`,
    )
    .join('');
}

/** The value at a field path of the bindings, or undefined where the path leads nowhere. */
function valueAt(bindings: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = bindings;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  if (value === undefined) return '(absent)';
  let json: string;
  try {
    json = JSON.stringify(value) ?? 'undefined';
  } catch {
    json = '(a value JSON cannot show)';
  }
  return clip(json, VALUE_MAX);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  return typeof value === 'object' ? 'value of another type' : typeof value;
}

/**
 * Plain verify mode: the policy's expressions on one bundle (none without `cel`, so a run without
 * expressions does no CEL work). A bundle without an in-toto statement has no content to judge, so
 * an expression fails on it.
 */
export function bundleContent(
  expressions: readonly CelExpression[] | undefined,
  statement: InTotoStatement | undefined,
  certificate: CertificateFacts | undefined,
): ContentResult[] {
  if (expressions === undefined || expressions.length === 0) return [];
  if (statement === undefined)
    return expressions.map((e) => ({
      expression: e.text,
      result: 'error',
      message: 'the bundle signs no in-toto statement',
    }));
  return evaluateContent(expressions, contentBindings(statement, certificate, []));
}
