// require-chain, judged on verified bundles built by hand: the stage search, links by statement
// digest, and every way a chain breaks (missing, rejected, unlinked, unreached). The end-to-end
// test (e2e/chain.test.ts) makes the same chains with real signatures.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeChains } from '../../src/verify/chain/chain.ts';
import { parseChainStages } from '../../src/verify/chain/spec.ts';
import type { ChainStageSpec } from '../../src/verify/chain/types.ts';
import type { BundleOutcome } from '../../src/verify/judge.ts';
import { POLICY_RULES, policyFromInputs } from '../../src/verify/policy/index.ts';
import { describePolicy } from '../../src/verify/policy/describe-policy.ts';
import { linkedDigests, withLinks, ATTESTATION_MEDIA_TYPE } from '../../src/stages/links.ts';
import { GITHUB_APPROVAL_FIELD, LINKS_FIELD } from '../../src/stages/presets.ts';
import type { CertificateFacts, InTotoStatement } from '../../src/verify/types.ts';
import { ProvenanceError } from '../../src/common/errors.ts';
import { ATTEST_CERT, ATTEST_STATEMENT, SIGNED_AT } from './policy/fixtures.ts';

const ARTIFACT = { name: 'octo-repo-linux-amd64.tar.gz', digest: { sha256: 'e'.repeat(64) } };
const WORKFLOW = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;
const certFor = (file: string): CertificateFacts => {
  const uri = `https://github.com/${WORKFLOW(file)}@refs/tags/v1.2.0`;
  return { ...ATTEST_CERT, subjectAlternativeName: uri, buildSignerURI: uri };
};
const hex = (n: number): string => n.toString(16).padStart(64, '0');

/** An approval as attest mode writes it in a job with a deployment environment. */
const APPROVED = {
  result: 'pass',
  timestamp: '2026-11-01T00:00:00Z',
  [GITHUB_APPROVAL_FIELD]: { environment: 'production', actor: 'octocat' },
};

/** A verified bundle of `predicateType` for ARTIFACT, whose statement digest is hex(id), linking to `links`. */
function attestation(
  id: number,
  predicateType: string,
  signer: string,
  links: number[] = [],
  source = `b${id}.sigstore.json`,
  predicate?: Record<string, unknown>,
): BundleOutcome {
  const targets = links.map((l) => ({ statementDigest: hex(l), predicateType: 'x', source: `b${l}` }));
  const base =
    predicate ??
    (predicateType === ATTEST_STATEMENT.predicateType
      ? ATTEST_STATEMENT.predicate
      : predicateType === REVIEW
        ? APPROVED
        : { document: id });
  const statement: InTotoStatement = {
    ...ATTEST_STATEMENT,
    predicateType,
    predicate: withLinks(predicateType, base, targets),
  };
  return {
    source,
    verified: {
      certificate: certFor(signer),
      signedAt: SIGNED_AT,
      statement,
      messageDigest: undefined,
      statementDigest: hex(id),
    },
    failure: undefined,
    claimed: statement.subject,
  };
}

const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document/v2.3';
const VULNS = 'https://in-toto.io/attestation/vulns/v0.2';
const VEX = 'https://openvex.dev/ns/v0.2.0';
const REVIEW = 'https://in-toto.io/attestation/human-review/v0.1';

const CHAIN_LINES = [
  `provenance signer-workflow=${WORKFLOW('release.yml')}`,
  `sbom signer-workflow=${WORKFLOW('release.yml')}`,
  `vulns signer-workflow=${WORKFLOW('scan.yml')}`,
  `vex signer-workflow=${WORKFLOW('scan.yml')}`,
  `approval signer-workflow=${WORKFLOW('deploy.yml')}`,
];
const stages = (): ChainStageSpec[] =>
  parseChainStages(CHAIN_LINES, 'require-chain', { repository: 'octo-org/octo-repo' }, POLICY_RULES, false);
const NOW = new Date(SIGNED_AT.getTime() + 60_000);

function fullChain(): BundleOutcome[] {
  return [
    attestation(1, SLSA, 'release.yml'),
    attestation(2, SPDX, 'release.yml', [1]),
    attestation(3, VULNS, 'scan.yml', [2]),
    attestation(4, VEX, 'scan.yml', [3]),
    attestation(5, REVIEW, 'deploy.yml', [4]),
  ];
}

const statuses = (outcomes: BundleOutcome[]): string[] =>
  judgeChains([ARTIFACT], outcomes, stages(), NOW)[0]?.stages.map((s) => `${s.label}:${s.status}`) ?? [];

describe('judgeChains', () => {
  it('passes a five-stage chain whose every stage links to the one before', () => {
    const [verdict] = judgeChains([ARTIFACT], fullChain(), stages(), NOW);
    assert.equal(verdict?.passed, true);
    assert.deepEqual(statuses(fullChain()), [
      'provenance:pass',
      'sbom:pass',
      'vulns:pass',
      'vex:pass',
      'approval:pass',
    ]);
    assert.equal(verdict?.stages[2]?.attestation?.digest, `sha256:${hex(3)}`);
    assert.equal(
      verdict?.stages[4]?.attestation?.signer,
      `https://github.com/${WORKFLOW('deploy.yml')}@refs/tags/v1.2.0`,
    );
  });

  for (let removed = 0; removed < 5; removed++) {
    it(`names stage ${removed + 1} when its attestation is missing, and no later stage passes`, () => {
      const outcomes = fullChain().filter((_, i) => i !== removed);
      const [verdict] = judgeChains([ARTIFACT], outcomes, stages(), NOW);
      assert.equal(verdict?.passed, false);
      const stage = verdict?.stages[removed];
      assert.equal(stage?.status, 'missing');
      assert.equal(stage?.failures[0]?.check, 'chain-stage');
      assert.match(stage?.failures[0]?.expected ?? '', new RegExp(`^stage ${removed + 1} "${stage?.label ?? ''}"`));
      assert.ok(verdict?.stages.slice(0, removed).every((s) => s.status === 'pass'));
      assert.ok(verdict?.stages.slice(removed + 1).every((s) => s.status === 'unreached'));
    });
  }

  it('breaks at the stage after a replaced attestation: the link names the digest it expected', () => {
    const outcomes = fullChain();
    outcomes[1] = attestation(22, SPDX, 'release.yml', [1]); // a re-made SBOM that stage 3 never linked to
    const [verdict] = judgeChains([ARTIFACT], outcomes, stages(), NOW);
    assert.deepEqual(
      verdict?.stages.map((s) => s.status),
      ['pass', 'pass', 'unlinked', 'unreached', 'unreached'],
    );
    const failure = verdict?.stages[2]?.failures[0];
    assert.equal(failure?.check, 'chain-link');
    assert.equal(failure?.expected, `stage 3 "vulns" to link to stage 2 "sbom": sha256:${hex(22)}`);
    assert.equal(failure?.found, `links to sha256:${hex(2)}`);
  });

  it('rejects a stage signed by a workflow its policy does not allow, naming the stage and the check', () => {
    const outcomes = fullChain();
    outcomes[2] = attestation(3, VULNS, 'release.yml', [2]);
    const [verdict] = judgeChains([ARTIFACT], outcomes, stages(), NOW);
    const stage = verdict?.stages[2];
    assert.equal(stage?.status, 'rejected');
    assert.deepEqual(
      stage?.failures.map((f) => f.check),
      ['signer-workflow'],
    );
    assert.match(stage?.failures[0]?.expected ?? '', /^stage 3 "vulns" \(b3\.sigstore\.json\): .*scan\.yml/);
  });

  it('attributes a bundle that failed its cryptographic checks to the stage it claims', () => {
    const outcomes = fullChain();
    const forged = outcomes[3];
    assert.ok(forged);
    outcomes[3] = {
      source: forged.source,
      verified: undefined,
      failure: { check: 'signature', expected: 'a valid signature', found: 'another' },
      claimed: forged.claimed,
      claimedPredicateType: VEX,
    };
    const [verdict] = judgeChains([ARTIFACT], outcomes, stages(), NOW);
    assert.equal(verdict?.stages[3]?.status, 'rejected');
    assert.equal(verdict?.stages[3]?.failures[0]?.check, 'signature');
  });

  it('finds the linked attestation among several of the same stage (a re-run does not hide the chain)', () => {
    const outcomes = [
      ...fullChain(),
      attestation(12, SPDX, 'release.yml', [1]),
      attestation(13, VULNS, 'scan.yml', [12]),
    ];
    assert.equal(judgeChains([ARTIFACT], outcomes, stages(), NOW)[0]?.passed, true);
  });

  it('does not accept a link to an attestation that only exists for another artifact', () => {
    const outcomes = fullChain();
    const other = attestation(2, SPDX, 'release.yml', [1]);
    assert.ok(other.verified?.statement);
    other.verified.statement.subject = [{ name: 'other', digest: { sha256: 'f'.repeat(64) } }];
    outcomes[1] = other;
    assert.equal(judgeChains([ARTIFACT], outcomes, stages(), NOW)[0]?.stages[1]?.status, 'missing');
  });

  it('treats a stage whose attestation links to nothing as unlinked', () => {
    const outcomes = fullChain();
    outcomes[4] = attestation(5, REVIEW, 'deploy.yml', []);
    const stage = judgeChains([ARTIFACT], outcomes, stages(), NOW)[0]?.stages[4];
    assert.equal(stage?.status, 'unlinked');
    assert.match(stage?.failures[0]?.found ?? '', /links to no attestation/);
  });
});

describe("what a stage's own document says", () => {
  const VSA = 'https://slsa.dev/verification_summary/v1';
  const TEST_RESULT = 'https://in-toto.io/attestation/test-result/v0.1';
  const POLICY_CHAIN = [
    ...CHAIN_LINES.slice(0, 4),
    `policy signer-workflow=${WORKFLOW('scan.yml')}`,
    CHAIN_LINES[4] ?? '',
  ];
  const sixStages = (approvalLine = CHAIN_LINES[4] ?? ''): ChainStageSpec[] =>
    parseChainStages(
      [...POLICY_CHAIN.slice(0, 5), approvalLine],
      'require-chain',
      { repository: 'octo-org/octo-repo' },
      POLICY_RULES,
      false,
    );
  const vsa = (result: string, levels: string[] = ['SLSA_BUILD_LEVEL_2']): Record<string, unknown> => ({
    verifier: { id: 'https://example.com/v' },
    timeVerified: '2026-11-01T00:00:00Z',
    resourceUri: 'file:app',
    policy: { uri: 'p' },
    verificationResult: result,
    verifiedLevels: levels,
  });
  const tests = (result: string, failedTests?: unknown): Record<string, unknown> => ({
    result,
    configuration: [{ name: 'policy.rego' }],
    passedTests: ['a'],
    ...(failedTests !== undefined && { failedTests }),
  });
  /** The five-stage chain with a policy stage (id 6) between VEX and the approval (id 5, relinked to 6). */
  function withStages(
    policy: Record<string, unknown>,
    policyType = VSA,
    approval: Record<string, unknown> = APPROVED,
    approvalSigner = certFor('deploy.yml'),
  ): BundleOutcome[] {
    const outcomes = fullChain();
    const review = attestation(5, REVIEW, 'deploy.yml', [6], 'b5.sigstore.json', approval);
    if (review.verified) review.verified.certificate = approvalSigner;
    return [...outcomes.slice(0, 4), attestation(6, policyType, 'scan.yml', [4], 'b6.sigstore.json', policy), review];
  }
  const judge = (outcomes: BundleOutcome[], chain = sixStages()) => judgeChains([ARTIFACT], outcomes, chain, NOW)[0];

  it('passes a policy stage whose VSA says PASSED, a test result that PASSED or WARNED, and an approval that says pass in an environment', () => {
    assert.equal(judge(withStages(vsa('PASSED')))?.passed, true);
    assert.equal(judge(withStages(tests('PASSED', []), TEST_RESULT))?.passed, true);
    assert.equal(judge(withStages(tests('WARNED'), TEST_RESULT))?.passed, true);
  });

  const refusals: [string, () => BundleOutcome[], number, RegExp, RegExp][] = [
    [
      'a VSA whose verificationResult is FAILED',
      () => withStages(vsa('FAILED', ['FAILED'])),
      4,
      /^stage 5 "policy" \(b6\.sigstore\.json\): a VSA whose verificationResult is "PASSED"$/,
      /^verificationResult "FAILED"$/,
    ],
    [
      'a VSA that says PASSED yet lists FAILED among its levels',
      () => withStages(vsa('PASSED', ['FAILED'])),
      4,
      /verificationResult is "PASSED"/,
      /"FAILED" among its verifiedLevels/,
    ],
    [
      'a VSA with no verificationResult',
      () => withStages({ verifier: { id: 'x' } }),
      4,
      /verificationResult is "PASSED"/,
      /^verificationResult nothing$/,
    ],
    [
      'a test result that FAILED (conftest failures)',
      () => withStages(tests('FAILED', ['deploy.yaml: containers must not run as root']), TEST_RESULT),
      4,
      /a test result "PASSED" or "WARNED" with no failed tests/,
      /^result "FAILED" with 1 failed test\(s\)$/,
    ],
    [
      'a test result that says PASSED but lists failed tests',
      () => withStages(tests('PASSED', ['x', 'y']), TEST_RESULT),
      4,
      /no failed tests/,
      /^result "PASSED" with 2 failed test\(s\)$/,
    ],
    [
      'a test result whose failedTests is not a list',
      () => withStages(tests('PASSED', 'none'), TEST_RESULT),
      4,
      /no failed tests/,
      /failedTests that is not a list/,
    ],
    [
      'a test result of an unknown kind',
      () => withStages(tests('passed'), TEST_RESULT),
      4,
      /no failed tests/,
      /^result "passed"$/,
    ],
    [
      'an approval whose result is fail',
      () => withStages(vsa('PASSED'), VSA, { ...APPROVED, result: 'fail' }),
      5,
      /^stage 6 "approval" \(b5\.sigstore\.json\): an approval whose result is "pass"$/,
      /^result "fail"$/,
    ],
    [
      'an approval with no result',
      () => withStages(vsa('PASSED'), VSA, { [GITHUB_APPROVAL_FIELD]: { environment: 'production' } }),
      5,
      /result is "pass"/,
      /^result nothing$/,
    ],
    [
      'an approval made by a job with no deployment environment',
      () => withStages(vsa('PASSED'), VSA, { result: 'pass', [GITHUB_APPROVAL_FIELD]: { actor: 'octocat' } }),
      5,
      /an approval made in a deployment environment/,
      /^a job with no deployment environment, so nobody approved it$/,
    ],
  ];
  for (const [what, outcomes, index, expected, found] of refusals) {
    it(`rejects ${what}, naming the stage and what the document said`, () => {
      const verdict = judge(outcomes());
      assert.equal(verdict?.passed, false);
      const stage = verdict?.stages[index];
      assert.equal(stage?.status, 'rejected');
      assert.deepEqual(
        stage?.failures.map((f) => f.check),
        ['stage-result'],
      );
      assert.match(stage?.failures[0]?.expected ?? '', expected);
      assert.match(stage?.failures[0]?.found ?? '', found);
      // Every stage before it still passes.
      assert.ok(verdict?.stages.slice(0, index).every((s) => s.status === 'pass'));
    });
  }

  it('shows a result value from the bundle short, quoted and in ASCII', () => {
    const hostile = `PASSED\u202e\n${'x'.repeat(100)}`;
    const found = judge(withStages(vsa(hostile)))?.stages[4]?.failures[0]?.found ?? '';
    assert.match(found, /^verificationResult "PASSED\\u202e\\nx+\\u2026"$/);
    assert.ok(found.length < 80, found);
  });

  it('accepts an approval signed by a person (no CI job in the certificate) without an environment', () => {
    // A Fulcio certificate for an email identity: no build, source or run extensions.
    const person: CertificateFacts = {
      subjectAlternativeName: 'release-manager@example.com',
      issuer: 'https://accounts.example.com',
      ...{
        buildSignerURI: undefined,
        buildSignerDigest: undefined,
        runnerEnvironment: undefined,
        sourceRepositoryURI: undefined,
        sourceRepositoryDigest: undefined,
        sourceRepositoryRef: undefined,
      },
      ...{
        sourceRepositoryIdentifier: undefined,
        sourceRepositoryOwnerURI: undefined,
        sourceRepositoryOwnerIdentifier: undefined,
        buildConfigURI: undefined,
        buildConfigDigest: undefined,
      },
      ...{ buildTrigger: undefined, runInvocationURI: undefined, sourceRepositoryVisibilityAtSigning: undefined },
    };
    const chain = parseChainStages(
      [
        ...POLICY_CHAIN.slice(0, 5),
        'approval certificate-identity=release-manager@example.com certificate-oidc-issuer=https://accounts.example.com',
      ],
      'require-chain',
      {},
      POLICY_RULES,
      false,
    );
    const verdict = judge(withStages(vsa('PASSED'), VSA, { result: 'pass' }, person), chain);
    assert.equal(verdict?.passed, true, JSON.stringify(verdict?.stages[5]?.failures));
    // ... but not one signed by a CI job, even with an older certificate that has only the legacy extensions.
    assert.equal(judge(withStages(vsa('PASSED'), VSA, { result: 'pass' }))?.stages[5]?.status, 'rejected');
    const legacy: CertificateFacts = {
      ...person,
      subjectAlternativeName: `https://github.com/${WORKFLOW('deploy.yml')}@refs/tags/v1.2.0`,
      buildTrigger: 'push',
      sourceRepositoryRef: 'refs/tags/v1.2.0',
    };
    const legacyChain = parseChainStages(
      [
        ...POLICY_CHAIN.slice(0, 5),
        `approval certificate-identity=${legacy.subjectAlternativeName} certificate-oidc-issuer=https://accounts.example.com`,
      ],
      'require-chain',
      {},
      POLICY_RULES,
      false,
    );
    const refused = judge(withStages(vsa('PASSED'), VSA, { result: 'pass' }, legacy), legacyChain)?.stages[5];
    assert.deepEqual(
      refused?.failures.map((f) => f.found),
      ['a job with no deployment environment, so nobody approved it'],
    );
  });

  it('requires the environment named on the stage line (any of them, ignoring case as GitHub does)', () => {
    const line = (...envs: string[]): string =>
      `${CHAIN_LINES[4] ?? ''} ${envs.map((e) => `environment=${e}`).join(' ')}`;
    assert.equal(judge(withStages(vsa('PASSED')), sixStages(line('production')))?.passed, true);
    assert.equal(judge(withStages(vsa('PASSED')), sixStages(line('staging', 'Production')))?.passed, true);
    const wrong = judge(withStages(vsa('PASSED')), sixStages(line('prod')))?.stages[5];
    assert.equal(wrong?.status, 'rejected');
    assert.match(wrong?.failures[0]?.expected ?? '', /an approval in deployment environment "prod"$/);
    assert.equal(wrong?.failures[0]?.found, 'environment "production"');
    const none = judge(withStages(vsa('PASSED'), VSA, { result: 'pass' }), sixStages(line('production')))?.stages[5];
    assert.equal(none?.failures[0]?.found, 'an approval that names no environment');
  });

  it('reads no verdict into documents that state facts: provenance, SBOM, vulnerability report, VEX', () => {
    // The vulns and VEX predicates here carry no result at all; a chain of them passes on being verified and linked.
    assert.equal(judgeChains([ARTIFACT], fullChain(), stages(), NOW)[0]?.passed, true);
  });

  it('refuses environment= on a stage other than an approval, and shows it in the report', () => {
    assert.throws(
      () => parseChainStages(['vulns repository=a/b environment=production'], 'require-chain', {}, POLICY_RULES, false),
      (err: unknown) =>
        err instanceof ProvenanceError &&
        /stage 1: "environment" applies only to an approval or a deployment stage, not to "vulns"/.test(err.message),
    );
    const [stage] = parseChainStages(
      ['approval repository=a/b environment=production environment=staging'],
      'require-chain',
      {},
      POLICY_RULES,
      false,
    );
    assert.deepEqual(stage?.environments, ['production', 'staging']);
    const [review] = parseChainStages(
      [`${REVIEW} repository=a/b environment=production`],
      'require-chain',
      {},
      POLICY_RULES,
      false,
    );
    assert.deepEqual(review?.environments, ['production']);
    const described = describePolicy({ requireChain: [stage ?? assert.fail()] })['require-chain'];
    assert.ok(Array.isArray(described));
    assert.match(described[0] ?? '', / environment=production environment=staging$/);
  });
});

describe('links in predicates', () => {
  const target = { statementDigest: hex(7), predicateType: SPDX, source: 'sbom.sigstore.json' };
  it('go into resolvedDependencies for SLSA provenance, after the source commit', () => {
    const linked = withLinks(SLSA, ATTEST_STATEMENT.predicate, [target]);
    const deps = (linked['buildDefinition'] as { resolvedDependencies: unknown[] }).resolvedDependencies;
    assert.equal(deps.length, 2);
    assert.deepEqual(deps[1], {
      name: 'sbom.sigstore.json',
      digest: { sha256: hex(7) },
      mediaType: ATTESTATION_MEDIA_TYPE,
      annotations: { predicateType: SPDX },
    });
    assert.deepEqual([...linkedDigests(linked)], [hex(7)]);
    // The input is not modified, and the source dependency is not taken for a link.
    assert.equal(
      (ATTEST_STATEMENT.predicate['buildDefinition'] as { resolvedDependencies: unknown[] }).resolvedDependencies
        .length,
      1,
    );
  });
  it('go into inputAttestations for a VSA and into the extension field for anything else', () => {
    assert.deepEqual(
      [...linkedDigests(withLinks('https://slsa.dev/verification_summary/v1', { verifier: { id: 'x' } }, [target]))],
      [hex(7)],
    );
    const sbom = withLinks(SPDX, { spdxVersion: 'SPDX-2.3' }, [target, target]);
    assert.equal((sbom[LINKS_FIELD] as unknown[]).length, 1);
    assert.equal(sbom['spdxVersion'], 'SPDX-2.3');
  });
  it('ignore malformed link digests (a malformed link links to nothing)', () => {
    assert.equal(
      linkedDigests({
        [LINKS_FIELD]: [{ digest: { sha256: 'XYZ' } }, { digest: { sha256: 'A'.repeat(64) } }, 'x', null],
      }).size,
      0,
    );
    // A source dependency with a sha256 digest is not an attestation link.
    assert.equal(
      linkedDigests({
        buildDefinition: { resolvedDependencies: [{ uri: 'git+https://x', digest: { sha256: hex(1) } }] },
      }).size,
      0,
    );
  });
});

describe('require-chain as written', () => {
  it("merges each stage's rules over the top-level ones", () => {
    const [first, , third] = stages();
    assert.deepEqual(first?.predicateTypes, [SLSA, 'https://slsa.dev/provenance/v0.2']);
    assert.deepEqual(third?.policy, { repository: 'octo-org/octo-repo', signerWorkflow: [WORKFLOW('scan.yml')] });
  });
  it('reads require-chain from a policy file list, and shows it in the report', () => {
    const file = ['repository: octo-org/octo-repo', 'require-chain:', ...CHAIN_LINES.map((l) => `  - ${l}`)].join('\n');
    const policy = policyFromInputs(
      (name) => (name === 'policy' ? 'policy.yml' : ''),
      () => file,
    );
    assert.equal(policy.requireChain?.length, 5);
    const described = describePolicy(policy)['require-chain'];
    assert.ok(Array.isArray(described));
    assert.match(
      described[2] ?? '',
      /^vulns \(https:\/\/in-toto\.io\/attestation\/vulns\/v0\.2 \| .*\) .*signer-workflow=octo-org\/octo-repo\/\.github\/workflows\/scan\.yml/,
    );
  });
  const refused: [string, string[], RegExp][] = [
    [
      'an unknown stage',
      ['sbomm signer-workflow=a/b/.github/workflows/x.yml'],
      /stage 1: "sbomm" is neither a stage nor a predicate type URI/,
    ],
    ['a stage twice', ['sbom repository=a/b', 'sbom repository=a/b'], /stage 2: "sbom" is listed twice/],
    ['a token that is not rule=value', ['sbom signer-workflow'], /"signer-workflow" is not rule=value/],
    [
      'predicate-type as a stage rule',
      ['sbom predicate-type=x:y repository=a/b'],
      /"predicate-type" is not a rule a stage can set/,
    ],
    ['an invalid rule value', ['sbom max-age=soon repository=a/b'], /max-age/],
    ['a stage naming no signer', ['sbom max-age=1d'], /stage 1 \("sbom"\) has no rule naming its signer/],
  ];
  for (const [what, lines, message] of refused) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => parseChainStages(lines, 'require-chain', {}, POLICY_RULES, false),
        (err: unknown) => err instanceof ProvenanceError && message.test(err.message),
      );
    });
  }
  it('refuses require-chain together with predicate-type', () => {
    const get = (name: string): string =>
      ({ 'predicate-type': SPDX, 'require-chain': CHAIN_LINES.join('\n'), repository: 'octo-org/octo-repo' })[name] ??
      '';
    assert.throws(() => policyFromInputs(get, () => ''), /predicate-type and require-chain are both set/);
  });
  it('accepts a predicate type URI as a stage', () => {
    const [stage] = parseChainStages(
      ['https://example.com/deploy/v1 repository=a/b'],
      'require-chain',
      {},
      POLICY_RULES,
      false,
    );
    assert.deepEqual(stage?.predicateTypes, ['https://example.com/deploy/v1']);
  });
});
