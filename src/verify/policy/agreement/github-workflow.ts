// SLSA v1 provenance for a GitHub Actions workflow, in its two build types, checked field by
// field against the certificate:
//
// - https://actions.github.io/buildtypes/workflow/v1 (GitHub's attest actions since 2024, and
//   ours): runDetails.builder.id is server_url + job_workflow_ref, i.e. the Build Signer URI.
// - https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1 (npm --provenance,
//   GitHub attestations made before 2025): same parameters and dependencies, but builder.id names
//   the runner, https://github.com/actions/runner/<runner_environment>, so it is checked against
//   the Runner Environment. slsa-github-generator's v1 builders use this type with builder.id =
//   their reusable workflow; that form is accepted when it equals the Build Signer URI.
//
// Both derive workflow.ref from workflow_ref's ref and the dependency from github.ref; GitHub
// issues both from the same ref, so both are compared with the Source Repository Ref.

import type { CheckFailure } from '../../types.ts';
import type { CertificateContext } from './certificate-context.ts';
import { LABEL } from './certificate-context.ts';
import { compareFields, type FieldCheck } from './field-check.ts';
import { at, shown } from './json-path.ts';

export const ACTIONS_WORKFLOW_V1 = 'https://actions.github.io/buildtypes/workflow/v1';
export const SLSA_FRAMEWORK_WORKFLOW_V1 = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';

const GITHUB_RUNNER_BUILDER = 'https://github.com/actions/runner/';

/** External parameters each build type defines; any other is a claim nothing can vouch for. */
const KNOWN_PARAMETERS: ReadonlyMap<string, readonly string[]> = new Map([
  [ACTIONS_WORKFLOW_V1, ['workflow', 'inputs', 'vars']],
  [SLSA_FRAMEWORK_WORKFLOW_V1, ['workflow', 'inputs', 'vars', 'release']],
]);

export function githubWorkflowAgreement(
  predicate: unknown,
  buildType: string,
  ctx: CertificateContext,
): CheckFailure[] {
  const f = ctx.facts;
  const workflow = (key: string): unknown => at(predicate, 'buildDefinition', 'externalParameters', 'workflow', key);
  const github = (key: string): unknown => at(predicate, 'buildDefinition', 'internalParameters', 'github', key);
  const dependency = at(predicate, 'buildDefinition', 'resolvedDependencies', 0);

  const checks: FieldCheck[] = [
    builderCheck(at(predicate, 'runDetails', 'builder', 'id'), buildType, ctx),
    {
      field: 'buildDefinition.externalParameters.workflow.repository',
      claimed: workflow('repository'),
      certified: f.sourceRepositoryURI,
      label: LABEL.repository,
      required: true,
      legacy: false,
    },
    {
      field: 'buildDefinition.externalParameters.workflow.ref',
      claimed: workflow('ref'),
      certified: f.sourceRepositoryRef,
      label: LABEL.ref,
      required: true,
      legacy: true,
    },
    {
      field: 'buildDefinition.externalParameters.workflow.path',
      claimed: workflow('path'),
      certified: ctx.workflowPath,
      label: LABEL.buildConfig,
      required: true,
      legacy: false,
    },
    // resolvedDependencies is a SHOULD; when the entry is there it must be the source commit.
    ...(dependency === undefined
      ? []
      : [
          {
            field: 'buildDefinition.resolvedDependencies[0].uri',
            claimed: at(dependency, 'uri'),
            certified: ctx.gitURI,
            label: LABEL.gitURI,
            required: true,
            legacy: false,
          },
          {
            field: 'buildDefinition.resolvedDependencies[0].digest.gitCommit',
            claimed: at(dependency, 'digest', 'gitCommit'),
            certified: f.sourceRepositoryDigest,
            label: LABEL.digest,
            required: true,
            legacy: true,
          },
        ]),
    // Internal parameters are OPTIONAL in both build types: checked when present.
    {
      field: 'buildDefinition.internalParameters.github.runner_environment',
      claimed: github('runner_environment'),
      certified: f.runnerEnvironment,
      label: LABEL.runner,
      required: false,
      legacy: false,
    },
    {
      field: 'buildDefinition.internalParameters.github.event_name',
      claimed: github('event_name'),
      certified: f.buildTrigger,
      label: LABEL.trigger,
      required: false,
      legacy: true,
    },
    {
      field: 'buildDefinition.internalParameters.github.repository_id',
      claimed: github('repository_id'),
      certified: f.sourceRepositoryIdentifier,
      label: LABEL.repositoryId,
      required: false,
      legacy: false,
    },
    {
      field: 'buildDefinition.internalParameters.github.repository_owner_id',
      claimed: github('repository_owner_id'),
      certified: f.sourceRepositoryOwnerIdentifier,
      label: LABEL.ownerId,
      required: false,
      legacy: false,
    },
    {
      field: 'runDetails.metadata.invocationId',
      claimed: at(predicate, 'runDetails', 'metadata', 'invocationId'),
      certified: f.runInvocationURI,
      label: LABEL.run,
      required: false,
      legacy: false,
    },
  ];
  return [...compareFields(checks, ctx), ...parameterFailures(predicate, buildType, ctx)];
}

function builderCheck(claimed: unknown, buildType: string, ctx: CertificateContext): FieldCheck {
  const field = 'runDetails.builder.id';
  if (buildType === ACTIONS_WORKFLOW_V1) {
    return { field, claimed, certified: ctx.signerURI, label: LABEL.signer, required: true, legacy: true };
  }
  const runner = ctx.facts.runnerEnvironment;
  return {
    field,
    claimed,
    certified: runner === undefined ? undefined : `${GITHUB_RUNNER_BUILDER}${runner}`,
    label: LABEL.runner,
    required: true,
    legacy: false,
    equals: (c, runnerBuilder) => c === runnerBuilder || (ctx.signerURI !== undefined && c === ctx.signerURI),
  };
}

/**
 * External parameters beyond the build type's (which "consumers SHOULD reject"), and workflow
 * inputs on a run that was not a workflow_dispatch: the certificate's trigger says there were none.
 */
function parameterFailures(predicate: unknown, buildType: string, ctx: CertificateContext): CheckFailure[] {
  const params = at(predicate, 'buildDefinition', 'externalParameters');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return [];
  const known = KNOWN_PARAMETERS.get(buildType) ?? [];
  const failures: CheckFailure[] = Object.keys(params)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      check: 'predicate-matches-certificate',
      expected: `buildDefinition.externalParameters with only ${known.join(', ')} (no certificate fact vouches for others)`,
      found: `buildDefinition.externalParameters.${key} = ${shown(at(params, key))}`,
    }));
  const trigger = ctx.facts.buildTrigger;
  if (at(params, 'inputs') !== undefined && trigger !== undefined && trigger !== 'workflow_dispatch') {
    failures.push({
      check: 'predicate-matches-certificate',
      expected: `no buildDefinition.externalParameters.inputs: certificate ${LABEL.trigger} is ${trigger}, not workflow_dispatch`,
      found: `buildDefinition.externalParameters.inputs = ${shown(at(params, 'inputs'))}`,
    });
  }
  return failures;
}
