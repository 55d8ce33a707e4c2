import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicy } from '../../../src/verify/policy/evaluate.ts';
import type { Policy } from '../../../src/verify/policy/policy.ts';
import type { CertificateFacts, CheckFailure, VerifiedBundle } from '../../../src/verify/types.ts';
import {
  ATTEST_CERT,
  ATTEST_STATEMENT,
  bundle,
  GENERATOR_CERT,
  GENERATOR_STATEMENT,
  GENERATOR_SHA,
  OTHER_SHA,
  REUSABLE_CERT,
  SHA,
  SIGNED_AT,
  withField,
} from './fixtures.ts';

const NOW = new Date('2026-03-02T12:00:00Z'); // one day after SIGNED_AT
const BASE = bundle(ATTEST_STATEMENT, ATTEST_CERT);
const REPO: Policy = { repository: 'octo-org/octo-repo' }; // names the signer, so other rules can be tried alone

const cert = (changes: Partial<CertificateFacts>): VerifiedBundle =>
  bundle(ATTEST_STATEMENT, { ...ATTEST_CERT, ...changes });
const evilSigner = (uri: string): VerifiedBundle => {
  const statement = withField(ATTEST_STATEMENT, 'runDetails.builder.id', uri);
  return bundle(statement, { ...ATTEST_CERT, buildSignerURI: uri, subjectAlternativeName: uri });
};

// [label, policy, bundle, the failure expected or undefined for a pass]
type Case = [string, Policy, VerifiedBundle, CheckFailure | undefined];

const CASES: Case[] = [
  // certificate-oidc-issuer: a default for certificate bundles; exact.
  ['issuer: the default GitHub issuer', REPO, BASE, undefined],
  [
    'issuer: another issuer under the default',
    REPO,
    cert({ issuer: 'https://token.actions.evil.example' }),
    {
      check: 'certificate-oidc-issuer',
      expected: 'https://token.actions.githubusercontent.com',
      found: 'https://token.actions.evil.example',
    },
  ],
  [
    'issuer: a GHE.com issuer when asked',
    { ...REPO, certificateOidcIssuer: 'https://token.actions.octo.ghe.com' },
    cert({ issuer: 'https://token.actions.octo.ghe.com' }),
    undefined,
  ],
  [
    'issuer: github.com when GHE.com is asked',
    { ...REPO, certificateOidcIssuer: 'https://token.actions.octo.ghe.com' },
    BASE,
    {
      check: 'certificate-oidc-issuer',
      expected: 'https://token.actions.octo.ghe.com',
      found: 'https://token.actions.githubusercontent.com',
    },
  ],

  // repository: exact OWNER/REPO, case-insensitive, never a prefix.
  ['repository: exact', REPO, BASE, undefined],
  ['repository: other case', { repository: 'Octo-Org/OCTO-REPO' }, BASE, undefined],
  [
    'repository: another repository',
    { repository: 'octo-org/other' },
    BASE,
    { check: 'repository', expected: 'octo-org/other', found: 'https://github.com/octo-org/octo-repo' },
  ],
  [
    'repository: a prefix of the real one',
    { repository: 'octo-org/octo' },
    BASE,
    { check: 'repository', expected: 'octo-org/octo', found: 'https://github.com/octo-org/octo-repo' },
  ],

  // owner.
  ['owner: exact', { owner: 'octo-org' }, BASE, undefined],
  ['owner: other case', { owner: 'OCTO-ORG' }, BASE, undefined],
  [
    'owner: another owner',
    { owner: 'octo' },
    BASE,
    { check: 'owner', expected: 'octo', found: 'https://github.com/octo-org' },
  ],

  // signer-workflow: the whole path, optionally the ref; never a prefix.
  ['signer-workflow: path', { signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'] }, BASE, undefined],
  [
    'signer-workflow: path and ref',
    { signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0'] },
    BASE,
    undefined,
  ],
  [
    'signer-workflow: one of several',
    {
      signerWorkflow: [
        'octo-org/octo-repo/.github/workflows/nightly.yml',
        'octo-org/octo-repo/.github/workflows/release.yml',
      ],
    },
    BASE,
    undefined,
  ],
  [
    'signer-workflow: the prefix attack (release.yml vs release.yml-evil.yml)',
    { signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'] },
    evilSigner('https://github.com/octo-org/octo-repo/.github/workflows/release.yml-evil.yml@refs/tags/v1.2.0'),
    {
      check: 'signer-workflow',
      expected: 'octo-org/octo-repo/.github/workflows/release.yml',
      found: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml-evil.yml@refs/tags/v1.2.0',
    },
  ],
  [
    'signer-workflow: a repository sharing the prefix',
    { signerWorkflow: ['octo-org/octo/.github/workflows/release.yml'] },
    BASE,
    {
      check: 'signer-workflow',
      expected: 'octo-org/octo/.github/workflows/release.yml',
      found: ATTEST_CERT.buildSignerURI ?? '',
    },
  ],
  [
    'signer-workflow: another ref',
    { signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main'] },
    BASE,
    {
      check: 'signer-workflow',
      expected: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      found: ATTEST_CERT.buildSignerURI ?? '',
    },
  ],
  [
    'signer-workflow: the caller, when a reusable workflow signed',
    { ...REPO, signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'] },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    {
      check: 'signer-workflow',
      expected: 'octo-org/octo-repo/.github/workflows/release.yml',
      found: REUSABLE_CERT.buildSignerURI ?? '',
    },
  ],

  // Issue #14, item 3: signer rules without repository or owner leave the source open.
  [
    'signer-workflow alone: a reusable workflow called from another repository (its own repository only)',
    { signerWorkflow: ['octo-org/builders/.github/workflows/build.yml'] },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    {
      check: 'repository',
      expected:
        "octo-org/builders, the signer workflow's own repository (signer-workflow without repository or owner accepts no caller from another repository; set repository or owner to allow one)",
      found: ATTEST_CERT.sourceRepositoryURI ?? '',
    },
  ],
  [
    'signer-workflow with repository: the same reusable workflow, for the caller named',
    { ...REPO, signerWorkflow: ['octo-org/builders/.github/workflows/build.yml'] },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    undefined,
  ],
  [
    'signer-workflow with owner: the same reusable workflow',
    { owner: 'octo-org', signerWorkflow: ['octo-org/builders/.github/workflows/build.yml'] },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    undefined,
  ],
  [
    'signer-repository alone (a Policy built in code): fails closed',
    { signerRepository: 'octo-org/builders' },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    {
      check: 'repository',
      expected:
        'a repository or owner rule beside signer-repository (which alone accepts any repository calling the workflow)',
      found: ATTEST_CERT.sourceRepositoryURI ?? '',
    },
  ],

  // signer-repository: the reusable workflow's repository.
  [
    'signer-repository: reusable workflow',
    { ...REPO, signerRepository: 'octo-org/builders' },
    bundle(withField(ATTEST_STATEMENT, 'runDetails.builder.id', REUSABLE_CERT.buildSignerURI), REUSABLE_CERT),
    undefined,
  ],
  [
    'signer-repository: another',
    { ...REPO, signerRepository: 'octo-org/builders' },
    BASE,
    { check: 'signer-repository', expected: 'octo-org/builders', found: ATTEST_CERT.buildSignerURI ?? '' },
  ],

  // source-ref: exact or glob; * never crosses a /.
  ['source-ref: exact', { ...REPO, sourceRef: ['refs/tags/v1.2.0'] }, BASE, undefined],
  ['source-ref: glob', { ...REPO, sourceRef: ['refs/tags/v*'] }, BASE, undefined],
  ['source-ref: one of several', { ...REPO, sourceRef: ['refs/heads/main', 'refs/tags/v*'] }, BASE, undefined],
  [
    'source-ref: a branch when tags are asked',
    { ...REPO, sourceRef: ['refs/tags/v*'] },
    cert({ sourceRepositoryRef: 'refs/heads/main' }),
    { check: 'source-ref', expected: 'refs/tags/v*', found: 'refs/heads/main' },
  ],
  [
    'source-ref: * does not cross /',
    { ...REPO, sourceRef: ['refs/tags/v*'] },
    cert({ sourceRepositoryRef: 'refs/tags/v1/evil' }),
    { check: 'source-ref', expected: 'refs/tags/v*', found: 'refs/tags/v1/evil' },
  ],
  [
    'source-ref: ** does',
    { ...REPO, sourceRef: ['refs/tags/**'] },
    cert({ sourceRepositoryRef: 'refs/tags/v1/evil' }),
    undefined,
  ],
  [
    'source-ref: exact is not a prefix',
    { ...REPO, sourceRef: ['refs/tags/v1'] },
    BASE,
    { check: 'source-ref', expected: 'refs/tags/v1', found: 'refs/tags/v1.2.0' },
  ],

  // source-digest.
  ['source-digest: the commit', { ...REPO, sourceDigest: SHA }, BASE, undefined],
  [
    'source-digest: another commit',
    { ...REPO, sourceDigest: OTHER_SHA },
    BASE,
    { check: 'source-digest', expected: OTHER_SHA, found: SHA },
  ],

  // builder-id: pinned by tag, or by commit SHA against the build signer digest.
  ...builderCases(),

  // predicate-type.
  ['predicate-type: SLSA v1 by default', REPO, BASE, undefined],
  [
    'predicate-type: something else asked',
    { ...REPO, predicateType: 'https://spdx.dev/Document/v2.3' },
    BASE,
    { check: 'predicate-type', expected: 'https://spdx.dev/Document/v2.3', found: 'https://slsa.dev/provenance/v1' },
  ],
  [
    'predicate-type: a message signature has none',
    REPO,
    { ...BASE, statement: undefined, messageDigest: { algorithm: 'sha256', hex: 'e'.repeat(64) } },
    { check: 'predicate-type', expected: 'https://slsa.dev/provenance/v1', found: '(absent)' },
  ],

  // deny-self-hosted-runners.
  ['runner: github-hosted', { ...REPO, denySelfHostedRunners: true }, BASE, undefined],
  [
    'runner: self-hosted',
    { ...REPO, denySelfHostedRunners: true },
    bundle(withField(ATTEST_STATEMENT, 'buildDefinition.internalParameters.github.runner_environment', 'self-hosted'), {
      ...ATTEST_CERT,
      runnerEnvironment: 'self-hosted',
    }),
    { check: 'runner-environment', expected: 'github-hosted', found: 'self-hosted' },
  ],
  [
    'runner: self-hosted allowed when not denied',
    REPO,
    bundle(withField(ATTEST_STATEMENT, 'buildDefinition.internalParameters.github.runner_environment', 'self-hosted'), {
      ...ATTEST_CERT,
      runnerEnvironment: 'self-hosted',
    }),
    undefined,
  ],

  // max-age: the boundary passes, a second more fails.
  ['max-age: well within', { ...REPO, maxAge: 30 * 86_400 }, BASE, undefined],
  ['max-age: exactly at the limit', { ...REPO, maxAge: 86_400 }, BASE, undefined],
  [
    'max-age: one second over',
    { ...REPO, maxAge: 86_399 },
    BASE,
    { check: 'max-age', expected: 'signed within 86399s', found: 'signed 2026-03-01T12:00:00.000Z (1d ago)' },
  ],
  [
    'max-age: hours',
    { ...REPO, maxAge: 12 * 3600 },
    BASE,
    { check: 'max-age', expected: 'signed within 12h', found: 'signed 2026-03-01T12:00:00.000Z (1d ago)' },
  ],
  [
    'max-age: an invalid signing time',
    { ...REPO, maxAge: 86_400 },
    bundle(ATTEST_STATEMENT, ATTEST_CERT, new Date(Number.NaN)),
    { check: 'max-age', expected: 'signed within 1d', found: 'an invalid signing time' },
  ],

  // certificate-identity: exact SAN; regexp anchored to the whole SAN.
  ['identity: exact', { certificateIdentity: ATTEST_CERT.subjectAlternativeName }, BASE, undefined],
  [
    'identity: another',
    { certificateIdentity: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main' },
    BASE,
    {
      check: 'certificate-identity',
      expected: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
      found: ATTEST_CERT.subjectAlternativeName,
    },
  ],
  [
    'identity regexp: whole match',
    {
      certificateIdentityRegexp:
        'https://github\\.com/octo-org/octo-repo/\\.github/workflows/release\\.yml@refs/tags/v.*',
    },
    BASE,
    undefined,
  ],
  [
    'identity regexp: a substring match is not enough',
    { certificateIdentityRegexp: 'github\\.com/octo-org' },
    BASE,
    {
      check: 'certificate-identity',
      expected: 'a SAN matching ^(?:github\\.com/octo-org)$',
      found: ATTEST_CERT.subjectAlternativeName,
    },
  ],
  [
    'identity regexp: alternation stays anchored',
    { certificateIdentityRegexp: 'nothing|github\\.com' },
    BASE,
    {
      check: 'certificate-identity',
      expected: 'a SAN matching ^(?:nothing|github\\.com)$',
      found: ATTEST_CERT.subjectAlternativeName,
    },
  ],
  [
    'identity regexp: an invalid pattern matches nothing',
    { certificateIdentityRegexp: '(' },
    BASE,
    { check: 'certificate-identity', expected: 'a SAN matching ^(?:()$', found: ATTEST_CERT.subjectAlternativeName },
  ],

  // A certificate bundle needs a rule naming its signer.
  [
    'no rule names the signer',
    {},
    BASE,
    {
      check: 'certificate-identity',
      expected:
        'a rule naming the signer: repository, owner, signer-workflow, signer-repository, builder-id, certificate-identity or certificate-identity-regexp',
      found: ATTEST_CERT.subjectAlternativeName,
    },
  ],
  [
    'source rules alone do not name the signer',
    { sourceRef: ['refs/tags/v*'], sourceDigest: SHA },
    BASE,
    {
      check: 'certificate-identity',
      expected:
        'a rule naming the signer: repository, owner, signer-workflow, signer-repository, builder-id, certificate-identity or certificate-identity-regexp',
      found: ATTEST_CERT.subjectAlternativeName,
    },
  ],
];

function builderCases(): Case[] {
  const generator =
    'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';
  const v02: Policy = { predicateType: 'https://slsa.dev/provenance/v0.2', repository: 'octo-org/widget' };
  const signerName = generator.slice('https://github.com/'.length);
  const gen = bundle(GENERATOR_STATEMENT, GENERATOR_CERT);
  return [
    ['builder-id: pinned by tag', { ...v02, builderId: `${generator}@refs/tags/v2.0.0` }, gen, undefined],
    [
      'builder-id: another tag',
      { ...v02, builderId: `${generator}@refs/tags/v1.9.0` },
      gen,
      { check: 'builder-id', expected: `${generator}@refs/tags/v1.9.0`, found: `${generator}@refs/tags/v2.0.0` },
    ],
    [
      "builder-id: pinned by the signer's commit",
      { ...v02, builderId: `${generator}@${GENERATOR_SHA}` },
      gen,
      undefined,
    ],
    [
      'builder-id: pinned by another commit',
      { ...v02, builderId: `${generator}@${OTHER_SHA}` },
      gen,
      {
        check: 'builder-id',
        expected: `${generator}@${OTHER_SHA}`,
        found: `${generator}@refs/tags/v2.0.0 (digest ${GENERATOR_SHA})`,
      },
    ],
    [
      'builder-id: the commit of another workflow',
      {
        ...v02,
        builderId: `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@${GENERATOR_SHA}`,
      },
      gen,
      {
        check: 'builder-id',
        expected: `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@${GENERATOR_SHA}`,
        found: `${generator}@refs/tags/v2.0.0 (digest ${GENERATOR_SHA})`,
      },
    ],
    // signer-workflow pins a commit the same way: the ref it was called at, or the commit it ran from (.10).
    [
      "signer-workflow: pinned by the signer's commit",
      { ...v02, signerWorkflow: [`${signerName}@${GENERATOR_SHA}`] },
      gen,
      undefined,
    ],
    [
      'signer-workflow: pinned by another commit',
      { ...v02, signerWorkflow: [`${signerName}@${OTHER_SHA}`] },
      gen,
      { check: 'signer-workflow', expected: `${signerName}@${OTHER_SHA}`, found: `${generator}@refs/tags/v2.0.0` },
    ],
    [
      'signer-workflow: the commit, but of another workflow',
      {
        ...v02,
        signerWorkflow: [
          `slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@${GENERATOR_SHA}`,
        ],
      },
      gen,
      {
        check: 'signer-workflow',
        expected: `slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@${GENERATOR_SHA}`,
        found: `${generator}@refs/tags/v2.0.0`,
      },
    ],
    [
      'builder-id: a workflow named like a prefix',
      { ...v02, builderId: `${generator}-evil.yml@refs/tags/v2.0.0` },
      gen,
      {
        check: 'builder-id',
        expected: `${generator}-evil.yml@refs/tags/v2.0.0`,
        found: `${generator}@refs/tags/v2.0.0`,
      },
    ],
  ];
}

describe('evaluatePolicy: one rule at a time', () => {
  // Some cases change only the certificate; the predicate then disagrees with it, which
  // agreement.test.ts covers. Here only the rule under test is judged.
  const ruleFailures = (failures: CheckFailure[]) =>
    failures.filter((f) => f.check !== 'predicate-matches-certificate');
  for (const [label, policy, verified, failure] of CASES) {
    it(failure ? `fails ${label}` : `passes ${label}`, () => {
      assert.deepEqual(ruleFailures(evaluatePolicy(policy, verified, NOW)), failure ? [failure] : []);
    });
  }
});

describe('evaluatePolicy: all failures at once', () => {
  it('reports each broken rule, not only the first', () => {
    const policy: Policy = {
      repository: 'octo-org/other',
      sourceRef: ['refs/heads/main'],
      sourceDigest: OTHER_SHA,
      denySelfHostedRunners: true,
      maxAge: 3600,
    };
    assert.deepEqual(
      evaluatePolicy(policy, BASE, NOW).map((f) => f.check),
      ['repository', 'source-ref', 'source-digest', 'max-age'],
    );
  });

  it('fails every identity rule of a key-signed bundle with (absent), but not the default issuer', () => {
    const keySigned = bundle(ATTEST_STATEMENT, undefined);
    const policy: Policy = {
      repository: 'octo-org/octo-repo',
      signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'],
      denySelfHostedRunners: true,
    };
    assert.deepEqual(evaluatePolicy(policy, keySigned, NOW), [
      { check: 'repository', expected: 'octo-org/octo-repo', found: '(absent)' },
      { check: 'signer-workflow', expected: 'octo-org/octo-repo/.github/workflows/release.yml', found: '(absent)' },
      { check: 'runner-environment', expected: 'github-hosted', found: '(absent)' },
    ]);
    assert.deepEqual(
      evaluatePolicy({}, keySigned, NOW),
      [],
      'a key-signed bundle with no identity rules passes on its key',
    );
    assert.deepEqual(
      evaluatePolicy({ certificateOidcIssuer: 'https://token.actions.githubusercontent.com' }, keySigned, NOW).map(
        (f) => f.found,
      ),
      ['(absent)'],
    );
  });

  it('fails rules whose certificate fact is missing', () => {
    const bare = cert({
      sourceRepositoryURI: undefined,
      sourceRepositoryOwnerURI: undefined,
      runnerEnvironment: undefined,
    });
    const failures = evaluatePolicy(
      { repository: 'octo-org/octo-repo', owner: 'octo-org', denySelfHostedRunners: true },
      bare,
      NOW,
    );
    assert.deepEqual(
      failures.filter((f) => f.check !== 'predicate-matches-certificate'),
      [
        { check: 'repository', expected: 'octo-org/octo-repo', found: '(absent)' },
        { check: 'owner', expected: 'octo-org', found: '(absent)' },
        { check: 'runner-environment', expected: 'github-hosted', found: '(absent)' },
      ],
    );
  });

  it('passes our own attest output under a full policy', () => {
    const policy: Policy = {
      repository: 'octo-org/octo-repo',
      owner: 'octo-org',
      signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0'],
      signerRepository: 'octo-org/octo-repo',
      sourceRef: ['refs/tags/v*'],
      sourceDigest: SHA,
      builderId: `https://github.com/octo-org/octo-repo/.github/workflows/release.yml@${SHA}`,
      denySelfHostedRunners: true,
      maxAge: 86_400,
      certificateIdentity: ATTEST_CERT.subjectAlternativeName,
      certificateIdentityRegexp: 'https://github\\.com/octo-org/.*',
    };
    assert.deepEqual(evaluatePolicy(policy, BASE, NOW), []);
    assert.ok(SIGNED_AT < NOW);
  });
});
