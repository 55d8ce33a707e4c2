// The job summaries the project writes, built from realistic data through the project's own
// renderers (attestSummaryMarkdown, and reportMarkdown, which draws a chain with chainMarkdown):
// attest of 3 and of 2,000 files, verify passing, verify failing with each check kind, a release
// chain passing, with a missing stage and with a wrong signer, and 300 artifacts × 14 bundles
// failing. Shared by the rendering test (__tests__/output/summary-render.test.ts) and the
// screenshot script (scripts/summary-screenshots.ts), so both show the same set. Verify reports
// are made by buildReport from verdicts, as verify mode makes them, so a change to the report
// shape or the renderers plugs in here without touching the fixtures.

import { createHash } from 'node:crypto';
import { attestSummaryMarkdown, type AttestReport } from '../src/attest/summary.ts';
import { chainArtifactVerdict } from '../src/verify/chain/report.ts';
import type { ChainVerdict, StageResult, StageStatus } from '../src/verify/chain/types.ts';
import type { ArtifactVerdict, Attempt } from '../src/verify/judge.ts';
import { adviceFor } from '../src/verify/report/advice.ts';
import { buildReport } from '../src/verify/report/report.ts';
import { reportMarkdown } from '../src/verify/report/report-markdown.ts';
import type { CheckFailure, CheckName } from '../src/verify/types.ts';
import type { Probes } from './summary-render.ts';

export interface SummaryCase {
  /** File-name safe: the screenshot is docs/summaries/<id>.png. */
  id: string;
  title: string;
  markdown: string;
  /** `reason` and `fix` of the first failure, for failing summaries; none for passing ones. */
  probes: Probes;
}

const REPO = 'octo-org/octo-repo';
const workflowSigner = (file: string, ref = 'refs/tags/v1.2.0', repo = REPO): string =>
  `https://github.com/${repo}/.github/workflows/${file}@${ref}`;
const SIGNER = workflowSigner('release.yml');
const NIGHTLY = workflowSigner('nightly.yml', 'refs/heads/main');
const ISSUER = 'https://token.actions.githubusercontent.com';
const RUNNER_DIST = `/home/runner/work/octo-repo/octo-repo/dist`;
const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');
const TIME = new Date('2026-01-15T09:30:00.000Z');
const TRUSTED_ROOT = 'public-good (TUF, tuf-repo-cdn.sigstore.dev)';
const POLICY = {
  repository: `https://github.com/${REPO}`,
  'signer-workflow': [`${REPO}/.github/workflows/release.yml`],
  'source-ref': ['refs/tags/v*'],
};

const PLATFORMS = ['linux-amd64', 'linux-arm64', 'darwin-amd64', 'darwin-arm64', 'windows-amd64'];
const artifactName = (i: number): string =>
  `octo-cli-v1.2.0-${PLATFORMS[i % PLATFORMS.length] ?? 'any'}${i >= PLATFORMS.length ? `-${Math.floor(i / PLATFORMS.length)}` : ''}.tar.gz`;
const artifact = (i: number): ArtifactVerdict['artifact'] => ({
  name: artifactName(i),
  digest: { sha256: hex(artifactName(i)) },
});

// ---------------------------------------------------------------------------------------------
// Attest

function attestReport(files: number): AttestReport {
  return {
    predicateType: 'https://slsa.dev/provenance/v1',
    subjects: Array.from({ length: files }, (_, i) => artifact(i)),
    statementCount: 1,
    bundleFile: '/home/runner/work/_temp/provenance-8f3a2c/attestation.sigstore.json',
    signer: SIGNER,
    issuer: ISSUER,
    instance: 'public-good',
    logEntries: [{ index: '198237465', url: 'https://search.sigstore.dev/?logIndex=198237465' }],
    timestamps: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Verify

const passingAttempt = (i: number): Attempt => ({
  source: `${RUNNER_DIST}/${artifactName(i)}.sigstore.json`,
  signer: SIGNER,
  runnerEnvironment: 'github-hosted',
  attestation: hex(`statement ${i}`),
  predicateType: 'https://slsa.dev/provenance/v1',
  failures: [],
});
const passing = (i: number): ArtifactVerdict => ({
  artifact: artifact(i),
  passed: true,
  attempts: [passingAttempt(i)],
});

/** Failures found before a statement was trusted: no signer is known. */
const UNVERIFIED: ReadonlySet<CheckName> = new Set([
  'bundle-format',
  'trusted-root',
  'signature',
  'public-key',
  'certificate-chain',
  'sct',
  'tlog',
  'timestamp',
  'subject-digest',
]);

/** A realistic failure of each kind, worded as verify mode words it (src/verify/**). */
function failureOf(check: CheckName, i: number): CheckFailure {
  const name = artifactName(i);
  switch (check) {
    case 'bundle-format':
      return {
        check,
        expected: 'a Sigstore bundle as JSON (one per line in a .jsonl file)',
        found: 'invalid JSON (Unexpected token \'<\', "<!DOCTYPE "... is not valid JSON)',
      };
    case 'trusted-root':
      return {
        check,
        expected: 'tlogs[0].publicKey.validFor.start: an RFC 3339 time',
        found: 'none in trusted_root.json',
      };
    case 'signature':
      return {
        check,
        expected: "a signature that verifies with the signing certificate's key",
        found: 'one that does not (and so the DSSE envelope fails too: payload changed after signing)',
      };
    case 'public-key':
      return {
        check,
        expected: `the key the bundle was signed with (SHA-256 ${hex('key a').slice(0, 16)})`,
        found: `a different key (SHA-256 ${hex('key b').slice(0, 16)})`,
      };
    case 'certificate-chain':
      return {
        check,
        expected: 'a leaf certificate that chains to a trusted Fulcio CA valid at 2026-01-14T22:10:03Z',
        found: 'issuer O=sigstore.dev, CN=sigstore-intermediate, not among the 2 trusted certificate authorities',
      };
    case 'sct':
      return {
        check,
        expected: 'a signed certificate timestamp from a trusted CT log',
        found: `an SCT from log ${hex('ct log').slice(0, 32)}, which the trusted root does not list`,
      };
    case 'tlog':
      return {
        check,
        expected: 'an inclusion proof that verifies against a checkpoint of a trusted Rekor log',
        found: `root hash ${hex('root a')} where the checkpoint says ${hex('root b')}`,
      };
    case 'timestamp':
      return { check, expected: 'a trusted signing time', found: 'none' };
    case 'subject-digest':
      return {
        check,
        expected: `a bundle whose statement lists sha256:${hex(name)}`,
        found: 'none of the 14 bundle(s) read lists it',
      };
    case 'artifact-changed':
      return changedAfterSigning(i);
    case 'predicate-type':
      return { check, expected: 'https://slsa.dev/provenance/v1', found: 'https://spdx.dev/Document/v2.3' };
    case 'certificate-identity':
      return { check, expected: SIGNER, found: NIGHTLY };
    case 'certificate-oidc-issuer':
      return { check, expected: ISSUER, found: 'https://accounts.google.com' };
    case 'repository':
      return { check, expected: `https://github.com/${REPO}`, found: 'https://github.com/octo-fork/octo-repo' };
    case 'owner':
      return { check, expected: 'https://github.com/octo-org', found: 'https://github.com/octo-fork' };
    case 'signer-workflow':
      return { check, expected: `${REPO}/.github/workflows/release.yml`, found: NIGHTLY };
    case 'signer-repository':
      return { check, expected: REPO, found: workflowSigner('release.yml', 'refs/tags/v1.2.0', 'octo-fork/octo-repo') };
    case 'source-ref':
      return { check, expected: 'refs/tags/v*', found: 'refs/heads/feature/try-new-packaging' };
    case 'source-digest':
      return { check, expected: hex('commit a').slice(0, 40), found: hex('commit b').slice(0, 40) };
    case 'builder-id':
      return { check, expected: SIGNER, found: `${workflowSigner('release.yml', 'refs/tags/v1.1.9')}` };
    case 'runner-environment':
      return { check, expected: 'github-hosted', found: 'self-hosted' };
    case 'max-age':
      return { check, expected: 'signed within 30 days', found: '2025-11-02T17:45:12.000Z' };
    case 'predicate-matches-certificate':
      return {
        check,
        expected: "buildDefinition.externalParameters.workflow.ref = refs/tags/v1.2.0 (the certificate's source ref)",
        found: 'refs/heads/main',
      };
    case 'chain-stage':
      return {
        check,
        expected: `stage 4 "vex": an attestation of https://openvex.dev/ns/v0.2.0 for ${name}`,
        found: 'none among the 12 bundle(s) read',
      };
    case 'chain-link':
      return {
        check,
        expected: `stage 3 "vulns" to link to stage 2 "sbom": sha256:${hex('sbom statement').slice(0, 12)}…`,
        found: `links to sha256:${hex('older sbom').slice(0, 12)}…`,
      };
    case 'chain-commit':
      return {
        check,
        expected: `stage 1 "source": a Source VSA for commit ${hex('built commit').slice(0, 40)}, the commit the build provenance of ${name} names`,
        found: `Source VSAs for commit ${hex('other commit').slice(0, 40)} only`,
      };
    case 'stage-result':
      return {
        check,
        expected: 'an approval made in a deployment environment (whose reviewers let the job run)',
        found: 'a job with no deployment environment, so nobody approved it',
      };
    case 'content':
      return {
        check,
        expected: `require-chain, stage 3 ("vulns"): CEL "stages.vulns.results.all(r, r.severity != 'CRITICAL')" to be true`,
        found: 'evaluated to false; stages = {"vulns":{"results":[{"id":"CVE-2024-0001","severity":"CRITICAL"}]}}',
      };
  }
}

const failingAttempt = (
  i: number,
  failures: CheckFailure[],
  source = `${RUNNER_DIST}/${artifactName(i)}.sigstore.json`,
): Attempt => {
  const verified = failures.every((f) => !UNVERIFIED.has(f.check));
  return {
    source: failures.some((f) => f.check === 'subject-digest' && f.found.startsWith('none of'))
      ? '(no bundle)'
      : source,
    signer: verified
      ? (failures.find((f) => f.check === 'certificate-identity' || f.check === 'signer-workflow')?.found ?? SIGNER)
      : undefined,
    runnerEnvironment: verified
      ? failures.some((f) => f.check === 'runner-environment')
        ? 'self-hosted'
        : 'github-hosted'
      : undefined,
    ...(verified && { attestation: hex(`statement ${i} failing`) }),
    predicateType: verified
      ? failures.some((f) => f.check === 'predicate-type')
        ? 'https://spdx.dev/Document/v2.3'
        : 'https://slsa.dev/provenance/v1'
      : undefined,
    failures,
  };
};

/** A release of `total` artifacts whose first `failing` fail with `failures(i)` (one attempt each). */
function verifyMarkdown(verdicts: ArtifactVerdict[]): string {
  return reportMarkdown(buildReport(verdicts, [], { time: TIME, trustedRoot: TRUSTED_ROOT, policy: POLICY }));
}

/** A file changed after signing: its bundle lists the name with the digest it had when signed. */
function changedAfterSigning(i: number): CheckFailure {
  const name = artifactName(i);
  // As judge.ts words it when a bundle lists the artifact's name with another digest.
  return {
    check: 'artifact-changed',
    expected: `a bundle whose statement lists ${name} with sha256:${hex(name)}`,
    found: `dist/multiple.intoto.jsonl attests ${name} with sha256:${hex(`${name} as signed`)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Chains

const STAGES = [
  {
    label: 'provenance',
    title: 'SLSA provenance',
    workflow: 'release.yml',
    predicateType: 'https://slsa.dev/provenance/v1',
  },
  { label: 'sbom', title: 'SBOM', workflow: 'sbom.yml', predicateType: 'https://spdx.dev/Document/v2.3' },
  {
    label: 'vulns',
    title: 'vulnerability scan',
    workflow: 'scan.yml',
    predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  },
  { label: 'vex', title: 'VEX', workflow: 'vex.yml', predicateType: 'https://openvex.dev/ns/v0.2.0' },
  {
    label: 'approval',
    title: 'approval',
    workflow: 'approve.yml',
    predicateType: 'https://github.com/octo-org/approval/v1',
  },
] as const;

/** Five stages of artifact i, passing unless `failed` says how one stage failed (the later ones are then unreached). */
function chain(
  i: number,
  failed?: {
    stage: number;
    status: Exclude<StageStatus, 'pass' | 'unreached'>;
    failures: CheckFailure[];
    signer?: string;
  },
): ChainVerdict {
  const name = artifactName(i);
  const stages: StageResult[] = STAGES.map((s, n) => {
    const status: StageStatus =
      failed === undefined || n < failed.stage ? 'pass' : n === failed.stage ? failed.status : 'unreached';
    const before = STAGES[n - 1];
    const failures =
      status === 'pass'
        ? []
        : n === failed?.stage
          ? failed.failures
          : [
              {
                check: 'chain-link' as const,
                expected: `stage ${n + 1} "${s.label}" to build on a passing stage ${n} "${before?.label ?? ''}"`,
                found: `stage ${n} failed, so there is nothing to link to`,
              },
            ];
    return {
      label: s.label,
      title: s.title,
      status,
      attestation:
        status === 'missing'
          ? undefined
          : {
              source: `release v1.2.0 asset ${name}.${s.label}.sigstore.json`,
              digest: `sha256:${hex(`${name} ${s.label}`)}`,
              predicateType: s.predicateType,
              signer: n === failed?.stage && failed.signer !== undefined ? failed.signer : workflowSigner(s.workflow),
              runnerEnvironment: 'github-hosted',
            },
      failures,
    };
  });
  return { artifact: artifact(i), passed: stages.every((s) => s.status === 'pass'), stages };
}

function chainMarkdownOf(chains: ChainVerdict[]): string {
  return reportMarkdown(
    buildReport(chains.map(chainArtifactVerdict), [], {
      time: TIME,
      trustedRoot: TRUSTED_ROOT,
      policy: { ...POLICY, 'require-chain': STAGES.map((s) => s.label) },
      chains,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Probes

/**
 * The fix shown for a failure: the start of the advice verify mode gives for it (enough words
 * to be unmistakable, short enough to survive rewording of its tail).
 */
export function fixFor(failure: CheckFailure): string {
  const advice = adviceFor(failure).fix;
  const cut = advice.slice(0, 48);
  return cut.length < advice.length ? cut.slice(0, cut.lastIndexOf(' ')) : cut;
}

/**
 * The first failure's reason is found by its check's name: what was found (a signer, a digest)
 * also shows in other columns, where it is no reason at all. A renderer that words the reason
 * without the name adds its words here.
 */
const failureProbes = (f: CheckFailure): Probes => ({ reason: [f.check], fix: [fixFor(f)] });

// ---------------------------------------------------------------------------------------------
// The set

/** Check kinds in CheckName's order: a verify summary failing with each. */
export const CHECK_KINDS: readonly CheckName[] = [
  'bundle-format',
  'trusted-root',
  'signature',
  'public-key',
  'certificate-chain',
  'sct',
  'tlog',
  'timestamp',
  'subject-digest',
  'predicate-type',
  'certificate-identity',
  'certificate-oidc-issuer',
  'repository',
  'owner',
  'signer-workflow',
  'signer-repository',
  'source-ref',
  'source-digest',
  'builder-id',
  'runner-environment',
  'max-age',
  'predicate-matches-certificate',
  'chain-stage',
  'chain-link',
  'stage-result',
];

export function summaryCases(): SummaryCase[] {
  const cases: SummaryCase[] = [
    { id: 'attest-3-files', title: 'attest: 3 files', markdown: attestSummaryMarkdown(attestReport(3)), probes: {} },
    {
      id: 'attest-2000-files',
      title: 'attest: 2,000 files',
      markdown: attestSummaryMarkdown(attestReport(2000)),
      probes: {},
    },
    {
      id: 'verify-pass',
      title: 'verify: 5 artifacts pass',
      markdown: verifyMarkdown([0, 1, 2, 3, 4].map(passing)),
      probes: {},
    },
  ];
  for (const check of CHECK_KINDS) {
    const failure = failureOf(check, 0);
    cases.push({
      id: `verify-fail-${check}`,
      title: check === 'subject-digest' ? 'verify: subject-digest (never attested)' : `verify: ${check}`,
      markdown: verifyMarkdown([
        { artifact: artifact(0), passed: false, attempts: [failingAttempt(0, [failure])] },
        passing(1),
        passing(2),
      ]),
      probes: failureProbes(failure),
    });
  }
  const changed = changedAfterSigning(0);
  cases.push({
    id: 'verify-fail-changed-after-signing',
    title: 'verify: subject-digest (changed after signing)',
    markdown: verifyMarkdown([
      {
        artifact: artifact(0),
        passed: false,
        attempts: [failingAttempt(0, [changed], `${RUNNER_DIST}/multiple.intoto.jsonl`)],
      },
      passing(1),
      passing(2),
    ]),
    probes: failureProbes(changed),
  });

  cases.push({
    id: 'chain-pass',
    title: 'chain: 3 artifacts × 5 stages pass',
    markdown: chainMarkdownOf([0, 1, 2].map((i) => chain(i))),
    probes: {},
  });
  const missing = failureOf('chain-stage', 0);
  cases.push({
    id: 'chain-missing-stage',
    title: 'chain: VEX stage missing',
    markdown: chainMarkdownOf([chain(0, { stage: 3, status: 'missing', failures: [missing] }), chain(1), chain(2)]),
    probes: failureProbes(missing),
  });
  const wrongSigner: CheckFailure = {
    check: 'signer-workflow',
    expected: `stage 2 "sbom" (release v1.2.0 asset ${artifactName(0)}.sbom.sigstore.json): ${REPO}/.github/workflows/sbom.yml`,
    found: NIGHTLY,
  };
  cases.push({
    id: 'chain-wrong-signer',
    title: 'chain: SBOM stage signed by the wrong workflow',
    markdown: chainMarkdownOf([
      chain(0, { stage: 1, status: 'rejected', failures: [wrongSigner], signer: NIGHTLY }),
      chain(1),
      chain(2),
    ]),
    probes: failureProbes(wrongSigner),
  });

  // 300 artifacts, each claimed by the 14 nightly bundles of the last two weeks, none by a release build.
  const nightly = (i: number): CheckFailure[] => [
    failureOf('signer-workflow', i),
    { check: 'source-ref', expected: 'refs/tags/v*', found: 'refs/heads/main' },
  ];
  const many = Array.from({ length: 300 }, (_, i): ArtifactVerdict => ({
    artifact: artifact(i),
    passed: false,
    attempts: Array.from({ length: 14 }, (_, d) =>
      failingAttempt(
        i,
        nightly(i),
        `release nightly-2026-01-${String(d + 1).padStart(2, '0')} asset ${artifactName(i)}.sigstore.json`,
      ),
    ),
  }));
  const first = nightly(0)[0];
  cases.push({
    id: 'verify-300-artifacts-14-bundles',
    title: 'verify: 300 artifacts × 14 bundles failing',
    markdown: verifyMarkdown(many),
    probes: first ? failureProbes(first) : {},
  });
  return cases;
}
