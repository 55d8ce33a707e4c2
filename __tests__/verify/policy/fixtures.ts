// Certificates and provenance in the exact shapes the three builders emit, for one release of
// octo-org/octo-repo (GitHub's attest action), octo-org/widget on npm (npm --provenance) and
// octo-org/widget through slsa-github-generator's generic generator. Shapes follow
// actions/buildtypes workflow/v1, actions/toolkit packages/attest/src/provenance.ts,
// npm/cli workspaces/libnpmpublish/lib/provenance.js and slsa-github-generator slsa/buildtype.go.

import type { CertificateFacts, InTotoStatement, VerifiedBundle } from '../../../src/verify/types.ts';

export const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567';
export const GENERATOR_SHA = 'f7dd8c54c2067bafc12ca7a55595d5ee9b75204a';
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** A public-good certificate for octo-org/octo-repo's release.yml, pushed tag v1.2.0. */
export const ATTEST_CERT: CertificateFacts = {
  subjectAlternativeName: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  issuer: GITHUB_ISSUER,
  buildSignerURI: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  buildSignerDigest: SHA,
  runnerEnvironment: 'github-hosted',
  sourceRepositoryURI: 'https://github.com/octo-org/octo-repo',
  sourceRepositoryDigest: SHA,
  sourceRepositoryRef: 'refs/tags/v1.2.0',
  sourceRepositoryIdentifier: '123456',
  sourceRepositoryOwnerURI: 'https://github.com/octo-org',
  sourceRepositoryOwnerIdentifier: '654321',
  buildConfigURI: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
  buildConfigDigest: SHA,
  buildTrigger: 'push',
  runInvocationURI: 'https://github.com/octo-org/octo-repo/actions/runs/987654321/attempts/2',
  sourceRepositoryVisibilityAtSigning: 'public',
};

/** actions/attest-build-provenance (@actions/attest buildSLSAProvenancePredicate), and ours. */
export const ATTEST_STATEMENT: InTotoStatement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'octo-repo-linux-amd64.tar.gz', digest: { sha256: 'e'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: {
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      externalParameters: {
        workflow: {
          ref: 'refs/tags/v1.2.0',
          repository: 'https://github.com/octo-org/octo-repo',
          path: '.github/workflows/release.yml',
        },
      },
      internalParameters: {
        github: {
          event_name: 'push',
          repository_id: '123456',
          repository_owner_id: '654321',
          runner_environment: 'github-hosted',
        },
      },
      resolvedDependencies: [
        { uri: 'git+https://github.com/octo-org/octo-repo@refs/tags/v1.2.0', digest: { gitCommit: SHA } },
      ],
    },
    runDetails: {
      builder: { id: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0' },
      metadata: { invocationId: 'https://github.com/octo-org/octo-repo/actions/runs/987654321/attempts/2' },
    },
  },
};

/** The same release built by a reusable workflow in octo-org/builders. */
export const REUSABLE_CERT: CertificateFacts = {
  ...ATTEST_CERT,
  subjectAlternativeName: 'https://github.com/octo-org/builders/.github/workflows/build.yml@refs/heads/main',
  buildSignerURI: 'https://github.com/octo-org/builders/.github/workflows/build.yml@refs/heads/main',
  buildSignerDigest: OTHER_SHA,
};

/** npm publish --provenance from octo-org/widget's publish.yml on a release event. */
export const NPM_CERT: CertificateFacts = {
  subjectAlternativeName: 'https://github.com/octo-org/widget/.github/workflows/publish.yml@refs/tags/v1.2.0',
  issuer: GITHUB_ISSUER,
  buildSignerURI: 'https://github.com/octo-org/widget/.github/workflows/publish.yml@refs/tags/v1.2.0',
  buildSignerDigest: SHA,
  runnerEnvironment: 'github-hosted',
  sourceRepositoryURI: 'https://github.com/octo-org/widget',
  sourceRepositoryDigest: SHA,
  sourceRepositoryRef: 'refs/tags/v1.2.0',
  sourceRepositoryIdentifier: '602223945',
  sourceRepositoryOwnerURI: 'https://github.com/octo-org',
  sourceRepositoryOwnerIdentifier: '654321',
  buildConfigURI: 'https://github.com/octo-org/widget/.github/workflows/publish.yml@refs/tags/v1.2.0',
  buildConfigDigest: SHA,
  buildTrigger: 'release',
  runInvocationURI: 'https://github.com/octo-org/widget/actions/runs/4757060009/attempts/1',
  sourceRepositoryVisibilityAtSigning: 'public',
};

/** libnpmpublish's generateProvenance: older build type, runner as builder, no runner_environment. */
export const NPM_STATEMENT: InTotoStatement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'pkg:npm/%40octo-org/widget@1.2.0', digest: { sha512: 'c'.repeat(128) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: {
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      externalParameters: {
        workflow: {
          ref: 'refs/tags/v1.2.0',
          repository: 'https://github.com/octo-org/widget',
          path: '.github/workflows/publish.yml',
        },
      },
      internalParameters: {
        github: { event_name: 'release', repository_id: '602223945', repository_owner_id: '654321' },
      },
      resolvedDependencies: [
        { uri: 'git+https://github.com/octo-org/widget@refs/tags/v1.2.0', digest: { gitCommit: SHA } },
      ],
    },
    runDetails: {
      builder: { id: 'https://github.com/actions/runner/github-hosted' },
      metadata: { invocationId: 'https://github.com/octo-org/widget/actions/runs/4757060009/attempts/1' },
    },
  },
};

const GENERATOR =
  'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0';

/** slsa-github-generator's generic generator, called from octo-org/widget's release.yml. */
export const GENERATOR_CERT: CertificateFacts = {
  subjectAlternativeName: GENERATOR,
  issuer: GITHUB_ISSUER,
  buildSignerURI: GENERATOR,
  buildSignerDigest: GENERATOR_SHA,
  runnerEnvironment: 'github-hosted',
  sourceRepositoryURI: 'https://github.com/octo-org/widget',
  sourceRepositoryDigest: SHA,
  sourceRepositoryRef: 'refs/tags/v1.2.0',
  sourceRepositoryIdentifier: '602223945',
  sourceRepositoryOwnerURI: 'https://github.com/octo-org',
  sourceRepositoryOwnerIdentifier: '654321',
  buildConfigURI: 'https://github.com/octo-org/widget/.github/workflows/release.yml@refs/tags/v1.2.0',
  buildConfigDigest: SHA,
  buildTrigger: 'push',
  runInvocationURI: 'https://github.com/octo-org/widget/actions/runs/2556669934/attempts/1',
  sourceRepositoryVisibilityAtSigning: 'public',
};

/** The generator's SLSA v0.2 statement (GithubActionsBuild: invocation, metadata, materials). */
export const GENERATOR_STATEMENT: InTotoStatement = {
  _type: 'https://in-toto.io/Statement/v0.1',
  subject: [{ name: 'widget-linux-amd64', digest: { sha256: 'f'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v0.2',
  predicate: {
    builder: { id: GENERATOR },
    buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
    invocation: {
      configSource: {
        uri: 'git+https://github.com/octo-org/widget@refs/tags/v1.2.0',
        digest: { sha1: SHA },
        entryPoint: '.github/workflows/release.yml',
      },
      parameters: {},
      environment: {
        github_actor: 'octocat',
        github_actor_id: '583231',
        github_base_ref: '',
        github_event_name: 'push',
        github_event_payload: { ref: 'refs/tags/v1.2.0', repository: { full_name: 'octo-org/widget' } },
        github_head_ref: '',
        github_ref: 'refs/tags/v1.2.0',
        github_ref_type: 'tag',
        github_repository_id: '602223945',
        github_repository_owner: 'octo-org',
        github_repository_owner_id: '654321',
        github_run_attempt: '1',
        github_run_id: '2556669934',
        github_run_number: '12',
        github_sha1: SHA,
      },
    },
    metadata: {
      buildInvocationID: '2556669934-1',
      completeness: { parameters: true, environment: false, materials: false },
      reproducible: false,
    },
    materials: [{ uri: 'git+https://github.com/octo-org/widget@refs/tags/v1.2.0', digest: { sha1: SHA } }],
  },
};

/** A 2022 certificate: legacy extensions only (.1 issuer, .2 trigger, .3 sha, .6 ref). */
export const LEGACY_GENERATOR_CERT: CertificateFacts = {
  subjectAlternativeName: GENERATOR,
  issuer: GITHUB_ISSUER,
  buildSignerURI: undefined,
  buildSignerDigest: undefined,
  runnerEnvironment: undefined,
  sourceRepositoryURI: undefined,
  sourceRepositoryDigest: SHA,
  sourceRepositoryRef: 'refs/tags/v1.2.0',
  sourceRepositoryIdentifier: undefined,
  sourceRepositoryOwnerURI: undefined,
  sourceRepositoryOwnerIdentifier: undefined,
  buildConfigURI: undefined,
  buildConfigDigest: undefined,
  buildTrigger: 'push',
  runInvocationURI: undefined,
  sourceRepositoryVisibilityAtSigning: undefined,
};

export const SIGNED_AT = new Date('2026-03-01T12:00:00Z');

export function bundle(
  statement: InTotoStatement | undefined,
  certificate: CertificateFacts | undefined,
  signedAt = SIGNED_AT,
): VerifiedBundle {
  return { certificate, signedAt, statement, messageDigest: undefined };
}

/** A deep copy of `statement` with the value at `path` (dot-separated, [n] for arrays) replaced. */
export function withField(statement: InTotoStatement, path: string, value: unknown): InTotoStatement {
  const copy = structuredClone(statement);
  const keys = path.split('.').flatMap((k) => k.split(/\[(\d+)\]/).filter((s) => s !== ''));
  let node: Record<string, unknown> = copy.predicate;
  keys.slice(0, -1).forEach((k) => {
    node = node[k] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}
