// SLSA v0.2 provenance from slsa-github-generator (generic, container and Go builders), checked
// against the certificate. Its builder.id is the generator's reusable workflow at a tag (the
// Build Signer URI); invocation.configSource and materials[0] name the caller's repository at
// its ref and commit, configSource.entryPoint the caller's workflow file; invocation.environment
// restates the github context and metadata.buildInvocationID is "<run_id>-<run_attempt>".
//
// Generator releases of 2022 appended ".git" after the ref in git URIs; that one spelling is
// accepted. Generator provenance of 2022 is also signed by certificates with legacy extensions
// only: there builder.id is checked against the SAN, the commit, ref and trigger against .3, .6
// and .2, the git URIs against the repository (.5) and ref, and facts that only v2 extensions
// carry (repository and owner ids, workflow path, run) are not checked, for the certificate does
// not say them.

import type { CheckFailure } from '../../types.ts';
import { LABEL, type CertificateContext } from './certificate-context.ts';
import { compareFields, type FieldCheck } from './field-check.ts';
import { at } from './json-path.ts';

export const GENERATOR_BUILD_TYPES_V02: readonly string[] = [
  'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
  'https://github.com/slsa-framework/slsa-github-generator/container@v1',
  'https://github.com/slsa-framework/slsa-github-generator/go@v1',
];

export function slsaV02Agreement(predicate: unknown, ctx: CertificateContext): CheckFailure[] {
  const f = ctx.facts;
  const env = (key: string): unknown => at(predicate, 'invocation', 'environment', key);
  const run = ctx.run;
  const checks: FieldCheck[] = [
    {
      field: 'builder.id',
      claimed: at(predicate, 'builder', 'id'),
      certified: ctx.signerURI,
      label: LABEL.signer,
      required: true,
      legacy: true,
    },
    gitURICheck('invocation.configSource.uri', at(predicate, 'invocation', 'configSource', 'uri'), ctx),
    {
      field: 'invocation.configSource.digest.sha1',
      claimed: at(predicate, 'invocation', 'configSource', 'digest', 'sha1'),
      certified: f.sourceRepositoryDigest,
      label: LABEL.digest,
      required: true,
      legacy: true,
    },
    {
      field: 'invocation.configSource.entryPoint',
      claimed: at(predicate, 'invocation', 'configSource', 'entryPoint'),
      certified: ctx.workflowPath,
      label: LABEL.buildConfig,
      required: true,
      legacy: false,
    },
    gitURICheck('materials[0].uri', at(predicate, 'materials', 0, 'uri'), ctx),
    {
      field: 'materials[0].digest.sha1',
      claimed: at(predicate, 'materials', 0, 'digest', 'sha1'),
      certified: f.sourceRepositoryDigest,
      label: LABEL.digest,
      required: true,
      legacy: true,
    },
    // The environment is the generator's restatement of the github context: checked when present.
    {
      field: 'invocation.environment.github_event_name',
      claimed: env('github_event_name'),
      certified: f.buildTrigger,
      label: LABEL.trigger,
      required: false,
      legacy: true,
    },
    {
      field: 'invocation.environment.github_ref',
      claimed: env('github_ref'),
      certified: f.sourceRepositoryRef,
      label: LABEL.ref,
      required: false,
      legacy: true,
    },
    {
      field: 'invocation.environment.github_sha1',
      claimed: env('github_sha1'),
      certified: f.sourceRepositoryDigest,
      label: LABEL.digest,
      required: false,
      legacy: true,
    },
    {
      field: 'invocation.environment.github_repository_id',
      claimed: env('github_repository_id'),
      certified: f.sourceRepositoryIdentifier,
      label: LABEL.repositoryId,
      required: false,
      legacy: false,
    },
    {
      field: 'invocation.environment.github_repository_owner',
      claimed: env('github_repository_owner'),
      certified: ctx.ownerName,
      label: LABEL.owner,
      required: false,
      legacy: false,
    },
    {
      field: 'invocation.environment.github_repository_owner_id',
      claimed: env('github_repository_owner_id'),
      certified: f.sourceRepositoryOwnerIdentifier,
      label: LABEL.ownerId,
      required: false,
      legacy: false,
    },
    {
      field: 'invocation.environment.github_run_id',
      claimed: env('github_run_id'),
      certified: run?.id,
      label: LABEL.run,
      required: false,
      legacy: false,
    },
    {
      field: 'invocation.environment.github_run_attempt',
      claimed: env('github_run_attempt'),
      certified: run?.attempt,
      label: LABEL.run,
      required: false,
      legacy: false,
    },
    {
      field: 'metadata.buildInvocationID',
      claimed: at(predicate, 'metadata', 'buildInvocationID'),
      certified: run && `${run.id}-${run.attempt}`,
      label: LABEL.run,
      required: false,
      legacy: false,
    },
  ];
  return compareFields(checks, ctx);
}

function gitURICheck(field: string, claimed: unknown, ctx: CertificateContext): FieldCheck {
  const withDotGit = (c: string, expected: string): boolean => c === expected || c === `${expected}.git`;
  const ref = ctx.facts.sourceRepositoryRef;
  if (ctx.gitURI === undefined && !ctx.v2 && ref !== undefined) {
    // Legacy certificate without the repository (.5): no repository URI to compare, but the ref (.6) is there.
    return {
      field,
      claimed,
      certified: `@${ref}`,
      label: LABEL.ref,
      required: true,
      legacy: true,
      relation: 'ending in',
      equals: (c, suffix) => c.endsWith(suffix) || c.endsWith(`${suffix}.git`),
    };
  }
  return {
    field,
    claimed,
    certified: ctx.gitURI,
    label: LABEL.gitURI,
    required: true,
    legacy: false,
    equals: withDotGit,
  };
}
