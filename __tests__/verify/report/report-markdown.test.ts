// What a person reads after verify mode: failures first with the fix that fits, "changed after
// signing" apart from "never attested", tables that fold, a summary within GitHub's 1 MiB, at
// most 10 annotations, and links where the data has them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANNOTATION_MAX, verifyAnnotations } from '../../../src/verify/report/annotations.ts';
import type { ChainVerdict } from '../../../src/verify/chain/types.ts';
import { judgeArtifacts, type BundleOutcome } from '../../../src/verify/judge.ts';
import { FAILURES_FIRST_MAX } from '../../../src/verify/report/report-failures.ts';
import { MAX_BUNDLE_ROWS, reportMarkdown } from '../../../src/verify/report/report-markdown.ts';
import {
  buildReport,
  failureLine,
  reportText,
  type ReportArtifact,
  type ReportBundle,
  type VerifyReport,
} from '../../../src/verify/report/report.ts';
import { SUMMARY_MAX_BYTES } from '../../../src/output/byte-budget.ts';
import type { VerifiedBundle } from '../../../src/verify/types.ts';

const MiB = 1024 * 1024;
const SIGNER = 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.2.0';
const PUBLIC_GOOD_LOG = 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d';
const hex = (c: string): string => c.repeat(64);
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

const verified = (
  subjects: { name: string; digest: Record<string, string> }[],
  extra: Partial<VerifiedBundle> = {},
): VerifiedBundle => ({
  certificate: {
    subjectAlternativeName: SIGNER,
    runInvocationURI: 'https://github.com/o/r/actions/runs/42/attempts/1',
  } as VerifiedBundle['certificate'],
  signedAt: new Date('2026-01-01T00:00:00Z'),
  statement: {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects,
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {},
  },
  messageDigest: undefined,
  ...extra,
});
const ok = (source: string, v: VerifiedBundle): BundleOutcome => ({
  source,
  verified: v,
  failure: undefined,
  claimed: v.statement?.subject ?? [],
});
const reportOf = (
  artifacts: { name: string; digest: Record<string, string> }[],
  outcomes: BundleOutcome[],
): VerifyReport =>
  buildReport(
    judgeArtifacts(artifacts, outcomes, () => []),
    [],
    { time: new Date('2026-11-22T00:00:00Z'), trustedRoot: 'public-good', policy: {} },
  );

const bundle = (
  source: string,
  failures: ReportBundle['failures'],
  extra: Partial<ReportBundle> = {},
): ReportBundle => ({
  source,
  signer: null,
  runnerEnvironment: null,
  predicateType: null,
  attestation: null,
  logEntry: null,
  runInvocationURI: null,
  result: failures.length === 0 ? 'PASS' : 'FAIL',
  failures,
  ...extra,
});
const report = (artifacts: ReportArtifact[], extra: Partial<VerifyReport> = {}): VerifyReport => ({
  verified: artifacts.every((a) => a.result === 'PASS'),
  time: '2026-11-22T00:00:00.000Z',
  trustedRoot: 'public-good',
  policy: {},
  artifacts,
  unusedBundles: [],
  ...extra,
});

describe('changed after signing vs never attested', () => {
  const app = { name: 'app.bin', digest: { sha256: hex('1') } };
  const other = { name: 'other.bin', digest: { sha256: hex('3') } };
  const r = reportOf(
    [app, other],
    [ok('app.sigstore.json', verified([{ name: 'app.bin', digest: { sha256: hex('2') } }]))],
  );

  it('records a namesake with another digest as artifact-changed, and an unknown name as subject-digest', () => {
    const [changed, never] = r.artifacts;
    assert.deepEqual(changed?.bundles[0]?.failures[0], {
      check: 'artifact-changed',
      expected: `a bundle whose statement lists app.bin with sha256:${hex('1')}`,
      found: `app.sigstore.json attests app.bin with sha256:${hex('2')}`,
    });
    assert.equal(changed?.bundles[0]?.source, 'app.sigstore.json');
    assert.equal(never?.bundles[0]?.failures[0]?.check, 'subject-digest');
    assert.equal(never?.bundles[0]?.source, '(no bundle)');
  });

  it('says so in the summary, each with its own fix', () => {
    const md = reportMarkdown(r);
    assert.ok(
      md.includes(
        `- \`app.bin\`: **the file changed after signing: a bundle attests its name with another digest**. \`app.sigstore.json attests app.bin with sha256:${hex('2')}\`, but the file is \`sha256:${hex('1')}\`. **Fix:** deploy the attested file, or rebuild and re-attest`,
      ),
      md,
    );
    assert.ok(md.includes('- `other.bin`: **no bundle read attests this artifact**.'), md);
  });

  it('matches a path by its file name, and marks an unverified namesake', () => {
    const nested = { name: 'dist/app.bin', digest: { sha256: hex('1') } };
    const claimed: BundleOutcome = {
      source: 'bad.json',
      verified: undefined,
      failure: { check: 'signature', expected: 'x', found: 'y' },
      claimed: [{ name: 'app.bin', digest: { sha256: hex('4') } }],
    };
    const [v] = reportOf([nested], [claimed]).artifacts;
    assert.equal(v?.bundles[0]?.failures[0]?.check, 'artifact-changed');
    assert.match(
      v?.bundles[0]?.failures[0]?.found ?? '',
      /^bad\.json attests app\.bin with sha256:4{64} \(a bundle that was not verified\)$/,
    );
  });
});

describe('the verify summary', () => {
  const tooMany = (n: number): ReportArtifact => ({
    name: 'app.bin',
    digest: { sha256: hex('a') },
    result: 'FAIL',
    bundles: Array.from({ length: n }, (_, i) =>
      bundle(
        `b${i}.json`,
        [
          {
            check: 'signer-workflow',
            expected: 'o/r/.github/workflows/release.yml',
            found: `o/r/.github/workflows/other${i}.yml`,
          },
        ],
        { signer: SIGNER, predicateType: 'https://slsa.dev/provenance/v1' },
      ),
    ),
  });

  it('shows at most 3 bundle rows per artifact, then "+N more"', () => {
    const md = reportMarkdown(report([tooMany(5)]));
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Artifact') && !l.startsWith('| ---'));
    assert.equal(rows.length, MAX_BUNDLE_ROWS + 1);
    assert.match(rows.at(-1) ?? '', /^\| \| \+2 more bundle\(s\) tried/);
  });

  it('puts the reason second and shortens the signer, the full identity in a <details>', () => {
    const md = reportMarkdown(report([tooMany(1)]));
    assert.ok(md.includes('| Artifact | Why it failed | Bundle | Signer |'));
    assert.ok(md.includes(`<details><summary>\`release.yml@v1.2.0\`</summary>\`${SIGNER}\`</details>`));
    assert.doesNotMatch(md, /^\| *\| *\|$/m, 'no empty header');
  });

  it('folds passing artifacts into a <details>, with links to the attestation, the Rekor entry and the run', () => {
    const pass = bundle('https://github.com/o/r/attestations/77', [], {
      signer: SIGNER,
      logEntry: { logIndex: '123456', logId: PUBLIC_GOOD_LOG },
      runInvocationURI: 'https://github.com/o/r/actions/runs/42/attempts/1',
    });
    const md = reportMarkdown(
      report([{ name: 'ok.bin', digest: { sha256: hex('b') }, result: 'PASS', bundles: [pass] }]),
    );
    assert.match(
      md,
      /<details><summary>✅ 1 artifact\(s\) passed<\/summary>\n\n\| Artifact \| Bundle \| Signer \| Links \|/,
    );
    assert.ok(
      md.includes(
        '[attestation](https://github.com/o/r/attestations/77) · [Rekor](https://search.sigstore.dev/?logIndex=123456) · [run](https://github.com/o/r/actions/runs/42/attempts/1)',
      ),
      md,
    );
  });

  it('links nothing the data does not vouch for', () => {
    const pass = bundle('/home/runner/work/x.json', [], {
      logEntry: { logIndex: '5', logId: 'ab'.repeat(32) },
      runInvocationURI: 'https://github.com/o/r/actions/runs/1)[x](javascript:alert(1)',
    });
    const md = reportMarkdown(
      report([{ name: 'ok.bin', digest: { sha256: hex('b') }, result: 'PASS', bundles: [pass] }]),
    );
    assert.doesNotMatch(md, /\]\(/, 'no link: another log, and a run URI that is not one');
  });

  it('carries the log entry and run of a verified bundle into the report', () => {
    const app = { name: 'app.bin', digest: { sha256: hex('1') } };
    const r = reportOf([app], [ok('a.json', verified([app], { logEntry: { logIndex: '9', logId: PUBLIC_GOOD_LOG } }))]);
    assert.deepEqual(r.artifacts[0]?.bundles[0]?.logEntry, { logIndex: '9', logId: PUBLIC_GOOD_LOG });
    assert.equal(r.artifacts[0]?.bundles[0]?.runInvocationURI, 'https://github.com/o/r/actions/runs/42/attempts/1');
    assert.ok(reportMarkdown(r).includes('[Rekor](https://search.sigstore.dev/?logIndex=9)'));
  });

  it('lists the first 20 failures, then counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ ...tooMany(1), name: `f${i}` }));
    const md = reportMarkdown(report(many));
    assert.equal(md.split('\n').filter((l) => /^- `f\d+`:/.test(l)).length, FAILURES_FIRST_MAX);
    assert.ok(md.includes('- … and 5 more failing artifact(s)'));
  });
});

describe("GitHub's limits: 300 artifacts × 14 failing bundles", () => {
  const long = (i: number, j: number): string =>
    `o/r/.github/workflows/nightly-${i}-${j}.yml@refs/heads/main ${'x'.repeat(420)}`;
  const artifacts: ReportArtifact[] = Array.from({ length: 300 }, (_, i) => ({
    name: `dist/artifact-${i}.tar.gz`,
    digest: { sha256: i.toString(16).padStart(64, '0') },
    result: 'FAIL',
    bundles: Array.from({ length: 14 }, (_, j) =>
      bundle(
        `nightly/${i}-${j}.sigstore.json`,
        [
          { check: 'signer-workflow', expected: 'o/r/.github/workflows/release.yml', found: long(i, j) },
          { check: 'source-ref', expected: 'refs/tags/v*', found: `refs/heads/main ${'y'.repeat(400)}` },
        ],
        {
          signer: `https://github.com/o/r/.github/workflows/nightly-${j}.yml@refs/heads/main`,
          predicateType: 'https://slsa.dev/provenance/v1',
        },
      ),
    ),
  }));
  const r = report(artifacts);

  it('would be over 1 MiB uncapped, and is capped under it with a closing line', () => {
    assert.ok(
      bytes(reportMarkdown(r, { maxBytes: Number.POSITIVE_INFINITY, maxRows: 1000 })) > MiB,
      'the case is big enough to matter',
    );
    const md = reportMarkdown(r, { maxRows: 1000 });
    assert.ok(bytes(md) <= SUMMARY_MAX_BYTES, `${bytes(md)} bytes`);
    assert.ok(bytes(md) < MiB);
    assert.match(
      md,
      /_Left out of this summary \(GitHub shows at most 1 MiB\): \d+ of 300 failing artifact\(s\) in the table\. Every artifact, bundle and reason is in the JSON report/,
    );
    assert.ok(
      md.startsWith(
        '## ❌ Provenance verification failed: 300 of 300 artifact(s)\n\n**What failed, and how to fix it**',
      ),
    );
    assert.ok(md.trimEnd().endsWith('._'), 'the closing line is last');
  });

  it('keeps the default summary (200 rows) under the cap too', () => {
    assert.ok(bytes(reportMarkdown(r)) <= SUMMARY_MAX_BYTES);
  });

  it('writes the failure line first and at most 10 annotations, the last counting the rest', () => {
    const a = verifyAnnotations(r, [{ image: 'dist/artifact-0.tar.gz', file: 'k8s.yaml', line: 3 }]);
    assert.ok(a);
    assert.equal(1 + a.artifacts.length, ANNOTATION_MAX);
    assert.match(
      a.failure,
      /^provenance verification failed for 300 of 300 artifact\(s\): .*To fix: use the artifact built by the workflow/,
    );
    assert.equal(a.artifacts[0]?.title, 'Provenance verification failed: dist/artifact-0.tar.gz');
    assert.match(
      a.artifacts[0]?.message ?? '',
      /^the artifact was signed by another workflow than the policy names\. Fix: /,
    );
    assert.equal(a.artifacts[1]?.file, 'k8s.yaml', 'the manifest line counts within the cap');
    assert.match(a.artifacts.at(-1)?.message ?? '', /^293 more failure annotation\(s\) left out/);
    assert.ok(
      a.artifacts.every((x) => x.message.split('\n').length <= 5),
      'each quotes at most 3 reasons',
    );
  });

  it('annotates every artifact when they fit', () => {
    const a = verifyAnnotations(report(artifacts.slice(0, 9)), []);
    assert.equal(a?.artifacts.length, 9);
    assert.ok(a?.artifacts.every((x) => x.title?.startsWith('Provenance verification failed: dist/artifact-')));
  });
});

describe('chains', () => {
  const stage = (
    label: string,
    status: ChainVerdict['stages'][number]['status'],
    failures: ChainVerdict['stages'][number]['failures'],
  ): ChainVerdict['stages'][number] => ({ label, title: label, status, attestation: undefined, failures });
  const chain = (stages: ChainVerdict['stages']): VerifyReport =>
    report([{ name: 'app', digest: { sha256: hex('a') }, result: 'FAIL', bundles: [] }], {
      verified: false,
      chains: [{ artifact: { name: 'app', digest: { sha256: hex('a') } }, passed: false, stages }],
    });
  const unreached = {
    check: 'chain-link' as const,
    expected: 'stage 3 "vex" to build on a passing stage 2 "sbom"',
    found: 'stage 2 failed, so there is nothing to link to',
  };

  it('gives a missing stage the missing-stage fix, not the wrong-signer one', () => {
    const r = chain([
      stage('provenance', 'pass', []),
      stage('sbom', 'missing', [{ check: 'chain-stage', expected: 'stage 2 "sbom": an attestation', found: 'none' }]),
      stage('vex', 'unreached', [unreached]),
    ]);
    assert.match(failureLine(r), /To fix: run that stage's attest step for this exact artifact/);
    const md = reportMarkdown(r);
    assert.ok(
      md.includes(
        '- ❌ `app`, stage 2 `sbom` missing: **a stage of the release chain has no attestation for this artifact** (`chain-stage`: ',
      ),
      md,
    );
    assert.match(md, /\*\*To fix:\*\* run that stage's attest step for this exact artifact/);
    assert.doesNotMatch(md, /signed by another workflow/);
  });

  it('blames the stage that failed, not the ones it left unreached', () => {
    const r = chain([
      stage('provenance', 'rejected', [{ check: 'signer-workflow', expected: 'release.yml', found: 'nightly.yml' }]),
      stage('sbom', 'unreached', [unreached]),
    ]);
    assert.match(failureLine(r), /To fix: use the artifact built by the workflow the policy names/);
    assert.match(
      reportText(r),
      /^What failed, and how to fix it:\n {2}app \(stage provenance\): the artifact was signed by another workflow/,
    );
  });
});

describe('the CLI text report', () => {
  it('counts bundles that list none of the artifacts in one line when everything passed', () => {
    const pass = report(
      [{ name: 'ok', digest: { sha256: hex('b') }, result: 'PASS', bundles: [bundle('a.json', [])] }],
      {
        unusedBundles: Array.from({ length: 9 }, (_, i) => ({ source: `stage${i}.json`, failure: null })),
      },
    );
    const notes = reportText(pass)
      .split('\n')
      .filter((l) => l.startsWith('note:'));
    assert.deepEqual(notes, ['note: 9 other bundle(s) read list none of the artifacts']);
  });
});
