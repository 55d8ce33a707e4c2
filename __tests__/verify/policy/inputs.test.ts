import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError, type ErrorCode } from '../../../src/common/errors.ts';
import { describePolicy } from '../../../src/verify/policy/describe-policy.ts';
import { policyFromInputs } from '../../../src/verify/policy/inputs.ts';
import { formatDuration, parseDuration } from '../../../src/verify/policy/duration.ts';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const files = (contents: Record<string, string>) => (path: string) => {
  const text = contents[path];
  if (text === undefined)
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  return text;
};
const noFiles = files({});
const fails = (code: ErrorCode, text: RegExp) => (err: unknown) =>
  err instanceof ProvenanceError && err.code === code && text.test(err.toLine());

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('policyFromInputs: inputs', () => {
  it('reads every rule into the policy', () => {
    const policy = policyFromInputs(
      reader({
        'certificate-oidc-issuer': 'https://token.actions.octo.ghe.com',
        repository: 'octo-org/octo-repo',
        owner: 'octo-org',
        'signer-workflow':
          'octo-org/octo-repo/.github/workflows/release.yml\n\n  octo-org/octo-repo/.github/workflows/nightly.yml@refs/heads/main  \n',
        'signer-repository': 'octo-org/builders',
        'source-ref': 'refs/tags/v*',
        'source-digest': SHA.toUpperCase(),
        'builder-id': `https://github.com/octo-org/builders/.github/workflows/build.yml@${SHA}`,
        'predicate-type': 'https://slsa.dev/provenance/v0.2',
        'deny-self-hosted-runners': 'TRUE',
        'max-age': '90m',
        'certificate-identity': 'https://github.com/octo-org/builders/.github/workflows/build.yml@refs/heads/main',
        'certificate-identity-regexp': 'https://github\\.com/octo-org/.*',
      }),
      noFiles,
    );
    assert.deepEqual(policy, {
      certificateOidcIssuer: 'https://token.actions.octo.ghe.com',
      repository: 'octo-org/octo-repo',
      owner: 'octo-org',
      signerWorkflow: [
        'octo-org/octo-repo/.github/workflows/release.yml',
        'octo-org/octo-repo/.github/workflows/nightly.yml@refs/heads/main',
      ],
      signerRepository: 'octo-org/builders',
      sourceRef: ['refs/tags/v*'],
      sourceDigest: SHA,
      builderId: `https://github.com/octo-org/builders/.github/workflows/build.yml@${SHA}`,
      predicateType: 'https://slsa.dev/provenance/v0.2',
      denySelfHostedRunners: true,
      maxAge: 5400,
      certificateIdentity: 'https://github.com/octo-org/builders/.github/workflows/build.yml@refs/heads/main',
      certificateIdentityRegexp: 'https://github\\.com/octo-org/.*',
    });
  });

  it('leaves unset rules out (defaults apply at evaluation) and reads false as no rule', () => {
    assert.deepEqual(policyFromInputs(reader({ repository: 'a/b', 'deny-self-hosted-runners': 'false' }), noFiles), {
      repository: 'a/b',
    });
    assert.deepEqual(describePolicy({ repository: 'a/b', maxAge: 2_592_000 }), {
      'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com (default, certificate bundles)',
      'predicate-type': 'https://slsa.dev/provenance/v1 (default)',
      repository: 'a/b',
      'max-age': '30d',
    });
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    [
      'a repository URL',
      { repository: 'https://github.com/octo-org/octo-repo' },
      /^repository: "https:\/\/github\.com\/octo-org\/octo-repo" is not OWNER\/REPO\. Write the repository as OWNER\/REPO/,
    ],
    ['a repository without owner', { repository: 'octo-repo' }, /repository: "octo-repo" is not OWNER\/REPO/],
    ['a repository named ..', { repository: 'octo-org/..' }, /is not OWNER\/REPO/],
    [
      'an owner with a slash',
      { owner: 'octo-org/x' },
      /owner: "octo-org\/x" is not a GitHub user or organization name/,
    ],
    [
      'a signer workflow without path',
      { 'signer-workflow': 'octo-org/octo-repo' },
      /signer-workflow: "octo-org\/octo-repo" is not OWNER\/REPO\/PATH/,
    ],
    [
      'a signer workflow that is not a workflow file',
      { 'signer-workflow': 'octo-org/octo-repo/.github/workflows/release' },
      /is not OWNER\/REPO\/PATH/,
    ],
    [
      'a signer workflow at a short ref',
      { 'signer-workflow': 'octo-org/octo-repo/.github/workflows/release.yml@v1' },
      /REF: refs\/\.\.\. or a 40-hex commit SHA/,
    ],
    ['one bad line of a list', { 'signer-workflow': 'a/b/c.yml\na/b' }, /signer-workflow: "a\/b" is not/],
    [
      'a signer repository URL',
      { 'signer-repository': 'github.com/a/b' },
      /signer-repository: "github\.com\/a\/b" is not OWNER\/REPO/,
    ],
    [
      'a short ref',
      { 'source-ref': 'main' },
      /source-ref: "main" is not a git ref or ref glob: it does not start with refs\//,
    ],
    ['a ref glob with ?', { 'source-ref': 'refs/tags/v?' }, /character git does not allow/],
    ['a ref glob with ***', { 'source-ref': 'refs/***' }, /"\*\*\*"/],
    ['a ref with an empty segment', { 'source-ref': 'refs/tags//v1' }, /empty path segment/],
    ['an abbreviated SHA', { 'source-digest': 'a1b2c3d' }, /source-digest: "a1b2c3d" is not a full commit SHA/],
    ['a non-hex SHA', { 'source-digest': 'z'.repeat(40) }, /is not a full commit SHA/],
    [
      'an unpinned builder',
      { 'builder-id': 'https://github.com/a/b/.github/workflows/b.yml' },
      /builder-id: .* is not a builder workflow URI pinned by ref or commit/,
    ],
    [
      'a builder at a short SHA',
      { 'builder-id': 'https://github.com/a/b/.github/workflows/b.yml@abc123' },
      /is not a builder workflow URI pinned/,
    ],
    [
      'a builder without scheme',
      { 'builder-id': `github.com/a/b/.github/workflows/b.yml@${SHA}` },
      /is not a builder workflow URI pinned/,
    ],
    [
      'an http issuer',
      { 'certificate-oidc-issuer': 'http://token.actions.githubusercontent.com' },
      /certificate-oidc-issuer: .* is not an https issuer URL/,
    ],
    ['an issuer that is no URL', { 'certificate-oidc-issuer': 'github' }, /is not an https issuer URL/],
    [
      'a predicate type that is no URI',
      { 'predicate-type': 'slsa' },
      /predicate-type: "slsa" is not a predicate type URI/,
    ],
    [
      'a boolean that is not',
      { 'deny-self-hosted-runners': 'yes' },
      /deny-self-hosted-runners: "yes" is not true or false/,
    ],
    [
      'a duration without number',
      { 'max-age': 'd' },
      /max-age: "d" is not a positive duration\. Write a whole number with a unit: 30d/,
    ],
    ['a fractional duration', { 'max-age': '1.5d' }, /is not a positive duration/],
    ['a zero duration', { 'max-age': '0s' }, /is not a positive duration/],
    ['a duration in weeks', { 'max-age': '2w' }, /is not a positive duration/],
    [
      'an identity with spaces',
      { 'certificate-identity': 'a b' },
      /certificate-identity: "a b" is not a certificate identity/,
    ],
    [
      'an invalid regexp',
      { 'certificate-identity-regexp': 'https://(github' },
      /certificate-identity-regexp: "https:\/\/\(github" is not a valid regular expression \(.+\)/,
    ],
    // Would compile only once wrapped as ^(?:…)$, matching "https://github.com/octo-org/…" or anything ending in "evil/x" unanchored.
    [
      'a regexp that closes the anchoring group',
      { 'certificate-identity-regexp': 'https://github\\.com/octo-org/.*)|(?:.*evil/x' },
      /certificate-identity-regexp: .* is not a valid regular expression \(.+\)/,
    ],
    ['two values for a single-valued rule', { repository: 'a/b\nc/d' }, /repository: takes one value, got 2/],
  ];
  for (const [label, inputs, message] of invalid) {
    it(`refuses ${label}`, () =>
      assert.throws(() => policyFromInputs(reader(inputs), noFiles), fails('INPUT_INVALID', message)));
  }
});

describe('policyFromInputs: policy files', () => {
  const YAML = [
    '# how octo-org verifies its releases',
    'repository: octo-org/octo-repo',
    'signer-workflow:',
    '  - octo-org/octo-repo/.github/workflows/release.yml',
    'source-ref: "refs/tags/v*"',
    'deny-self-hosted-runners: true',
    'max-age: 30d',
    "certificate-identity-regexp: '^https://github\\.com/octo-org/'",
  ].join('\n');

  it('reads a YAML policy file', () => {
    const policy = policyFromInputs(reader({ policy: 'ci/policy.yml' }), files({ 'ci/policy.yml': YAML }));
    assert.deepEqual(policy, {
      repository: 'octo-org/octo-repo',
      signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'],
      sourceRef: ['refs/tags/v*'],
      denySelfHostedRunners: true,
      maxAge: 2_592_000,
      certificateIdentityRegexp: '^https://github\\.com/octo-org/',
    });
  });

  it('reads the same policy as JSON', () => {
    const json = JSON.stringify({
      repository: 'octo-org/octo-repo',
      'signer-workflow': ['octo-org/octo-repo/.github/workflows/release.yml'],
      'source-ref': 'refs/tags/v*',
      'deny-self-hosted-runners': true,
      'max-age': 2_592_000,
      'certificate-identity-regexp': '^https://github\\.com/octo-org/',
    });
    const fromJSON = policyFromInputs(reader({ policy: 'policy.json' }), files({ 'policy.json': json }));
    assert.deepEqual(fromJSON, policyFromInputs(reader({ policy: 'p.yml' }), files({ 'p.yml': YAML })));
  });

  it('combines file and inputs, and accepts a rule given equally in both', () => {
    const policy = policyFromInputs(
      reader({ policy: 'p.yml', owner: 'octo-org', 'max-age': '2592000', 'source-ref': 'refs/tags/v*' }),
      files({ 'p.yml': YAML }),
    );
    assert.equal(policy.owner, 'octo-org');
    assert.equal(policy.maxAge, 2_592_000);
  });

  it('lets deny-self-hosted-runners: false in one place stand beside true in the other', () => {
    const policy = policyFromInputs(
      reader({ policy: 'p.yml', 'deny-self-hosted-runners': 'false' }),
      files({ 'p.yml': YAML }),
    );
    assert.equal(policy.denySelfHostedRunners, true);
  });

  const conflicts: [string, Record<string, string>, RegExp][] = [
    [
      'a different repository',
      { repository: 'octo-org/other' },
      /^repository is "octo-org\/octo-repo" in the policy file p\.yml, line 2 but "octo-org\/other" as the repository input\. Give repository in one place only/,
    ],
    [
      'a different list',
      { 'signer-workflow': 'octo-org/octo-repo/.github/workflows/nightly.yml' },
      /signer-workflow is "octo-org\/octo-repo\/\.github\/workflows\/release\.yml" in the policy file p\.yml, line 3 but/,
    ],
    [
      'a different duration',
      { 'max-age': '12h' },
      /max-age is "30d" in the policy file p\.yml, line 7 but "12h" as the max-age input/,
    ],
  ];
  for (const [label, inputs, message] of conflicts) {
    it(`refuses ${label} given in both`, () => {
      assert.throws(
        () => policyFromInputs(reader({ policy: 'p.yml', ...inputs }), files({ 'p.yml': YAML })),
        fails('INPUT_CONFLICT', message),
      );
    });
  }

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'an unknown rule, with its line',
      { 'p.yml': 'repository: a/b\nrepo: a/b' },
      /^policy: unknown rule "repo" \(policy file p\.yml, line 2\)\. Policy files take the rule inputs' names: certificate-oidc-issuer, repository/,
    ],
    ['a policy file naming another', { 'p.yml': 'policy: other.yml' }, /unknown rule "policy"/],
    [
      'an invalid value, with its line',
      { 'p.yml': 'repository: a/b\nsource-ref: main' },
      /^source-ref \(policy file p\.yml, line 2\): "main" is not a git ref or ref glob/,
    ],
    [
      'a list for a single-valued rule',
      { 'p.yml': 'repository:\n  - a/b\n  - c/d' },
      /^repository \(policy file p\.yml, line 1\): takes one value, got 2/,
    ],
    [
      'a boolean for a string rule',
      { 'p.yml': 'repository: true' },
      /repository \(policy file p\.yml, line 1\): "true" is not OWNER\/REPO/,
    ],
    ['an empty file', { 'p.yml': '# nothing yet\n' }, /^policy: p\.yml holds no rules/],
    [
      'a YAML 1.1 boolean',
      { 'p.yml': 'repository: a/b\ndeny-self-hosted-runners: on' },
      /^policy: p\.yml line 2: "on", which YAML 1\.1 reads as a boolean/,
    ],
    [
      'a duplicate rule',
      { 'p.yml': 'repository: a/b\nrepository: c/d' },
      /^policy: p\.yml line 2: Map keys must be unique/,
    ],
    ['an alias', { 'p.yml': 'owner: &o octo-org\nrepository: *o' }, /^policy: p\.yml line 1: an anchor \(&o\)/],
  ];
  for (const [label, contents, message] of refusals) {
    it(`refuses ${label}`, () =>
      assert.throws(
        () => policyFromInputs(reader({ policy: 'p.yml' }), files(contents)),
        fails('INPUT_INVALID', message),
      ));
  }

  it('says when the file cannot be read, and passes our own errors through', () => {
    assert.throws(
      () => policyFromInputs(reader({ policy: 'missing.yml' }), noFiles),
      fails('INPUT_INVALID', /^policy: cannot read missing\.yml \(ENOENT: no such file/),
    );
    const outside = new ProvenanceError(
      'PATH_OUTSIDE_WORKSPACE',
      'policy: ../x.yml is outside the workspace',
      'Keep it inside',
    );
    assert.throws(
      () =>
        policyFromInputs(reader({ policy: '../x.yml' }), () => {
          throw outside;
        }),
      (err) => err === outside,
    );
  });
});

describe('durations', () => {
  const cases: [string, number | undefined][] = [
    ['30d', 2_592_000],
    ['12h', 43_200],
    ['90m', 5_400],
    ['3600s', 3_600],
    ['3600', 3_600],
    ['0', undefined],
    ['-1d', undefined],
    ['1.5h', undefined],
    ['30 d', undefined],
    ['99999999999999999d', undefined],
  ];
  for (const [text, seconds] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), seconds));
  }
  it('writes the largest exact unit', () => {
    assert.deepEqual([2_592_000, 5_400, 7_200, 61].map(formatDuration), ['30d', '90m', '2h', '61s']);
  });
});
