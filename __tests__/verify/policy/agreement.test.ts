import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predicateMatchesCertificate } from '../../../src/verify/policy/agreement/index.ts';
import { evaluatePolicy } from '../../../src/verify/policy/evaluate.ts';
import type { CertificateFacts, CheckFailure, InTotoStatement } from '../../../src/verify/types.ts';
import {
  ATTEST_CERT,
  ATTEST_STATEMENT,
  bundle,
  GENERATOR_CERT,
  GENERATOR_STATEMENT,
  LEGACY_GENERATOR_CERT,
  NPM_CERT,
  NPM_STATEMENT,
  OTHER_SHA,
  REUSABLE_CERT,
  SIGNED_AT,
  withField,
} from './fixtures.ts';

const fields = (failures: CheckFailure[]): string[] =>
  failures.map((f) => {
    assert.equal(f.check, 'predicate-matches-certificate');
    return /^(?:certificate .* to check )?([\w.[\]]+)/.exec(f.expected)?.[1] ?? f.expected;
  });

// One forgery per field: [field path, forged value]. Each must fail, naming that field only.
type Forgery = [string, unknown];

const WORKFLOW_FORGERIES: Forgery[] = [
  ['buildDefinition.externalParameters.workflow.repository', 'https://github.com/evil-org/octo-repo'],
  ['buildDefinition.externalParameters.workflow.ref', 'refs/heads/main'],
  ['buildDefinition.externalParameters.workflow.path', '.github/workflows/release.yml-evil.yml'],
  ['buildDefinition.resolvedDependencies[0].uri', 'git+https://github.com/evil-org/octo-repo@refs/tags/v1.2.0'],
  ['buildDefinition.resolvedDependencies[0].digest.gitCommit', OTHER_SHA],
  ['buildDefinition.internalParameters.github.event_name', 'workflow_dispatch'],
  ['buildDefinition.internalParameters.github.repository_id', '999999'],
  ['buildDefinition.internalParameters.github.repository_owner_id', '999999'],
];

describe('predicateMatchesCertificate: actions.github.io workflow/v1 (GitHub attest)', () => {
  it("accepts the predicate GitHub's attest action writes for the certificate", () => {
    assert.deepEqual(predicateMatchesCertificate(ATTEST_STATEMENT, ATTEST_CERT), []);
  });

  it('accepts what our own attest mode writes (the golden predicate)', () => {
    const golden = JSON.parse(
      readFileSync(new URL('../../golden/predicate-push.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    assert.deepEqual(predicateMatchesCertificate({ ...ATTEST_STATEMENT, predicate: golden }, ATTEST_CERT), []);
  });

  it('accepts a reusable workflow as builder and the caller as source', () => {
    const statement = withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI);
    assert.deepEqual(predicateMatchesCertificate(statement, REUSABLE_CERT), []);
    assert.deepEqual(fields(predicateMatchesCertificate(ATTEST_STATEMENT, REUSABLE_CERT)), ['runDetails.builder.id']);
  });

  const forgeries: Forgery[] = [
    ['runDetails.builder.id', 'https://github.com/evil-org/builders/.github/workflows/build.yml@refs/heads/main'],
    ...WORKFLOW_FORGERIES,
    ['buildDefinition.internalParameters.github.runner_environment', 'self-hosted'],
    ['runDetails.metadata.invocationId', 'https://github.com/octo-org/octo-repo/actions/runs/1/attempts/1'],
  ];
  for (const [field, forged] of forgeries) {
    it(`rejects a forged ${field}`, () => {
      const failures = predicateMatchesCertificate(withField(ATTEST_STATEMENT, field, forged), ATTEST_CERT);
      assert.deepEqual(fields(failures), [field]);
      assert.equal(failures[0]?.found, forged);
    });
  }

  it('reports every disagreement at once: three forged fields, three failures', () => {
    let statement = withField(
      ATTEST_STATEMENT,
      'runDetails.builder.id',
      'https://github.com/evil-org/x/.github/workflows/x.yml@refs/heads/x',
    );
    statement = withField(statement, 'buildDefinition.externalParameters.workflow.ref', 'refs/heads/evil');
    statement = withField(statement, 'buildDefinition.resolvedDependencies[0].digest.gitCommit', OTHER_SHA);
    assert.deepEqual(fields(predicateMatchesCertificate(statement, ATTEST_CERT)), [
      'runDetails.builder.id',
      'buildDefinition.externalParameters.workflow.ref',
      'buildDefinition.resolvedDependencies[0].digest.gitCommit',
    ]);
  });

  it('says what the certificate holds and what the predicate claims', () => {
    const [failure] = predicateMatchesCertificate(
      withField(ATTEST_STATEMENT, 'buildDefinition.externalParameters.workflow.ref', 'refs/heads/main'),
      ATTEST_CERT,
    );
    assert.deepEqual(failure, {
      check: 'predicate-matches-certificate',
      expected:
        'buildDefinition.externalParameters.workflow.ref = refs/tags/v1.2.0 (certificate Source Repository Ref (1.3.6.1.4.1.57264.1.14, legacy .6))',
      found: 'refs/heads/main',
    });
  });

  it('requires the fields the build type requires, and rejects values of the wrong type', () => {
    assert.deepEqual(
      fields(predicateMatchesCertificate(withField(ATTEST_STATEMENT, 'runDetails.builder', undefined), ATTEST_CERT)),
      ['runDetails.builder.id'],
    );
    assert.deepEqual(
      fields(
        predicateMatchesCertificate(
          withField(ATTEST_STATEMENT, 'buildDefinition.externalParameters.workflow', undefined),
          ATTEST_CERT,
        ),
      ),
      [
        'buildDefinition.externalParameters.workflow.repository',
        'buildDefinition.externalParameters.workflow.ref',
        'buildDefinition.externalParameters.workflow.path',
      ],
    );
    const numeric = predicateMatchesCertificate(
      withField(ATTEST_STATEMENT, 'buildDefinition.internalParameters.github.repository_id', 123456),
      ATTEST_CERT,
    );
    assert.deepEqual(
      numeric.map((f) => f.found),
      ['123456'],
    );
  });

  it('lets optional fields be absent', () => {
    let statement = withField(ATTEST_STATEMENT, 'buildDefinition.internalParameters', undefined);
    statement = withField(statement, 'buildDefinition.resolvedDependencies', undefined);
    statement = withField(statement, 'runDetails.metadata', undefined);
    assert.deepEqual(predicateMatchesCertificate(statement, ATTEST_CERT), []);
  });

  it('rejects external parameters the build type does not define, and inputs on a push', () => {
    const extra = withField(
      ATTEST_STATEMENT,
      'buildDefinition.externalParameters.source',
      'https://github.com/evil-org/x',
    );
    assert.deepEqual(
      predicateMatchesCertificate(extra, ATTEST_CERT).map((f) => f.found),
      ['buildDefinition.externalParameters.source = https://github.com/evil-org/x'],
    );
    const inputs = withField(ATTEST_STATEMENT, 'buildDefinition.externalParameters.inputs', { environment: 'prod' });
    assert.match(
      predicateMatchesCertificate(inputs, ATTEST_CERT)[0]?.expected ?? '',
      /Build Trigger .* is push, not workflow_dispatch/,
    );
    const dispatchCert = { ...ATTEST_CERT, buildTrigger: 'workflow_dispatch' };
    const dispatch = withField(inputs, 'buildDefinition.internalParameters.github.event_name', 'workflow_dispatch');
    assert.deepEqual(predicateMatchesCertificate(dispatch, dispatchCert), []);
  });

  it('reports a v2 fact the certificate lacks, with found (absent)', () => {
    const cert: CertificateFacts = { ...ATTEST_CERT, buildConfigURI: undefined };
    assert.deepEqual(predicateMatchesCertificate(ATTEST_STATEMENT, cert), [
      {
        check: 'predicate-matches-certificate',
        expected:
          'certificate Build Config URI (1.3.6.1.4.1.57264.1.18) to check buildDefinition.externalParameters.workflow.path = .github/workflows/release.yml',
        found: '(absent)',
      },
    ]);
  });

  it('holds SLSA v1 provenance to the v2 extensions even on a legacy-only certificate', () => {
    const legacy: CertificateFacts = {
      ...LEGACY_GENERATOR_CERT,
      subjectAlternativeName: ATTEST_CERT.subjectAlternativeName,
    };
    const failures = predicateMatchesCertificate(ATTEST_STATEMENT, legacy);
    assert.ok(failures.length >= 4, 'repository, path, ids, runner, invocation cannot be vouched for');
    assert.ok(failures.every((f) => f.found === '(absent)'));
    assert.ok(
      !fields(failures).includes('runDetails.builder.id'),
      'the SAN stands in for .9 on legacy GitHub certificates',
    );
  });

  it('finds the workflow path when the ref holds an @ (changesets tags)', () => {
    const ref = 'refs/tags/@octo-org/widget@1.2.0';
    const cert = {
      ...ATTEST_CERT,
      sourceRepositoryRef: ref,
      buildConfigURI: `https://github.com/octo-org/octo-repo/.github/workflows/release.yml@${ref}`,
      buildSignerURI: `https://github.com/octo-org/octo-repo/.github/workflows/release.yml@${ref}`,
    };
    let statement = withField(ATTEST_STATEMENT, 'buildDefinition.externalParameters.workflow.ref', ref);
    statement = withField(
      statement,
      'buildDefinition.resolvedDependencies[0].uri',
      `git+https://github.com/octo-org/octo-repo@${ref}`,
    );
    statement = withField(statement, 'runDetails.builder.id', cert.buildSignerURI);
    assert.deepEqual(predicateMatchesCertificate(statement, cert), []);
  });
});

describe('predicateMatchesCertificate: slsa-framework workflow/v1 (npm provenance, older GitHub attestations)', () => {
  it('accepts what npm publish --provenance writes', () => {
    assert.deepEqual(predicateMatchesCertificate(NPM_STATEMENT, NPM_CERT), []);
  });

  it('accepts a runner_environment when present and true', () => {
    const statement = withField(
      NPM_STATEMENT,
      'buildDefinition.internalParameters.github.runner_environment',
      'github-hosted',
    );
    assert.deepEqual(predicateMatchesCertificate(statement, NPM_CERT), []);
  });

  it('accepts a builder id naming the signer workflow (slsa-github-generator v1 builders)', () => {
    const statement = withField(NPM_STATEMENT, 'runDetails.builder.id', NPM_CERT.buildSignerURI);
    assert.deepEqual(predicateMatchesCertificate(statement, NPM_CERT), []);
  });

  const forgeries: Forgery[] = [
    ['runDetails.builder.id', 'https://github.com/actions/runner/self-hosted'],
    ...WORKFLOW_FORGERIES.map(([f, v]): Forgery => [f, typeof v === 'string' ? v.replace('octo-repo', 'widget') : v]),
    ['buildDefinition.internalParameters.github.runner_environment', 'self-hosted'],
    ['runDetails.metadata.invocationId', 'https://github.com/octo-org/widget/actions/runs/1/attempts/1'],
  ];
  for (const [field, forged] of forgeries) {
    it(`rejects a forged ${field}`, () => {
      const failures = predicateMatchesCertificate(withField(NPM_STATEMENT, field, forged), NPM_CERT);
      assert.deepEqual(fields(failures), [field]);
      assert.equal(failures[0]?.found, forged);
    });
  }

  it('rejects a github-hosted claim from a self-hosted runner', () => {
    const failures = predicateMatchesCertificate(NPM_STATEMENT, { ...NPM_CERT, runnerEnvironment: 'self-hosted' });
    assert.deepEqual(failures, [
      {
        check: 'predicate-matches-certificate',
        expected:
          'runDetails.builder.id = https://github.com/actions/runner/self-hosted (certificate Runner Environment (1.3.6.1.4.1.57264.1.11))',
        found: 'https://github.com/actions/runner/github-hosted',
      },
    ]);
  });
});

describe('predicateMatchesCertificate: SLSA v0.2 (slsa-github-generator)', () => {
  it("accepts the generic generator's provenance", () => {
    assert.deepEqual(predicateMatchesCertificate(GENERATOR_STATEMENT, GENERATOR_CERT), []);
  });

  it('accepts the ".git" after the ref written by 2022 generator releases', () => {
    const statement = withField(
      GENERATOR_STATEMENT,
      'invocation.configSource.uri',
      'git+https://github.com/octo-org/widget@refs/tags/v1.2.0.git',
    );
    assert.deepEqual(predicateMatchesCertificate(statement, GENERATOR_CERT), []);
  });

  const forgeries: Forgery[] = [
    [
      'builder.id',
      'https://github.com/evil-org/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0',
    ],
    ['invocation.configSource.uri', 'git+https://github.com/evil-org/widget@refs/tags/v1.2.0'],
    ['invocation.configSource.digest.sha1', OTHER_SHA],
    ['invocation.configSource.entryPoint', '.github/workflows/evil.yml'],
    ['materials[0].uri', 'git+https://github.com/octo-org/widget@refs/heads/evil'],
    ['materials[0].digest.sha1', OTHER_SHA],
    ['invocation.environment.github_event_name', 'workflow_dispatch'],
    ['invocation.environment.github_ref', 'refs/heads/evil'],
    ['invocation.environment.github_sha1', OTHER_SHA],
    ['invocation.environment.github_repository_id', '1'],
    ['invocation.environment.github_repository_owner', 'evil-org'],
    ['invocation.environment.github_repository_owner_id', '1'],
    ['invocation.environment.github_run_id', '1'],
    ['invocation.environment.github_run_attempt', '9'],
    ['metadata.buildInvocationID', '1-1'],
  ];
  for (const [field, forged] of forgeries) {
    it(`rejects a forged ${field}`, () => {
      const failures = predicateMatchesCertificate(withField(GENERATOR_STATEMENT, field, forged), GENERATOR_CERT);
      assert.deepEqual(fields(failures), [field]);
      assert.equal(failures[0]?.found, forged);
    });
  }

  it('checks a legacy certificate where it can: SAN for builder, .3 commit, .6 ref, .2 trigger', () => {
    assert.deepEqual(predicateMatchesCertificate(GENERATOR_STATEMENT, LEGACY_GENERATOR_CERT), []);
    let forged = withField(
      GENERATOR_STATEMENT,
      'builder.id',
      'https://github.com/evil-org/g/.github/workflows/g.yml@refs/tags/v1.0.0',
    );
    forged = withField(forged, 'invocation.configSource.uri', 'git+https://github.com/octo-org/widget@refs/heads/evil');
    forged = withField(forged, 'materials[0].digest.sha1', OTHER_SHA);
    assert.deepEqual(fields(predicateMatchesCertificate(forged, LEGACY_GENERATOR_CERT)), [
      'builder.id',
      'invocation.configSource.uri',
      'materials[0].digest.sha1',
    ]);
  });

  it('needs configSource and materials', () => {
    const failures = predicateMatchesCertificate(withField(GENERATOR_STATEMENT, 'materials', []), GENERATOR_CERT);
    assert.deepEqual(fields(failures), ['materials[0].uri', 'materials[0].digest.sha1']);
  });
});

describe('predicateMatchesCertificate: what it cannot check', () => {
  const cases: [string, InTotoStatement, string][] = [
    [
      'an unknown v1 build type',
      withField(ATTEST_STATEMENT, 'buildDefinition.buildType', 'https://example.com/my-ci/v1'),
      'https://example.com/my-ci/v1',
    ],
    ['a v1 predicate without a build type', withField(ATTEST_STATEMENT, 'buildDefinition', undefined), '(absent)'],
    [
      "npm's pre-GA v0.2 build type",
      withField(GENERATOR_STATEMENT, 'buildType', 'https://github.com/npm/cli/gha/v2'),
      'https://github.com/npm/cli/gha/v2',
    ],
    [
      'another SLSA provenance version',
      { ...ATTEST_STATEMENT, predicateType: 'https://slsa.dev/provenance/v0.1' },
      'https://slsa.dev/provenance/v0.1',
    ],
  ];
  for (const [label, statement, found] of cases) {
    it(`fails ${label}`, () => {
      const failures = predicateMatchesCertificate(statement, ATTEST_CERT);
      assert.equal(failures.length, 1);
      assert.equal(failures[0]?.check, 'predicate-matches-certificate');
      assert.equal(failures[0]?.found, found);
    });
  }

  it('makes no claims about predicates that are not provenance', () => {
    const sbom: InTotoStatement = {
      ...ATTEST_STATEMENT,
      predicateType: 'https://spdx.dev/Document/v2.3',
      predicate: { spdxVersion: 'SPDX-2.3' },
    };
    assert.deepEqual(predicateMatchesCertificate(sbom, ATTEST_CERT), []);
  });
});

describe('evaluatePolicy runs the agreement checks', () => {
  it('on every provenance bundle with a certificate', () => {
    const forged = withField(
      ATTEST_STATEMENT,
      'buildDefinition.externalParameters.workflow.repository',
      'https://github.com/evil-org/octo-repo',
    );
    const failures = evaluatePolicy({ repository: 'octo-org/octo-repo' }, bundle(forged, ATTEST_CERT), SIGNED_AT);
    assert.deepEqual(
      failures.map((f) => f.check),
      ['predicate-matches-certificate'],
    );
  });

  it('also for v0.2 when the policy asks for it, and fails it under the default predicate type', () => {
    const policy = { repository: 'octo-org/widget' };
    assert.deepEqual(
      evaluatePolicy(
        { ...policy, predicateType: 'https://slsa.dev/provenance/v0.2' },
        bundle(GENERATOR_STATEMENT, GENERATOR_CERT),
        SIGNED_AT,
      ),
      [],
    );
    assert.deepEqual(
      evaluatePolicy(policy, bundle(GENERATOR_STATEMENT, GENERATOR_CERT), SIGNED_AT).map((f) => f.check),
      ['predicate-type'],
    );
  });
});
