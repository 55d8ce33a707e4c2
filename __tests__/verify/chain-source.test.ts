// require-chain with a source stage, judged on verified bundles built by hand: a Source VSA joins
// the build provenance by the commit the provenance names (no links), and every way that join
// breaks (no Source VSA, one for another commit, one that fails its stage's policy or its own
// verificationResult, a provenance naming another commit). Also: a Source VSA never stands for a
// policy stage, and a policy VSA about the artifact never stands for the source stage.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeChains } from '../../src/verify/chain/chain.ts';
import { parseChainStages } from '../../src/verify/chain/spec.ts';
import type { BundleOutcome } from '../../src/verify/judge.ts';
import { POLICY_RULES } from '../../src/verify/policy/index.ts';
import { adviceFor } from '../../src/verify/report/advice.ts';
import { ProvenanceError } from '../../src/common/errors.ts';
import { withLinks } from '../../src/stages/links.ts';
import { buildCommits, isSourceVSA } from '../../src/stages/source-vsa.ts';
import type { InTotoStatement } from '../../src/verify/types.ts';
import { ATTEST_CERT, ATTEST_STATEMENT, OTHER_SHA, SHA, SIGNED_AT } from './policy/fixtures.ts';

const ARTIFACT = { name: 'octo-repo-linux-amd64.tar.gz', digest: { sha256: 'e'.repeat(64) } };
const WORKFLOW = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;
const hex = (n: number): string => n.toString(16).padStart(64, '0');
const VSA = 'https://slsa.dev/verification_summary/v1';
const SLSA = 'https://slsa.dev/provenance/v1';
const NOW = new Date(SIGNED_AT.getTime() + 60_000);

function bundle(id: number, statement: InTotoStatement, signer: string, commit = SHA): BundleOutcome {
  const uri = `https://github.com/${WORKFLOW(signer)}@refs/tags/v1.2.0`;
  return {
    source: `b${id}.sigstore.json`,
    verified: {
      certificate: {
        ...ATTEST_CERT,
        subjectAlternativeName: uri,
        buildSignerURI: uri,
        sourceRepositoryDigest: commit,
        buildSignerDigest: commit,
        buildConfigDigest: commit,
      },
      signedAt: SIGNED_AT,
      statement,
      messageDigest: undefined,
      statementDigest: hex(id),
    },
    failure: undefined,
    claimed: statement.subject,
  };
}

/** A Source VSA for `commit` as the source stage writes it. */
function sourceVsa(id: number, commit: string, result = 'PASSED', signer = 'source.yml'): BundleOutcome {
  return bundle(
    id,
    {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        {
          name: `https://github.com/octo-org/octo-repo/commit/${commit}`,
          digest: { gitCommit: commit },
          annotations: { source_refs: ['refs/heads/main'] },
        } as InTotoStatement['subject'][number],
      ],
      predicateType: VSA,
      predicate: {
        verifier: { id: `https://github.com/${WORKFLOW('source.yml')}@refs/heads/main` },
        timeVerified: SIGNED_AT.toISOString(),
        resourceUri: 'git+https://github.com/octo-org/octo-repo@refs/heads/main',
        policy: { uri: 'https://provenance-action.github.io/docs/chains#source-levels' },
        verificationResult: result,
        verifiedLevels: ['SLSA_SOURCE_LEVEL_3'],
      },
    },
    signer,
  );
}

/** Build provenance of ARTIFACT naming `commit` (ATTEST_STATEMENT names SHA). */
function provenance(id: number, commit = SHA, links: number[] = []): BundleOutcome {
  const predicate = structuredClone(ATTEST_STATEMENT.predicate) as { buildDefinition: Record<string, unknown> };
  predicate.buildDefinition['resolvedDependencies'] = [
    { uri: 'git+https://github.com/octo-org/octo-repo@refs/tags/v1.2.0', digest: { gitCommit: commit } },
  ];
  const targets = links.map((l) => ({ statementDigest: hex(l), predicateType: 'x', source: `b${l}` }));
  return bundle(id, { ...ATTEST_STATEMENT, predicate: withLinks(SLSA, predicate, targets) }, 'release.yml', commit);
}

/** A policy VSA about the artifact, linking to `links`. */
function policyVsa(id: number, links: number[]): BundleOutcome {
  const targets = links.map((l) => ({ statementDigest: hex(l), predicateType: 'x', source: `b${l}` }));
  const predicate = withLinks(
    VSA,
    { verifier: { id: 'https://conftest' }, verificationResult: 'PASSED', verifiedLevels: [] },
    targets,
  );
  return bundle(id, { ...ATTEST_STATEMENT, predicateType: VSA, predicate }, 'release.yml');
}

const LINES = [
  `source signer-workflow=${WORKFLOW('source.yml')}`,
  `provenance signer-workflow=${WORKFLOW('release.yml')}`,
  `policy signer-workflow=${WORKFLOW('release.yml')}`,
];
const stages = (lines = LINES) =>
  parseChainStages(lines, 'require-chain', { repository: 'octo-org/octo-repo' }, POLICY_RULES, false);
const verdictOf = (outcomes: BundleOutcome[], lines = LINES) => {
  const [verdict] = judgeChains([ARTIFACT], outcomes, stages(lines), NOW);
  assert.ok(verdict);
  return verdict;
};
const statuses = (outcomes: BundleOutcome[], lines = LINES): string[] =>
  verdictOf(outcomes, lines).stages.map((s) => `${s.label}:${s.status}`);

describe('the source stage joins the build by commit', () => {
  it('passes when a Source VSA is for the commit the provenance names, with no links', () => {
    const verdict = verdictOf([sourceVsa(1, SHA), provenance(2), policyVsa(3, [2])]);
    assert.equal(verdict.passed, true);
    assert.deepEqual(
      verdict.stages.map((s) => s.status),
      ['pass', 'pass', 'pass'],
    );
    assert.equal(verdict.stages[0]?.attestation?.digest, `sha256:${hex(1)}`);
  });

  it('reads the commit from v0.2 materials too (sha1 or gitCommit)', () => {
    assert.deepEqual(
      buildCommits('https://slsa.dev/provenance/v0.2', {
        materials: [{ uri: 'git+https://github.com/o/r@refs/heads/main', digest: { sha1: SHA.toUpperCase() } }],
      }),
      [SHA],
    );
    assert.deepEqual(
      buildCommits(SLSA, { buildDefinition: { resolvedDependencies: [{ digest: { sha1: SHA } }] } }),
      [],
    );
  });

  it('is missing without any Source VSA, and the stages after it are not checked', () => {
    const verdict = verdictOf([provenance(2), policyVsa(3, [2])]);
    assert.deepEqual(
      verdict.stages.map((s) => s.status),
      ['missing', 'unreached', 'unreached'],
    );
    const failure = verdict.stages[0]?.failures[0];
    assert.equal(failure?.check, 'chain-stage');
    assert.match(failure?.expected ?? '', new RegExp(`^stage 1 "source": a Source VSA .*gitCommit:${SHA}`));
    assert.match(failure?.found ?? '', /no Source VSA among the 2 bundle\(s\) read/);
  });

  it('is unlinked by commit when the only Source VSA is for another commit', () => {
    const verdict = verdictOf([sourceVsa(1, OTHER_SHA), provenance(2), policyVsa(3, [2])]);
    assert.deepEqual(
      verdict.stages.map((s) => s.status),
      ['unlinked', 'unreached', 'unreached'],
    );
    const failure = verdict.stages[0]?.failures[0];
    assert.equal(failure?.check, 'chain-commit');
    assert.match(failure?.expected ?? '', new RegExp(`gitCommit:${SHA}$`));
    assert.equal(failure?.found, `Source VSAs for gitCommit:${OTHER_SHA} only`);
    assert.match(failure === undefined ? '' : adviceFor(failure).fix, /stage: source/);
  });

  it('says so when no build provenance of the artifact names a commit', () => {
    const verdict = verdictOf([sourceVsa(1, SHA), policyVsa(3, [])]);
    assert.equal(verdict.stages[0]?.status, 'unlinked');
    assert.match(
      verdict.stages[0]?.failures[0]?.found ?? '',
      /no verified build provenance of .* names a source commit/,
    );
  });

  it('is rejected when the Source VSA for the commit fails its policy or says FAILED', () => {
    const wrongSigner = verdictOf([sourceVsa(1, SHA, 'PASSED', 'other.yml'), provenance(2), policyVsa(3, [2])]);
    assert.equal(wrongSigner.stages[0]?.status, 'rejected');
    assert.ok(wrongSigner.stages[0]?.failures.some((f) => f.check === 'signer-workflow'));
    const failed = verdictOf([sourceVsa(1, SHA, 'FAILED'), provenance(2), policyVsa(3, [2])]);
    assert.equal(failed.stages[0]?.status, 'rejected');
    assert.deepEqual(
      failed.stages[0]?.failures.map((f) => [f.check, f.found]),
      [['stage-result', 'verificationResult "FAILED"']],
    );
  });

  it('names the check a tampered Source VSA for the commit failed', () => {
    const good = sourceVsa(1, SHA);
    const tampered: BundleOutcome = {
      source: 'tampered.sigstore.json',
      verified: undefined,
      failure: { check: 'signature', expected: 'a signature that verifies', found: 'one that does not' },
      claimed: good.claimed,
      claimedPredicateType: VSA,
    };
    const verdict = verdictOf([tampered, provenance(2), policyVsa(3, [2])]);
    assert.equal(verdict.stages[0]?.status, 'rejected');
    assert.deepEqual(
      verdict.stages[0]?.failures.map((f) => [f.check, f.expected]),
      [['signature', 'stage 1 "source" (tampered.sigstore.json): a signature that verifies']],
    );
    // And one that also claims the artifact never stands for the policy stage either.
    const claimsBoth = { ...tampered, claimed: [...good.claimed, ...ATTEST_STATEMENT.subject] };
    assert.equal(verdictOf([good, claimsBoth, provenance(2)]).stages[2]?.status, 'missing');
  });

  it('passes only through a provenance that names the joined commit', () => {
    // Two provenances: the one for SHA fails its policy (another signer), the other names OTHER_SHA.
    const failingForSha = bundle(5, provenance(5).verified?.statement ?? assert.fail(), 'evil.yml');
    const verdict = verdictOf([sourceVsa(1, SHA), failingForSha, provenance(2, OTHER_SHA), policyVsa(3, [2])]);
    assert.deepEqual(
      verdict.stages.map((s) => s.status),
      ['pass', 'unlinked', 'unreached'],
    );
    const failure = verdict.stages[1]?.failures[0];
    assert.equal(failure?.check, 'chain-commit');
    assert.match(failure?.expected ?? '', new RegExp(`name a commit with a passing Source VSA .*gitCommit:${SHA}`));
    assert.equal(failure?.found, `names commit gitCommit:${OTHER_SHA}`);
  });

  it('keeps Source VSAs and policy VSAs apart', () => {
    const source = sourceVsa(1, SHA);
    const statement = source.verified?.statement ?? assert.fail();
    assert.equal(isSourceVSA(statement.predicateType, statement.subject), true);
    const policy = policyVsa(3, [2]).verified?.statement ?? assert.fail();
    assert.equal(isSourceVSA(policy.predicateType, policy.subject), false);
    // A Source VSA that also claims the artifact's digest still does not pass the policy stage.
    const both = bundle(
      4,
      {
        ...statement,
        subject: [...statement.subject, ...ATTEST_STATEMENT.subject],
        predicate: withLinks(VSA, statement.predicate, [
          { statementDigest: hex(2), predicateType: SLSA, source: 'b2' },
        ]),
      },
      'release.yml',
    );
    assert.deepEqual(statuses([source, provenance(2), both]), ['source:pass', 'provenance:pass', 'policy:missing']);
    // And a policy VSA about the artifact never stands for the source stage.
    assert.deepEqual(statuses([provenance(2), policyVsa(3, [2])]).slice(0, 1), ['source:missing']);
    // By URI too: a stage named by the VSA type takes policy VSAs only.
    const byUri = [
      `provenance signer-workflow=${WORKFLOW('release.yml')}`,
      `${VSA} signer-workflow=${WORKFLOW('release.yml')}`,
    ];
    assert.deepEqual(statuses([source, provenance(2)], byUri), ['provenance:pass', `${VSA}:missing`]);
  });

  it('refuses a chain where source is not right before the build provenance', () => {
    for (const lines of [
      [`provenance signer-workflow=${WORKFLOW('release.yml')}`, `source signer-workflow=${WORKFLOW('source.yml')}`],
      [`source signer-workflow=${WORKFLOW('source.yml')}`, `policy signer-workflow=${WORKFLOW('release.yml')}`],
    ]) {
      assert.throws(
        () => stages(lines),
        (err: unknown) =>
          err instanceof ProvenanceError &&
          /"source" must come right before the build provenance stage/.test(err.message) &&
          /directly above the provenance line/.test(err.hint ?? ''),
      );
    }
  });
});
