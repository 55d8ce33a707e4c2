import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { VerifyReport } from '../../../src/verify/report/report.ts';
import {
  buildLevel,
  ISOLATED_BUILD_LEVEL,
  type LevelEvidence,
  NO_BUILD_LEVEL,
  resourceUri,
  verifiedLevel,
  vsaStatements,
  VSA_PREDICATE_TYPE,
} from '../../../src/verify/report/vsa.ts';

const bundle = (result: 'PASS' | 'FAIL', runnerEnvironment: string | null = 'github-hosted') => ({
  source: `b.jsonl:${result === 'PASS' ? 1 : 2}`,
  signer: 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1',
  runnerEnvironment,
  predicateType: 'https://slsa.dev/provenance/v1',
  attestation: result === 'PASS' ? 'd'.repeat(64) : null,
  result,
  failures: [],
});
const report: VerifyReport = {
  verified: false,
  time: '2026-11-22T10:00:00.000Z',
  trustedRoot: 'public-good',
  policy: { repository: 'o/r' },
  artifacts: [
    { name: 'app', digest: { sha256: 'a'.repeat(64) }, result: 'PASS', bundles: [bundle('FAIL'), bundle('PASS')] },
    { name: 'lib', digest: { sha256: 'b'.repeat(64) }, result: 'FAIL', bundles: [bundle('FAIL')] },
    {
      name: 'pkg:npm/x@1.0.0',
      digest: { sha512: 'c'.repeat(128) },
      result: 'PASS',
      bundles: [bundle('PASS', 'self-hosted')],
    },
  ],
  unusedBundles: [],
};

describe('vsaStatements', () => {
  const statements = vsaStatements(report, {
    verifierId: 'https://github.com/acme/provenance-action@v1',
    policyUri: 'policy.yml',
  });

  it('attests only what passed, one statement per artifact', () => {
    assert.deepEqual(
      statements.map((s) => s.subject),
      [
        [{ name: 'app', digest: { sha256: 'a'.repeat(64) } }],
        [{ name: 'pkg:npm/x@1.0.0', digest: { sha512: 'c'.repeat(128) } }],
      ],
    );
  });
  it('fills the VSA v1 fields from the report', () => {
    const first = statements[0];
    assert.equal(first?.predicateType, VSA_PREDICATE_TYPE);
    assert.deepEqual(first?.predicate, {
      verifier: { id: 'https://github.com/acme/provenance-action@v1' },
      timeVerified: '2026-11-22T10:00:00.000Z',
      resourceUri: 'file:app',
      policy: {
        uri: 'policy.yml',
        digest: { sha256: createHash('sha256').update('{"repository":"o/r"}').digest('hex') },
      },
      inputAttestations: [
        { uri: 'b.jsonl:1', digest: { sha256: 'd'.repeat(64) }, mediaType: 'application/vnd.in-toto+json' },
      ],
      verificationResult: 'PASSED',
      verifiedLevels: ['SLSA_BUILD_LEVEL_2'],
      slsaVersion: '1.0',
    });
  });
  it('claims Build L1 only for a self-hosted runner, and keeps URIs that are URIs', () => {
    assert.deepEqual(statements[1]?.predicate['verifiedLevels'], ['SLSA_BUILD_LEVEL_1']);
    assert.equal(statements[1]?.predicate['resourceUri'], 'pkg:npm/x@1.0.0');
    assert.equal(verifiedLevel(null), 'SLSA_BUILD_LEVEL_1');
    assert.equal(resourceUri('dist/my app'), 'file:dist/my%20app');
  });
});

describe('the build level a VSA claims', () => {
  const SLSA_V1 = 'https://slsa.dev/provenance/v1';
  const LINT = 'https://example.com/lint-ok/v1';
  const passing = (predicateType: string | null, runnerEnvironment: string | null = 'github-hosted') => ({
    result: 'PASS' as const,
    predicateType,
    runnerEnvironment,
  });
  const levelsOf = (bundles: VerifyReport['artifacts'][number]['bundles']): unknown =>
    vsaStatements(
      { ...report, artifacts: [{ name: 'app', digest: { sha256: 'a'.repeat(64) }, result: 'PASS', bundles }] },
      { verifierId: 'v', policyUri: 'p' },
    )[0]?.predicate['verifiedLevels'];
  const reportBundle = (predicateType: string | null, runnerEnvironment: string | null = 'github-hosted') => ({
    source: 'b',
    signer: 's',
    attestation: 'd'.repeat(64),
    failures: [],
    ...passing(predicateType, runnerEnvironment),
  });

  it('comes only from build provenance that passed: another predicate type earns no build level, whoever signed it', () => {
    assert.deepEqual(levelsOf([reportBundle(LINT)]), [NO_BUILD_LEVEL]);
    assert.equal(NO_BUILD_LEVEL, 'SLSA_BUILD_LEVEL_0');
    assert.equal(buildLevel([passing(null)]), NO_BUILD_LEVEL); // a signed message, no statement
    assert.equal(buildLevel([{ ...passing(SLSA_V1), result: 'FAIL' }, passing(LINT)]), NO_BUILD_LEVEL);
  });
  it("reads SLSA provenance v1 and v0.2, and takes the highest level a passing one earns (a chain's provenance stage among the others)", () => {
    assert.deepEqual(levelsOf([reportBundle('https://spdx.dev/Document/v2.3'), reportBundle(SLSA_V1, 'self-hosted')]), [
      'SLSA_BUILD_LEVEL_1',
    ]);
    assert.equal(buildLevel([passing('https://slsa.dev/provenance/v0.2')]), 'SLSA_BUILD_LEVEL_2');
    assert.equal(buildLevel([passing(SLSA_V1, 'self-hosted'), passing(SLSA_V1)]), 'SLSA_BUILD_LEVEL_2');
  });
});

describe('Build L3: provenance signed by a pinned reusable workflow of another repository (issue 19)', () => {
  const SLSA_V1 = 'https://slsa.dev/provenance/v1';
  const SIGNER = 'https://github.com/acme/provenance-action/.github/workflows/provenance-slsa3.yml@refs/tags/v1.4.0';
  const SIGNER_SHA = 'e'.repeat(40);
  const SOURCE = 'https://github.com/octo-org/octo-repo';
  const PINNED = 'acme/provenance-action/.github/workflows/provenance-slsa3.yml@refs/tags/v1.4.0';
  // A passing provenance bundle as the report records it, with its certificate's .9, .10, .11 and .12.
  const provenance = (over: Partial<LevelEvidence> = {}): LevelEvidence => ({
    result: 'PASS',
    predicateType: SLSA_V1,
    runnerEnvironment: 'github-hosted',
    buildSignerURI: SIGNER,
    buildSignerDigest: SIGNER_SHA,
    sourceRepositoryURI: SOURCE,
    ...over,
  });
  const vsaLevel = (policy: Record<string, unknown>, over: Partial<LevelEvidence> = {}): unknown => {
    const b = provenance(over);
    return vsaStatements(
      {
        ...report,
        policy,
        artifacts: [
          {
            name: 'app',
            digest: { sha256: 'a'.repeat(64) },
            result: 'PASS',
            bundles: [{ source: 'b', signer: SIGNER, attestation: 'd'.repeat(64), failures: [], ...b }],
          },
        ],
      },
      { verifierId: 'v', policyUri: 'p' },
    )[0]?.predicate['verifiedLevels'];
  };

  it('claims L3 when the policy names the signer workflow pinned by tag (signer-workflow) and the runner is GitHub-hosted', () => {
    assert.equal(ISOLATED_BUILD_LEVEL, 'SLSA_BUILD_LEVEL_3');
    assert.deepEqual(vsaLevel({ repository: 'octo-org/octo-repo', 'signer-workflow': [PINNED] }), [
      'SLSA_BUILD_LEVEL_3',
    ]);
  });
  it('claims L3 when builder-id names it, by ref or by the commit in the Build Signer Digest', () => {
    assert.equal(buildLevel([provenance()], { 'builder-id': SIGNER }), 'SLSA_BUILD_LEVEL_3');
    const bySha = SIGNER.replace('refs/tags/v1.4.0', SIGNER_SHA);
    assert.equal(buildLevel([provenance()], { 'builder-id': bySha }), 'SLSA_BUILD_LEVEL_3');
    // Another commit is another workflow.
    assert.equal(
      buildLevel([provenance()], { 'builder-id': SIGNER.replace('refs/tags/v1.4.0', 'f'.repeat(40)) }),
      'SLSA_BUILD_LEVEL_2',
    );
  });
  it('claims L2 when the policy does not name the signer workflow pinned', () => {
    assert.deepEqual(vsaLevel({ repository: 'octo-org/octo-repo' }), ['SLSA_BUILD_LEVEL_2']);
    // Named, but any ref (unpinned) or a branch (which moves).
    const name = PINNED.slice(0, PINNED.indexOf('@'));
    assert.equal(buildLevel([provenance()], { 'signer-workflow': [name] }), 'SLSA_BUILD_LEVEL_2');
    const branch = { buildSignerURI: SIGNER.replace('refs/tags/v1.4.0', 'refs/heads/main') };
    assert.equal(
      buildLevel([provenance(branch)], { 'signer-workflow': [`${name}@refs/heads/main`] }),
      'SLSA_BUILD_LEVEL_2',
    );
    // Another workflow pinned: this one is not named.
    assert.equal(
      buildLevel([provenance()], { 'signer-workflow': [PINNED.replace('provenance-slsa3', 'other')] }),
      'SLSA_BUILD_LEVEL_2',
    );
    // Without the policy at all (a caller of buildLevel that has none).
    assert.equal(buildLevel([provenance()]), 'SLSA_BUILD_LEVEL_2');
  });
  it('never gives L3 to the action run as a plain step (signer in the source repository), whatever its predicate claims', () => {
    // The predicate's builder id is not read at all: only the certificate says who signed.
    const plain = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.4.0';
    const policy = {
      repository: 'octo-org/octo-repo',
      'signer-workflow': ['octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.4.0', PINNED],
      'builder-id': plain,
    };
    assert.deepEqual(vsaLevel(policy, { buildSignerURI: plain }), ['SLSA_BUILD_LEVEL_2']);
    // The same repository spelled in another case is still the same repository.
    assert.equal(
      buildLevel([provenance({ sourceRepositoryURI: 'https://github.com/ACME/Provenance-Action' })], policy),
      'SLSA_BUILD_LEVEL_2',
    );
  });
  it('gives L1 on a self-hosted runner, and no L3 without the certificate facts (reports written before them)', () => {
    const policy = { 'signer-workflow': [PINNED] };
    assert.deepEqual(vsaLevel(policy, { runnerEnvironment: 'self-hosted' }), ['SLSA_BUILD_LEVEL_1']);
    assert.equal(buildLevel([provenance({ sourceRepositoryURI: null })], policy), 'SLSA_BUILD_LEVEL_2');
    assert.equal(buildLevel([provenance({ buildSignerURI: null })], policy), 'SLSA_BUILD_LEVEL_2');
    const { buildSignerURI: _, sourceRepositoryURI: __, ...old } = provenance();
    assert.equal(buildLevel([old], policy), 'SLSA_BUILD_LEVEL_2');
    // A failing bundle earns nothing, and a non-provenance one no build level.
    assert.equal(buildLevel([provenance({ result: 'FAIL' })], policy), NO_BUILD_LEVEL);
    assert.equal(buildLevel([provenance({ predicateType: 'https://example.com/lint/v1' })], policy), NO_BUILD_LEVEL);
  });
});
