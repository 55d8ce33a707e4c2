// require-chain as written by people: one stage per line (or per list item in a policy file),
// in order from the first stage to the last, each a stage preset or a predicate type URI
// followed by the rules its attestation must pass, named as the policy inputs are:
//
//   provenance signer-workflow=octo-org/app/.github/workflows/release.yml
//   sbom       signer-workflow=octo-org/app/.github/workflows/release.yml
//   vulns      signer-workflow=octo-org/app/.github/workflows/scan.yml
//   https://example.com/my-stage/v1 certificate-identity=https://github.com/octo-org/app/.github/workflows/x.yml@refs/heads/main
//   approval   signer-workflow=octo-org/app/.github/workflows/deploy.yml environment=production
//   deployment signer-workflow=octo-org/app/.github/workflows/deploy.yml environment=production
//
// `environment` is the one option that is not a policy rule: it belongs to approval stages (the
// human-review predicate type), naming the deployment environment the approval must have been
// made in, and to deployment stages (DEPLOYMENT_V1), naming the one deployed to (repeat it for
// alternatives); stage-result.ts reads it.
// A stage's rules replace the top-level rules of the same name (a scan is signed by another
// workflow than the build) and inherit the others (repository, issuer, max-age, ...). Values
// have no spaces (refs, workflows and identities never do; a regexp can use \s), except a
// double-quoted value (`cel="a == 'b'"`, with \" and \\ inside), which CEL needs. `cel` is the
// stage's content policy (repeatable, all must hold; policy/cel/, docs/cel.md): it may name the
// earlier stages as `stages.LABEL`, and is the stage's own, never inherited. Each stage's
// merged rules must pin the source as the top-level ones must (policy/source-rules.ts). Pure.

import { ProvenanceError } from '../../common/errors.ts';
import {
  DEPLOYMENT_V1,
  HUMAN_REVIEW_V01,
  isStageName,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  STAGE_PRESETS,
} from '../../stages/presets.ts';
import { namesSigner, type Policy, type RuleParser } from '../policy/policy.ts';
import { compileCelRule } from '../policy/cel/compile.ts';
import { requireSourceRule } from '../policy/source-rules.ts';
import type { ChainStageSpec } from './types.ts';

export const REQUIRE_CHAIN = 'require-chain';
/** More stages than any release process has; a bound so a policy cannot ask for unbounded work. */
export const MAX_CHAIN_STAGES = 32;

/** The stage-line option naming the deployment environment of an approval or a deployment. */
export const ENVIRONMENT_OPTION = 'environment';
/** The stage-line option holding a content policy (a CEL expression). */
export const CEL_OPTION = 'cel';

const HINT =
  'Write one stage per line: a stage (source, provenance, sbom, vulns, vex, policy, approval, deployment) or a predicate type URI, then rule=value pairs, e.g. "vulns signer-workflow=OWNER/REPO/.github/workflows/scan.yml"';

/**
 * The stages, with each stage's policy already merged over `base`. `where` names the origin in
 * messages (the input, or the policy file). `hasKey`: a managed key names the signer itself.
 */
export function parseChainStages(
  lines: readonly string[],
  where: string,
  base: Policy,
  rules: Readonly<Record<string, RuleParser>>,
  hasKey: boolean,
): ChainStageSpec[] {
  const written = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (written.length === 0) throw new ProvenanceError('INPUT_INVALID', `${where}: no stages`, HINT);
  if (written.length > MAX_CHAIN_STAGES)
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${where}: ${written.length} stages, more than ${MAX_CHAIN_STAGES}`,
      'List only the stages a release must pass',
    );
  const { predicateType: _ignored, requireChain: _none, cel: _own, ...inherited } = base;
  const seen = new Set<string>();
  const specs = written.map((line, index) => {
    const origin = `${where}, stage ${index + 1}`;
    const [stage = '', ...tokens] = stageTokens(line, origin);
    const { title, predicateTypes } = stageTypes(stage, origin);
    if (seen.has(stage))
      throw new ProvenanceError(
        'INPUT_INVALID',
        `${origin}: "${stage}" is listed twice`,
        'Each stage appears once; a chain links each stage to the one before',
      );
    seen.add(stage);

    const values = new Map<string, string[]>();
    const environments: string[] = [];
    const cel: string[] = [];
    for (const token of tokens) {
      const match = /^([a-z][a-z-]*)=(.+)$/s.exec(token);
      const name = match?.[1];
      if (!match || name === undefined || match[2] === undefined)
        throw new ProvenanceError('INPUT_INVALID', `${origin}: "${token}" is not rule=value`, HINT);
      if (name === ENVIRONMENT_OPTION) {
        if (!predicateTypes.includes(HUMAN_REVIEW_V01) && !predicateTypes.includes(DEPLOYMENT_V1)) {
          throw new ProvenanceError(
            'INPUT_INVALID',
            `${origin}: "${ENVIRONMENT_OPTION}" applies only to an approval or a deployment stage, not to "${stage}"`,
            'Put environment=NAME on the approval or deployment line, e.g. "approval signer-workflow=OWNER/REPO/.github/workflows/deploy.yml environment=production"',
          );
        }
        environments.push(match[2]);
        continue;
      }
      if (name === CEL_OPTION) {
        cel.push(match[2]);
        continue;
      }
      if (name === 'predicate-type' || name === REQUIRE_CHAIN || !Object.hasOwn(rules, name)) {
        throw new ProvenanceError(
          'INPUT_INVALID',
          `${origin}: "${name}" is not a rule a stage can set`,
          `Stage rules: ${Object.keys(rules)
            .filter((r) => r !== 'predicate-type')
            .join(', ')} (the stage itself sets the predicate type)`,
        );
      }
      values.set(name, [...(values.get(name) ?? []), match[2]]);
    }
    let own: Partial<Policy> = {};
    for (const [name, given] of values) {
      const parse = rules[name];
      if (parse) own = { ...own, ...parse(given, `${origin} ${name}`) };
    }
    const earlier = written.slice(0, index).map((l) => l.split(/\s+/)[0] ?? '');
    const policy: Policy = {
      ...inherited,
      ...own,
      ...(cel.length > 0 && { cel: compileCelRule(cel, `${origin} ("${stage}") cel`, { stageLabels: earlier }) }),
    };
    if (!namesSigner(policy) && !hasKey) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `${origin} ("${stage}") has no rule naming its signer, so any repository's attestation would pass`,
        `Add e.g. "${stage} signer-workflow=OWNER/REPO/.github/workflows/FILE.yml" (or set repository for every stage)`,
      );
    }
    requireSourceRule(policy, `${origin} ("${stage}")`);
    return {
      label: stage,
      title,
      predicateTypes,
      policy,
      ...(environments.length > 0 && { environments }),
      ...(stage === 'source' && { joinsByCommit: true }),
    };
  });
  specs.forEach((spec, index) => {
    if (spec.joinsByCommit !== true) return;
    // The source stage joins the build by the commit the build provenance names: it needs that stage next.
    const next = specs[index + 1];
    if (next?.predicateTypes.some((t) => t === SLSA_PROVENANCE_V1 || t === SLSA_PROVENANCE_V02) !== true) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `${where}, stage ${index + 1}: "source" must come right before the build provenance stage, ${next === undefined ? 'but it is the last stage' : `but stage ${index + 2} is "${next.label}"`}`,
        'Put the source line directly above the provenance line: the build provenance names the commit the Source VSA is about, and that is how the two are joined',
      );
    }
  });
  return specs;
}

/**
 * A stage line's words: split at whitespace, except inside a double-quoted value, where \" is a
 * quote and \\ a backslash (`cel="a == 'b c'"` is one word, `cel=a == 'b c'`).
 */
function stageTokens(line: string, origin: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '"') {
      started = true;
      let closed = false;
      for (i++; i < line.length; i++) {
        const d = line[i] ?? '';
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i] ?? '';
        else if (d === '"') {
          closed = true;
          break;
        } else current += d;
      }
      if (!closed)
        throw new ProvenanceError(
          'INPUT_INVALID',
          `${origin}: a double quote is not closed`,
          'Close the quoted value with ", writing a quote inside it as \\"',
        );
    } else if (/\s/.test(c)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) tokens.push(current);
  return tokens;
}

function stageTypes(stage: string, origin: string): { title: string; predicateTypes: readonly string[] } {
  if (isStageName(stage)) {
    const preset = STAGE_PRESETS[stage];
    return { title: preset.title, predicateTypes: preset.predicateTypes };
  }
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(stage)) return { title: stage, predicateTypes: [stage] };
  throw new ProvenanceError('INPUT_INVALID', `${origin}: "${stage}" is neither a stage nor a predicate type URI`, HINT);
}

/** The chain as the report shows it: each stage as a line, the way it was written. */
export function describeChain(stages: readonly ChainStageSpec[]): string[] {
  return stages.map((s) => `${s.label} (${s.predicateTypes.join(' | ')})`);
}
