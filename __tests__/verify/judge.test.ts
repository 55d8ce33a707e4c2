import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeArtifacts, unusedBundles, type BundleOutcome } from '../../src/verify/judge.ts';
import { sameArtifact } from '../../src/subjects/claimed.ts';
import { buildReport, failureLine, reportText } from '../../src/verify/report/report.ts';
import { reportMarkdown } from '../../src/verify/report/report-markdown.ts';
import { parseBundleText, claimedSubjects } from '../../src/verify/sources/bundle-text.ts';
import type { CertificateFacts, CheckFailure, VerifiedBundle } from '../../src/verify/types.ts';
import { describePolicy } from '../../src/verify/policy/describe-policy.ts';
import type { Policy } from '../../src/verify/policy/policy.ts';
import { vsaStatements } from '../../src/verify/report/vsa.ts';
import { ATTEST_CERT, GENERATOR_CERT } from './policy/fixtures.ts';
import type { Subject } from '../../src/subjects/index.ts';

const A = { name: 'app', digest: { sha256: 'a'.repeat(64) } };
const B = { name: 'lib', digest: { sha256: 'b'.repeat(64), sha512: 'c'.repeat(128) } };
const verified = (
  subjects: { name: string; digest: Record<string, string> }[],
  san = 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1',
): VerifiedBundle => ({
  certificate: { subjectAlternativeName: san } as VerifiedBundle['certificate'],
  signedAt: new Date('2026-01-01T00:00:00Z'),
  statement: {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects,
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {},
  },
  messageDigest: undefined,
});
const ok = (source: string, v: VerifiedBundle): BundleOutcome => ({
  source,
  verified: v,
  failure: undefined,
  claimed: v.statement?.subject ?? [],
});
const broken = (source: string, claimed: (typeof A)[], failure?: CheckFailure): BundleOutcome => ({
  source,
  verified: undefined,
  failure,
  claimed,
});
const wrongWorkflow: CheckFailure = {
  check: 'signer-workflow',
  expected: 'o/r/.github/workflows/release.yml',
  found: 'o/r/.github/workflows/other.yml',
};

describe('sameArtifact', () => {
  it('needs one shared algorithm that agrees and none that differs', () => {
    assert.equal(sameArtifact({ sha256: 'aa' }, { sha256: 'AA' }), true);
    assert.equal(sameArtifact({ sha256: 'aa' }, { sha512: 'aa' }), false, 'no algorithm in common');
    assert.equal(
      sameArtifact({ sha256: 'aa', sha512: 'bb' }, { sha256: 'aa', sha512: 'cc' }),
      false,
      'a contradiction wins',
    );
    assert.equal(sameArtifact({ sha512: 'c'.repeat(128) }, B.digest), true, 'npm-style sha512-only subjects match');
  });
});

describe('judgeArtifacts', () => {
  it('passes an artifact when one covering bundle passes every check', () => {
    const [v] = judgeArtifacts([A], [ok('b.jsonl:1', verified([A]))], () => []);
    assert.equal(v?.passed, true);
    assert.equal(v?.attempts[0]?.signer, 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1');
  });

  it('judges each bundle once by the policy, however many artifacts its statement lists', () => {
    const artifacts = Array.from({ length: 50 }, (_, i) => ({
      name: `f${i}`,
      digest: { sha256: i.toString(16).padStart(64, '0') },
    }));
    // One statement for all 50; a second whose sha512 contradicts B's although its sha256 agrees.
    const contradicting = { name: 'lib', digest: { sha256: B.digest.sha256, sha512: 'd'.repeat(128) } };
    const outcomes = [
      ok('all.jsonl:1', verified([...artifacts].reverse())),
      ok('other.jsonl:1', verified([contradicting])),
    ];
    let calls = 0;
    const verdicts = judgeArtifacts([...artifacts, B], outcomes, () => (calls++, []));
    assert.equal(calls, 1);
    assert.deepEqual(
      verdicts.map((v) => v.passed),
      [...artifacts.map(() => true), false],
    );
    // lib is listed by name with another digest: changed after signing, not "no bundle".
    assert.deepEqual(
      verdicts.at(-1)?.attempts.map((a) => [a.source, a.failures[0]?.check]),
      [['other.jsonl:1', 'artifact-changed']],
    );
  });

  it('fails with every failure of every bundle tried, not only the last', () => {
    const outcomes = [
      ok('one.json', verified([A])),
      broken('two.json', [A], { check: 'signature', expected: 'a valid signature', found: 'an invalid one' }),
    ];
    const [v] = judgeArtifacts([A], outcomes, () => [
      wrongWorkflow,
      { check: 'source-ref', expected: 'refs/tags/v*', found: 'refs/heads/main' },
    ]);
    assert.equal(v?.passed, false);
    assert.deepEqual(
      v?.attempts.map((a) => [a.source, a.failures.map((f) => f.check)]),
      [
        ['one.json', ['signer-workflow', 'source-ref']],
        ['two.json', ['signature']],
      ],
    );
  });

  it('fails closed on an unverified bundle with no recorded reason', () => {
    const [v] = judgeArtifacts([A], [broken('x.json', [A])], () => []);
    assert.equal(v?.passed, false);
    assert.equal(v?.attempts[0]?.failures[0]?.check, 'bundle-format');
  });

  it('says no bundle covers an artifact, naming its digest', () => {
    const [v] = judgeArtifacts([B], [ok('a.json', verified([A]))], () => []);
    assert.equal(v?.passed, false);
    assert.deepEqual(v?.attempts[0]?.failures[0], {
      check: 'subject-digest',
      expected: `a bundle whose statement lists sha256:${'b'.repeat(64)} / sha512:${'c'.repeat(128)}`,
      found: 'none of the 1 bundle(s) read lists it',
    });
  });

  it('matches message-signature bundles by the signed digest', () => {
    const message: VerifiedBundle = {
      certificate: undefined,
      signedAt: new Date(),
      statement: undefined,
      messageDigest: { algorithm: 'sha256', hex: 'a'.repeat(64) },
    };
    assert.equal(judgeArtifacts([A], [ok('m.json', message)], () => [])[0]?.passed, true);
  });

  it('lists bundles that cover no artifact', () => {
    const outcomes = [ok('a.json', verified([A])), ok('b.json', verified([B]))];
    assert.deepEqual(
      unusedBundles([A], outcomes).map((o) => o.source),
      ['b.json'],
    );
  });
});

describe('report', () => {
  const verdicts = judgeArtifacts([A, B], [ok('a.json', verified([A])), ok('b.json', verified([B]))], (bundle) =>
    bundle.statement?.subject[0]?.name === 'lib' ? [wrongWorkflow] : [],
  );
  const report = buildReport(verdicts, [], {
    time: new Date('2026-11-22T00:00:00Z'),
    trustedRoot: 'public-good',
    policy: { repository: 'o/r' },
  });

  it('is FAILED when any artifact fails, and never verified for zero artifacts', () => {
    assert.equal(report.verified, false);
    assert.deepEqual(
      report.artifacts.map((a) => a.result),
      ['PASS', 'FAIL'],
    );
    assert.equal(buildReport([], [], { time: new Date(), trustedRoot: 'x', policy: {} }).verified, false);
  });
  it('renders text a person can act on', () => {
    const text = reportText(report);
    assert.match(text, /^PASS app \(sha256:a{64}\) — a\.json, signed by https:\/\/github\.com\//m);
    assert.match(text, /^FAIL lib/m);
    assert.match(
      text,
      /^ {2}b\.json: signer-workflow: expected o\/r\/\.github\/workflows\/release\.yml, found o\/r\/\.github\/workflows\/other\.yml$/m,
    );
    assert.match(text, /verification FAILED for 1 of 2 artifact\(s\)\n$/);
  });
  it('renders the summary with the failure and its fix first, the reason second, passing rows folded', () => {
    const md = reportMarkdown(report);
    assert.match(md, /^## ❌ Provenance verification failed: 1 of 2 artifact\(s\)/);
    const fixLine = md.indexOf('- `lib`: **the artifact was signed by another workflow than the policy names**.');
    assert.ok(fixLine > 0 && fixLine < md.indexOf('| Artifact |'), 'the failure and its fix come before any table');
    assert.ok(md.includes('**Fix:** use the artifact built by the workflow the policy names'));
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    assert.match(
      rows[0] ?? '',
      /^\| `lib` \| ❌ the artifact was signed by another workflow than the policy names<details><summary>`signer-workflow`<\/summary>`signer-workflow`: expected `o\/r/,
    );
    assert.match(rows[1] ?? '', /^\| `app` \| `a\.json` \|/);
    assert.ok(
      md.indexOf('<details><summary>✅ 1 artifact(s) passed</summary>') < md.indexOf('| `app` |'),
      'passing rows are folded',
    );
  });
  it('gives one failure line naming artifact and check', () => {
    assert.equal(
      failureLine(report),
      'provenance verification failed for 1 of 2 artifact(s): lib (signer-workflow: expected o/r/.github/workflows/release.yml, found o/r/.github/workflows/other.yml). To fix: use the artifact built by the workflow the policy names; if the workflow shown is the intended one (for a reusable workflow, the called one), name it in signer-workflow [VERIFICATION_FAILED]',
    );
  });
  it('prints what failed and its fix first in the CLI text', () => {
    const text = reportText(report);
    assert.ok(
      text.startsWith(
        'What failed, and how to fix it:\n  lib: the artifact was signed by another workflow than the policy names. Fix: use the artifact built by the workflow',
      ),
    );
  });
});

describe('judging many artifacts against many bundles', () => {
  // What judgeArtifacts and unusedBundles decided by comparing every pair, before the digest index.
  const everyPair = (
    artifacts: Subject[],
    outcomes: BundleOutcome[],
    policy: (v: VerifiedBundle) => CheckFailure[],
  ): unknown => ({
    verdicts: artifacts.map((artifact) => {
      const attempts = outcomes.flatMap((o) => {
        if (o.verified) {
          const digests =
            o.verified.statement?.subject.map((s) => s.digest) ??
            (o.verified.messageDigest ? [{ [o.verified.messageDigest.algorithm]: o.verified.messageDigest.hex }] : []);
          return digests.some((d) => sameArtifact(d, artifact.digest))
            ? [[o.source, policy(o.verified).map((f) => f.check)]]
            : [];
        }
        return o.claimed.some((s) => sameArtifact(s.digest, artifact.digest))
          ? [[o.source, [o.failure?.check ?? 'bundle-format']]]
          : [];
      });
      return attempts.length > 0 ? attempts : [['(no bundle)', ['subject-digest']]];
    }),
    unused: outcomes
      .filter(
        (o) =>
          !artifacts.some((a) =>
            (o.verified?.statement?.subject ?? o.claimed).some((s) => sameArtifact(s.digest, a.digest)),
          ),
      )
      .map((o) => o.source),
  });

  it('decides as comparing every artifact with every bundle would, in the same order', () => {
    // Few distinct digests, in both cases, some contradicting on a second algorithm: many matches and near misses.
    let seed = 7;
    const pick = <T>(items: readonly T[]): T =>
      items[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % items.length] as T;
    const hex = ['a'.repeat(64), 'A'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];
    const digest = (): Record<string, string> =>
      pick([{ sha256: pick(hex) }, { sha512: pick(hex) }, { sha256: pick(hex), sha512: pick(hex) }]);
    const artifacts: Subject[] = Array.from({ length: 40 }, (_, i) => ({ name: `a${i}`, digest: digest() }));
    const outcomes: BundleOutcome[] = Array.from({ length: 60 }, (_, i) => {
      const subjects = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ name: `s${j}`, digest: digest() }));
      if (i % 5 === 0)
        return {
          source: `b${i}`,
          verified: undefined,
          failure: i % 10 === 0 ? undefined : wrongWorkflow,
          claimed: subjects,
        };
      if (i % 7 === 0)
        return ok(`m${i}`, {
          ...verified([]),
          statement: undefined,
          messageDigest: { algorithm: 'sha256', hex: pick(hex) },
        });
      return ok(`b${i}`, verified(subjects));
    });
    const policy = (v: VerifiedBundle): CheckFailure[] =>
      (v.statement?.subject.length ?? 0) > 1 ? [wrongWorkflow] : [];
    const verdicts = judgeArtifacts(artifacts, outcomes, policy).map((v) =>
      v.attempts.map((a) => [a.source, a.failures.map((f) => f.check)]),
    );
    const unused = unusedBundles(artifacts, outcomes).map((o) => o.source);
    assert.deepEqual({ verdicts, unused }, everyPair(artifacts, outcomes, policy));
    assert.ok(
      verdicts.some((v) => v.length > 2) && unused.length > 0,
      'the set exercises several matches and unused bundles',
    );
  });
});

describe('parseBundleText', () => {
  it('reads one pretty-printed bundle, or JSON Lines with line numbers', () => {
    assert.equal(parseBundleText('{\n  "a": 1\n}\n', 'x.sigstore.json').length, 1);
    const lines = parseBundleText('{"a":1}\n\n{"b":2}\nnot json\n', 'x.jsonl');
    assert.deepEqual(
      lines.map((l) => [l.source, l.failure?.check]),
      [
        ['x.jsonl:1', undefined],
        ['x.jsonl:3', undefined],
        ['x.jsonl:4', 'bundle-format'],
      ],
    );
  });
  it('turns an empty file into a bundle-format failure', () => {
    assert.equal(parseBundleText('  \n', 'e.json')[0]?.failure?.check, 'bundle-format');
  });
});

describe('claimedSubjects', () => {
  it('reads subjects from an unverified DSSE payload and tolerates garbage', () => {
    const payload = Buffer.from(JSON.stringify({ subject: [A, { name: 'x' }, 'junk'] })).toString('base64');
    // Prototype-free digest records (their keys are the bundle's): compared by their entries.
    assert.deepEqual(
      claimedSubjects({ dsseEnvelope: { payload } }).map((s) => ({ ...s, digest: { ...s.digest } })),
      [A],
    );
    assert.deepEqual(claimedSubjects({ dsseEnvelope: { payload: '!!!' } }), []);
    assert.deepEqual(claimedSubjects(null), []);
  });
});

describe('the report carries what a VSA build level rests on (issue 19)', () => {
  const bundleWith = (cert: CertificateFacts): VerifiedBundle => ({ ...verified([A]), certificate: cert });
  const reportOf = (cert: CertificateFacts, policy: Policy) =>
    buildReport(
      judgeArtifacts([A], [ok('p.json', bundleWith(cert))], () => []),
      [],
      {
        time: new Date('2026-11-22T00:00:00Z'),
        trustedRoot: 'public-good',
        policy: describePolicy(policy),
      },
    );
  const levelOf = (cert: CertificateFacts, policy: Policy): unknown =>
    vsaStatements(reportOf(cert, policy), { verifierId: 'v', policyUri: 'p' })[0]?.predicate['verifiedLevels'];
  const pinned: Policy = { repository: 'octo-org/widget', builderId: GENERATOR_CERT.buildSignerURI ?? '' };

  it("records the certificate's Build Signer URI and Digest and Source Repository URI beside the runner", () => {
    const [b] = reportOf(GENERATOR_CERT, pinned).artifacts[0]?.bundles ?? [];
    assert.equal(b?.runnerEnvironment, 'github-hosted');
    assert.equal(b?.buildSignerURI, GENERATOR_CERT.buildSignerURI);
    assert.equal(b?.buildSignerDigest, GENERATOR_CERT.buildSignerDigest);
    assert.equal(b?.sourceRepositoryURI, 'https://github.com/octo-org/widget');
  });
  it('so a reusable workflow of another repository, pinned by the policy, earns L3; a plain step L2; self-hosted L1', () => {
    assert.deepEqual(levelOf(GENERATOR_CERT, pinned), ['SLSA_BUILD_LEVEL_3']);
    assert.deepEqual(levelOf(GENERATOR_CERT, { repository: 'octo-org/widget' }), ['SLSA_BUILD_LEVEL_2']);
    const plain: Policy = { repository: 'octo-org/octo-repo', builderId: ATTEST_CERT.buildSignerURI ?? '' };
    assert.deepEqual(levelOf(ATTEST_CERT, plain), ['SLSA_BUILD_LEVEL_2']);
    assert.deepEqual(levelOf({ ...GENERATOR_CERT, runnerEnvironment: 'self-hosted' }, pinned), ['SLSA_BUILD_LEVEL_1']);
  });
});
