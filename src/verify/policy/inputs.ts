// Verify mode's policy, read from the action's inputs (or the CLI's flags, through the same
// `get`) and from an optional policy file holding the same rules under the same names. A rule
// given in both places must say the same thing; a different value is a conflict, not a silent
// override. The only I/O is `readFile`, injected, for the `policy` input.

import { ProvenanceError } from '../../common/errors.ts';
import { parseChainStages, REQUIRE_CHAIN } from '../chain/spec.ts';
import type { Policy, RuleParser } from './policy.ts';
import { parsePolicyFile, type RawRule } from './policy-file.ts';
import { compileCelRule } from './cel/compile.ts';
import { requireSourceRule } from './source-rules.ts';
import {
  booleanValue,
  builderIdValue,
  commitValue,
  durationValue,
  identityValue,
  issuerValue,
  ownerValue,
  predicateTypeValue,
  refPatternValue,
  regexpValue,
  repositoryValue,
  signerWorkflowValue,
} from './rule-values.ts';

/** A rule that takes exactly one value. */
function one(parse: (value: string, origin: string) => Partial<Policy>): RuleParser {
  return (values, origin) => {
    const [value, ...more] = values;
    if (value === undefined || more.length > 0) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `${origin}: takes one value, got ${values.length}`,
        'Give this rule a single value (only signer-workflow and source-ref accept a list)',
      );
    }
    return parse(value, origin);
  };
}

/** A rule that accepts several values, any of which may match (one per line as an input). */
function list(
  parse: (value: string, origin: string) => string,
  set: (values: string[]) => Partial<Policy>,
): RuleParser {
  return (values, origin) => set([...new Set(values.map((v) => parse(v, origin)))]);
}

/** Every rule, by its input name (also its name in a policy file). */
export const POLICY_RULES: Readonly<Record<string, RuleParser>> = {
  'certificate-oidc-issuer': one((v, o) => ({ certificateOidcIssuer: issuerValue(v, o) })),
  repository: one((v, o) => ({ repository: repositoryValue(v, o) })),
  owner: one((v, o) => ({ owner: ownerValue(v, o) })),
  'signer-workflow': list(signerWorkflowValue, (signerWorkflow) => ({ signerWorkflow })),
  'signer-repository': one((v, o) => ({ signerRepository: repositoryValue(v, o) })),
  'source-ref': list(refPatternValue, (sourceRef) => ({ sourceRef })),
  'source-digest': one((v, o) => ({ sourceDigest: commitValue(v, o) })),
  'builder-id': one((v, o) => ({ builderId: builderIdValue(v, o) })),
  'predicate-type': one((v, o) => ({ predicateType: predicateTypeValue(v, o) })),
  // false is no rule at all, so it neither conflicts with nor weakens a true given elsewhere.
  'deny-self-hosted-runners': one((v, o) => (booleanValue(v, o) ? { denySelfHostedRunners: true } : {})),
  'max-age': one((v, o) => ({ maxAge: durationValue(v, o) })),
  'certificate-identity': one((v, o) => ({ certificateIdentity: identityValue(v, o) })),
  'certificate-identity-regexp': one((v, o) => ({ certificateIdentityRegexp: regexpValue(v, o) })),
  // One expression per line (a list in a policy file), every one of which must be true.
  cel: (values, origin) => ({ cel: compileCelRule(values, origin) }),
};

export const POLICY_INPUT = 'policy';

export function policyFromInputs(get: (name: string) => string, readFile: (path: string) => string): Policy {
  const fromFile = new Map<string, RawRule>();
  const path = get(POLICY_INPUT).trim();
  if (path !== '') {
    for (const rule of parsePolicyFile(path, read(path, readFile))) fromFile.set(rule.name, rule);
    if (fromFile.size === 0) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `policy: ${path} holds no rules`,
        'Add rules such as "repository: OWNER/REPO", or drop the policy input',
      );
    }
  }
  for (const [name, rule] of fromFile) {
    if (name !== REQUIRE_CHAIN && !Object.hasOwn(POLICY_RULES, name)) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `policy: unknown rule "${name}" (${rule.where})`,
        `Policy files take the rule inputs' names: ${[...Object.keys(POLICY_RULES), REQUIRE_CHAIN].join(', ')}`,
      );
    }
  }

  let policy: Policy = {};
  for (const [name, parse] of Object.entries(POLICY_RULES)) {
    const inputValues = get(name)
      .split('\n')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const fileRule = fromFile.get(name);
    const fromInput = inputValues.length > 0 ? parse(inputValues, name) : {};
    const fromPolicyFile = fileRule
      ? parse(
          fileRule.values.map((v) => v.trim()),
          `${name} (${fileRule.where})`,
        )
      : {};
    if (fileRule && given(fromInput) && given(fromPolicyFile) && canonical(fromInput) !== canonical(fromPolicyFile)) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `${name} is ${show(fileRule.values)} in the ${fileRule.where} but ${show(inputValues)} as the ${name} input`,
        `Give ${name} in one place only, or the same value in both`,
      );
    }
    policy = { ...policy, ...fromPolicyFile, ...fromInput };
  }
  const withStages = withChain(policy, get, fromFile.get(REQUIRE_CHAIN));
  // With require-chain each stage's rules are checked as the stage is parsed (chain/spec.ts).
  if (withStages.requireChain === undefined) requireSourceRule(withStages, 'verify mode');
  return withStages;
}

/** require-chain, from the input or the policy file (not both), parsed over the merged rules. */
function withChain(policy: Policy, get: (name: string) => string, fileRule: RawRule | undefined): Policy {
  const inputLines = get(REQUIRE_CHAIN)
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (inputLines.length === 0 && fileRule === undefined) return policy;
  if (inputLines.length > 0 && fileRule !== undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `require-chain is given both in the ${fileRule.where} and as the require-chain input`,
      'Give require-chain in one place only',
    );
  }
  if (policy.cel !== undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'cel and require-chain are both set',
      `Put each expression on the stage it is about, e.g. 'provenance signer-workflow=… cel="…"'`,
    );
  }
  if (policy.predicateType !== undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'predicate-type and require-chain are both set',
      'Drop predicate-type: each stage of require-chain names its own predicate types',
    );
  }
  const lines = fileRule?.values ?? inputLines;
  const where = fileRule?.where ?? REQUIRE_CHAIN;
  return { ...policy, requireChain: parseChainStages(lines, where, policy, POLICY_RULES, get('key').trim() !== '') };
}

function read(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (err) {
    if (err instanceof ProvenanceError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError(
      'INPUT_INVALID',
      `policy: cannot read ${path} (${reason})`,
      'Set policy to the path of a YAML or JSON policy file in the workspace',
      { cause: err },
    );
  }
}

function given(rule: Partial<Policy>): boolean {
  return Object.keys(rule).length > 0;
}

/** A rule's value in a form where equal meanings compare equal (30d = 2592000, lists as sets). */
function canonical(rule: Partial<Policy>): string {
  return JSON.stringify(rule, (_key, value: unknown) =>
    Array.isArray(value) ? [...(value as string[])].sort() : value,
  );
}

function show(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}
