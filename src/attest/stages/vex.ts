// The vex stage: an OpenVEX document is already a predicate (cosign and GitHub attest it as is),
// so it goes in unchanged, typed by its own @context: that is how OpenVEX versions itself, and a
// verifier that reads v0.2.0 must not be handed a document of another version under v0.2.0's
// name. We check what a verifier will read to decide: each statement names a vulnerability and
// has one of the four statuses OpenVEX defines. Anything subtler is the VEX tool's job.

import { OPENVEX, OPENVEX_V02 } from '../../stages/presets.ts';
import { describe, invalid, own, ownString, quote } from './checks.ts';
import { isObject } from '../../common/json.ts';
import type { StagePredicate } from './stage.types.ts';

const VERSIONED_CONTEXT = /^https:\/\/openvex\.dev\/ns\/v\d+\.\d+\.\d+$/;
const STATUSES = new Set(['not_affected', 'affected', 'fixed', 'under_investigation']);
const HINT =
  'Give predicate-path an OpenVEX document (e.g. made with `vexctl create`), whose @context is "https://openvex.dev/ns/v0.2.0"';

export function vexPredicate(document: unknown, origin: string): StagePredicate {
  if (!isObject(document))
    throw invalid(origin, `expected an OpenVEX document (a JSON object), found ${describe(document)}`, HINT);
  const context = own(document, '@context');
  if (typeof context !== 'string' || !context.startsWith('https://openvex.dev/ns')) {
    throw invalid(
      origin,
      `expected an OpenVEX document with @context "${OPENVEX_V02}", found @context ${describe(context)}`,
      HINT,
    );
  }
  // v0.0.x documents carry the bare namespace, which is also the predicate type cosign gives every
  // OpenVEX attestation: a type verifiers know, so such a document is signed under it as it is.
  if (context !== OPENVEX_V02 && context !== OPENVEX && !VERSIONED_CONTEXT.test(context)) {
    throw invalid(
      origin,
      `expected an OpenVEX @context naming its version, like "${OPENVEX_V02}", found ${quote(context)}`,
      'Write the document with a current OpenVEX tool (e.g. `vexctl`), which sets a versioned @context',
    );
  }
  const statements = own(document, 'statements');
  if (!Array.isArray(statements)) {
    throw invalid(
      origin,
      `expected statements to be an array (OpenVEX), found ${describe(statements)}`,
      'Add the VEX statements, e.g. with `vexctl add`',
    );
  }
  const fail = (path: string, expected: string, found: unknown): never => {
    throw invalid(
      origin,
      `expected ${path} to be ${expected} (OpenVEX), found ${describe(found)}`,
      'Fix the statement; see https://github.com/openvex/spec',
    );
  };
  for (let i = 0; i < statements.length; i++) {
    const statement: unknown = statements[i];
    if (!isObject(statement)) return fail(`statements[${i}]`, 'an object', statement);
    const vulnerability = own(statement, 'vulnerability');
    const named =
      (typeof vulnerability === 'string' && vulnerability !== '') ||
      (isObject(vulnerability) &&
        (nonEmpty(ownString(vulnerability, 'name')) || nonEmpty(ownString(vulnerability, '@id'))));
    if (!named)
      fail(`statements[${i}].vulnerability`, 'an object with a name (e.g. {"name": "CVE-2024-1234"})', vulnerability);
    const status = own(statement, 'status');
    if (typeof status !== 'string' || !STATUSES.has(status)) {
      fail(`statements[${i}].status`, 'one of not_affected, affected, fixed, under_investigation', status);
    }
  }
  const warnings =
    statements.length === 0
      ? [`${origin}: the OpenVEX document has no statements, so it says nothing about any vulnerability`]
      : [];
  return { predicateType: context, predicate: document, warnings };
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}
