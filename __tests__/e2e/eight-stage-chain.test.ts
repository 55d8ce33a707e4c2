// The whole chain of issue #18, made by the action and checked by it: a Source VSA for the commit
// (read from the GitHub stand-in's ruleset and the reviewed pull request), build provenance from a
// tag, SBOM, vulnerability scan, VEX, a policy evaluation, the production approval and the
// deployment, each a run of the bundled action (dist/index.js) against the local Sigstore stack;
// then verify mode with an eight-line require-chain whose stages carry `cel=` content policies.
// Every stage is attested once; the variants below only change the require-chain or swap in a
// bundle attested for that purpose, since verify runs are cheap and attest runs are not.
// - the chain verifies, the report holds each expression's result, and the Mermaid graph of the
//   verdict passes Mermaid's own parser;
// - for each stage, content its `cel=` rejects fails the gate naming `stage N "<label>"` and the
//   expression (realistic violations: a scan with a CRITICAL finding, a VEX without impact
//   statements, an approval by someone who is not a release manager, …; and for the provenance a
//   build from a branch, and for the policy a CRITICAL finding the VEX does not cover);
// - a source stage on an unprotected branch gets level 1, with the reasons in the predicate's
//   evidence, and a chain that requires level 3 then fails.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { validateMermaid } from '../../testkit/mermaid.ts';
import { REPO_ROOT, runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { releaseWorkspace, verifyChain as verifyChainStep } from '../../testkit/release-scene.ts';

let services: LocalServices;
let github: GitHubApiStandIn; // a stand-in for GitHub's REST API (no real one is reachable here)
let scratch: string;
let ws: string;

const REPO = 'octo-org/octo-repo';
const workflow = (file: string): string => `${REPO}/.github/workflows/${file}`;
const EVIDENCE = 'https://provenance-action.github.io/attestation/github-source-controls/v1';
const APPROVAL = 'https://provenance-action.github.io/attestation/github-approval/v1';

// Stage documents, in the formats the tools of each stage write (small).
const SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'app',
  documentNamespace: 'https://example.com/app-1.2.0',
  creationInfo: { created: '2026-11-01T00:00:00Z', creators: ['Tool: syft-1.0'] },
  packages: [
    {
      name: 'left-pad',
      SPDXID: 'SPDXRef-left-pad',
      versionInfo: '1.3.0',
      downloadLocation: 'NOASSERTION',
      licenseConcluded: 'MIT',
    },
    {
      name: 'readline-ng',
      SPDXID: 'SPDXRef-readline-ng',
      versionInfo: '8.2.0',
      downloadLocation: 'NOASSERTION',
      licenseConcluded: 'GPL-3.0-only',
    },
  ],
};
/** Trivy JSON with the given findings. */
const trivy = (findings: [id: string, severity: string][]) => ({
  SchemaVersion: 2,
  Trivy: { Version: '0.58.1' },
  CreatedAt: '2026-11-01T00:00:00Z',
  ArtifactName: 'app.tar.gz',
  ArtifactType: 'filesystem',
  Results: [
    {
      Target: 'package-lock.json',
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: findings.map(([id, severity]) => ({
        VulnerabilityID: id,
        PkgName: 'left-pad',
        InstalledVersion: '1.3.0',
        Status: 'affected',
        Severity: severity,
      })),
    },
  ],
});
const OPENVEX = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex-1',
  author: 'security@example.com',
  timestamp: '2026-11-01T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'CVE-2026-0001' },
      products: [{ '@id': 'pkg:generic/app@1.2.0' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
};
// conftest --output json, every rule passing (one warning).
const CONFTEST = [
  {
    filename: 'deploy/deployment.yaml',
    namespace: 'main',
    successes: 5,
    warnings: [{ msg: 'Deployment app has no resource limits' }],
  },
];

interface Stage {
  label: string;
  signer: string; // workflow file
  ref: string; // the ref the signing job ran on
  inputs: Record<string, string>;
  claims?: Record<string, string>;
}

const TAG = 'refs/tags/v1.2.0';
const PROD = { environment: 'production' };
const STAGES: Stage[] = [
  { label: 'source', signer: 'source.yml', ref: 'refs/heads/main', inputs: { stage: 'source' } },
  { label: 'provenance', signer: 'release.yml', ref: TAG, inputs: { 'subject-path': 'app.tar.gz' } },
  { label: 'sbom', signer: 'release.yml', ref: TAG, inputs: { stage: 'sbom', 'predicate-path': 'sbom.spdx.json' } },
  { label: 'vulns', signer: 'scan.yml', ref: TAG, inputs: { stage: 'vulns', 'predicate-path': 'trivy.json' } },
  { label: 'vex', signer: 'scan.yml', ref: TAG, inputs: { stage: 'vex', 'predicate-path': 'app.openvex.json' } },
  { label: 'policy', signer: 'scan.yml', ref: TAG, inputs: { stage: 'policy', 'predicate-path': 'policy.json' } },
  { label: 'approval', signer: 'deploy.yml', ref: TAG, inputs: { stage: 'approval' }, claims: PROD },
  {
    label: 'deployment',
    signer: 'deploy.yml',
    ref: TAG,
    inputs: { stage: 'deployment', 'deployment-target': 'prod-eu-1', 'deployment-namespace': 'shop' },
    claims: PROD,
  },
];
const stageNamed = (label: string): Stage => STAGES.find((s) => s.label === label) ?? assert.fail(label);
const bundleOf = (label: string, variant = ''): string => `${label}${variant}.sigstore.json`;

// The content policies of the passing chain: the README's, and one more on the SBOM and the deployment.
const AT_LEAST_L3 = "predicate.verifiedLevels.exists(l, l in ['SLSA_SOURCE_LEVEL_3', 'SLSA_SOURCE_LEVEL_4'])";
const FROM_TAG = "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')";
const NO_DENIED_LICENCE = "!predicate.packages.exists(p, p.licenseConcluded in ['AGPL-3.0-only', 'SSPL-1.0'])";
const CRITICAL_ONLY_IF_NOT_AFFECTED =
  "stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)";
const IN_PRODUCTION = "predicate.environment == 'production' && predicate.target.cluster.startsWith('prod-')";
const CEL: Record<string, string[]> = {
  source: [AT_LEAST_L3],
  provenance: [FROM_TAG],
  sbom: [NO_DENIED_LICENCE],
  policy: [CRITICAL_ONLY_IF_NOT_AFFECTED],
  deployment: [IN_PRODUCTION],
};

/** The require-chain text: every stage's line with its signer, environment and `cel=`s (or `cel` per label). */
function chainText(cel: Record<string, string[]> = CEL, labels = STAGES.map((s) => s.label)): string {
  return labels
    .map((label) => {
      const stage = stageNamed(label);
      const env = stage.claims?.['environment'] ? ` environment=${stage.claims['environment']}` : '';
      const exprs = (cel[label] ?? []).map((e) => ` cel="${e}"`).join('');
      return `${label} signer-workflow=${workflow(stage.signer)}${env}${exprs}`;
    })
    .join('\n');
}

async function attestStage(
  stage: Stage,
  links: string,
  options: { variant?: string; claims?: Record<string, string>; inputs?: Record<string, string> } = {},
): Promise<ActionRun> {
  const ref = `${workflow(stage.signer)}@${stage.ref}`;
  const defaults = services.issuer.claims;
  services.issuer.claims = {
    ...defaults,
    ref: stage.ref,
    workflow_ref: ref,
    job_workflow_ref: ref,
    event_name: 'push',
    ...stage.claims,
    ...options.claims,
  };
  try {
    const subject = stage.label === 'source' ? {} : { 'subject-path': 'app.tar.gz' };
    return await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: github.url },
      inputs: {
        ...subject,
        sigstore: 'signing.json',
        'bundle-path': bundleOf(stage.label, options.variant),
        'attestations-api': 'false',
        ...(links ? { links } : {}),
        ...stage.inputs,
        ...options.inputs,
      },
    });
  } finally {
    services.issuer.claims = defaults;
  }
}

function verifyChain(bundles: readonly string[], chain = chainText()): Promise<ActionRun> {
  const gate = { services, scratch, ws, repository: REPO, env: { GITHUB_API_URL: github.url } };
  return verifyChainStep(gate, bundles, chain);
}

const chainBundles = (): string[] => STAGES.map((s) => bundleOf(s.label));
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function statement(file: string) {
  return statementOf(readBundles(await readFile(path.join(ws, file), 'utf8'))[0] ?? assert.fail('no bundle'));
}

before(async () => {
  services = await startLocalServices();
  github = await startGitHubApi({ repositories: [REPO] });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'eight-stage-e2e-'));
  ws = await releaseWorkspace(services, scratch);
  await writeFile(path.join(ws, 'sbom.spdx.json'), JSON.stringify(SPDX));
  await writeFile(
    path.join(ws, 'trivy.json'),
    JSON.stringify(
      trivy([
        ['CVE-2026-0001', 'CRITICAL'],
        ['CVE-2026-0100', 'MEDIUM'],
      ]),
    ),
  );
  await writeFile(
    path.join(ws, 'trivy-new-critical.json'),
    JSON.stringify(
      trivy([
        ['CVE-2026-0001', 'CRITICAL'],
        ['CVE-2026-0002', 'CRITICAL'],
      ]),
    ),
  );
  await writeFile(path.join(ws, 'app.openvex.json'), JSON.stringify(OPENVEX));
  await writeFile(path.join(ws, 'policy.json'), JSON.stringify(CONFTEST));
  // main: force pushes and deletion blocked, a required check and a required review, nobody may bypass;
  // the commit came in through pull request 7, by alice, approved by bob.
  github.source.rulesets.set(`${REPO}#main`, [
    { id: 42, nonFastForward: true, deletion: true, approvals: 1, statusChecks: ['ci/test'], bypassActors: [] },
  ]);
  github.source.pulls.set(REPO, [
    {
      number: 7,
      author: 'alice',
      base: 'main',
      mergeCommitSha: services.issuer.claims.sha,
      reviews: [{ reviewer: 'bob', state: 'APPROVED' }],
    },
  ]);
  // The chain: each stage after the build links to the stage before; the source joins by the commit.
  for (const [i, stage] of STAGES.entries()) {
    const prev = i >= 2 ? STAGES[i - 1] : undefined;
    const run = await attestStage(stage, prev ? bundleOf(prev.label) : '');
    assert.equal(run.code, 0, `${stage.label}: ${run.stdout}`);
  }
  // For the variants: the build from a branch; a scan with a second CRITICAL the VEX does not cover,
  // with its VEX and policy stages; the Source VSA of the same commit once the ruleset is gone.
  const variants: [Stage, string, Parameters<typeof attestStage>[2]][] = [
    [{ ...stageNamed('provenance'), ref: 'refs/heads/main' }, '', { variant: '-branch' }],
    [
      stageNamed('vulns'),
      bundleOf('sbom'),
      { variant: '-new-critical', inputs: { 'predicate-path': 'trivy-new-critical.json' } },
    ],
    [stageNamed('vex'), bundleOf('vulns', '-new-critical'), { variant: '-new-critical' }],
    [stageNamed('policy'), bundleOf('vex', '-new-critical'), { variant: '-new-critical' }],
  ];
  for (const [stage, links, options] of variants) {
    const run = await attestStage(stage, links, options);
    assert.equal(run.code, 0, `${stage.label}${options?.variant}: ${run.stdout}`);
  }
  const saved = [...github.source.rulesets.entries()];
  github.source.rulesets.clear();
  try {
    const run = await attestStage(stageNamed('source'), '', { variant: '-unprotected' });
    assert.equal(run.code, 0, run.stdout);
  } finally {
    for (const [k, v] of saved) github.source.rulesets.set(k, v);
  }
});
after(async () => {
  await Promise.all([services.stop(), github.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

describe('an eight-stage chain from the commit to the deployment, with content policies', () => {
  it('records each stage with its own predicate type, the Source VSA at level 4', async () => {
    const statements = await Promise.all(chainBundles().map(statement));
    assert.deepEqual(
      statements.map((s) => s.predicateType),
      [
        'https://slsa.dev/verification_summary/v1',
        'https://slsa.dev/provenance/v1',
        'https://spdx.dev/Document/v2.3',
        'https://in-toto.io/attestation/vulns/v0.2',
        'https://openvex.dev/ns/v0.2.0',
        'https://in-toto.io/attestation/test-result/v0.1',
        'https://in-toto.io/attestation/human-review/v0.1',
        'https://provenance-action.github.io/attestation/deployment/v1',
      ],
    );
    assert.deepEqual(statements[0]?.predicate['verifiedLevels'], ['SLSA_SOURCE_LEVEL_4']);
    assert.deepEqual(statements[0]?.subject[0]?.digest, { gitCommit: services.issuer.claims.sha });
  });

  it('verifies end to end, every expression true, and the graph passes Mermaid’s parser', async () => {
    const run = await verifyChain(chainBundles());
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
    const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
    const chain = report.chains?.[0];
    assert.deepEqual(
      chain?.stages.map((s) => [s.label, s.status]),
      STAGES.map((s) => [s.label, 'pass']),
    );
    assert.equal(chain?.commit, services.issuer.claims.sha);
    // Each expression's result, per stage.
    const content = chain?.stages.map((s) => [s.label, (s.content ?? []).map((c) => [c.expression, c.result])]);
    assert.deepEqual(
      content,
      STAGES.map((s) => [s.label, (CEL[s.label] ?? []).map((e) => [e, true])]),
    );
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1];
    assert.ok(graph, run.summary);
    assert.match(graph, /8\. deployment<br>pass/);
    assert.deepEqual(await validateMermaid(graph), { ok: true, diagramType: 'flowchart-v2' });
  });

  it("passes the README's admission gate: its require-chain's cel= expressions, as written, over this chain", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/require-chain: \|\n((?: {12}\S.*\n)+)/g)].map((m) => m[1] ?? '');
    const gate = blocks.find((b) => /^\s*deployment /m.test(b)) ?? assert.fail('no eight-stage gate in the README');
    const cel: Record<string, string[]> = {};
    for (const line of gate.trim().split('\n')) {
      const label = line.trim().split(/\s+/)[0] ?? '';
      cel[label] = [...line.matchAll(/ cel="((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(["\\])/g, '$1'));
    }
    assert.deepEqual(
      Object.keys(cel),
      STAGES.map((s) => s.label),
    );
    assert.ok(Object.values(cel).flat().length >= 3, JSON.stringify(cel));
    const run = await verifyChain(chainBundles(), chainText(cel));
    assert.equal(run.code, 0, run.stdout);
    // And the README's source policy refuses the level-1 Source VSA of an unprotected branch.
    const bundles = chainBundles();
    bundles[0] = bundleOf('source', '-unprotected');
    const refused = await verifyChain(bundles, chainText(cel));
    assert.match(refused.errors.at(-1) ?? '', /stage "source" rejected \(content: expected stage 1 "source"/);
  });

  // For each stage, a policy its content does not meet.
  // For each stage, a policy its content does not meet, and what the failure shows it saw.
  const violations: [label: string, expression: string, why: string, seen: string][] = [
    [
      'source',
      `predicate['${EVIDENCE}'].pullRequest.approvers.size() >= 2`,
      'one approver, not two',
      `predicate["${EVIDENCE}"].pullRequest.approvers = ["bob"]`,
    ],
    [
      'provenance',
      "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/v2.')",
      'built from v1.2.0, not a v2 tag',
      'predicate.buildDefinition.externalParameters.workflow.ref = "refs/tags/v1.2.0"',
    ],
    [
      'sbom',
      "!predicate.packages.exists(p, p.licenseConcluded in ['GPL-3.0-only'])",
      'the SBOM lists a GPL package',
      '"licenseConcluded":"GPL-3.0-only"',
    ],
    [
      'vulns',
      "predicate.scanner.result.all(r, !r.severity.exists(s, s.score == 'CRITICAL'))",
      'the scan found a CRITICAL',
      '{"id":"CVE-2026-0001","severity":[{"method":"trivy","score":"CRITICAL"}]}',
    ],
    [
      'vex',
      "predicate.statements.all(s, s.status != 'not_affected' || has(s.impact_statement))",
      'not_affected without an impact statement',
      '"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]',
    ],
    [
      'policy',
      "stages.vulns.results.all(r, r.severity != 'CRITICAL')",
      'no CRITICAL at all, VEX or not',
      'stages.vulns.results = [{"id":"CVE-2026-0001","severity":"CRITICAL"},',
    ],
    [
      'approval',
      `predicate['${APPROVAL}'].actor in ['release-manager']`,
      'approved by someone else',
      `predicate["${APPROVAL}"].actor = "octocat"`,
    ],
    [
      'deployment',
      "predicate.target.namespace == 'shop-prod'",
      'deployed to another namespace',
      'predicate.target.namespace = "shop"',
    ],
  ];
  for (const [label, expression, why, seen] of violations) {
    const n = STAGES.findIndex((s) => s.label === label) + 1;
    it(`fails naming stage ${n} "${label}" and the expression when its content violates it (${why})`, async () => {
      const run = await verifyChain(chainBundles(), chainText({ ...CEL, [label]: [expression] }));
      assert.equal(run.code, 1, run.stdout);
      const error = run.errors.at(-1) ?? '';
      assert.match(error, new RegExp(`stage "${label}" rejected \\(content: expected stage ${n} "${label}"`));
      assert.ok(error.includes(`CEL "${expression}" to be true, found evaluated to false;`), error);
      assert.ok(error.includes(seen), error);
      const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
      const stage = report.chains?.[0]?.stages[n - 1];
      assert.equal(stage?.status, 'rejected');
      assert.deepEqual(
        stage?.content?.map((c) => [c.expression, c.result]),
        [[expression, false]],
      );
    });
  }

  it('fails a build from a branch, naming stage 2 "provenance" and the tag expression', async () => {
    const run = await verifyChain(
      [bundleOf('source'), bundleOf('provenance', '-branch')],
      chainText(CEL, ['source', 'provenance']),
    );
    assert.equal(run.code, 1, run.stdout);
    const error = run.errors.at(-1) ?? '';
    assert.match(error, /stage "provenance" rejected \(content: expected stage 2 "provenance"/);
    assert.ok(error.includes(FROM_TAG), error);
    assert.match(error, /refs\/heads\/main/);
  });

  it('fails the gate on a CRITICAL finding the VEX does not cover, naming stage 6 "policy"', async () => {
    const gate = ['source', 'provenance', 'sbom', 'vulns', 'vex', 'policy'];
    const bundles = gate.map((l) => bundleOf(l, ['vulns', 'vex', 'policy'].includes(l) ? '-new-critical' : ''));
    const run = await verifyChain(bundles, chainText(CEL, gate));
    assert.equal(run.code, 1, run.stdout);
    const error = run.errors.at(-1) ?? '';
    assert.match(error, /stage "policy" rejected \(content: expected stage 6 "policy"/);
    assert.ok(error.includes(CRITICAL_ONLY_IF_NOT_AFFECTED), error);
    assert.match(error, /CVE-2026-0002/);
    // The same gate over the first scan (its CRITICAL is not_affected) passes.
    const ok = await verifyChain(
      gate.map((l) => bundleOf(l)),
      chainText(CEL, gate),
    );
    assert.equal(ok.code, 0, ok.stdout);
  });
});

describe('a source stage on an unprotected branch', () => {
  it('gets level 1, with the reasons in the evidence', async () => {
    const s = await statement(bundleOf('source', '-unprotected'));
    assert.deepEqual(s.predicate['verifiedLevels'], ['SLSA_SOURCE_LEVEL_1']);
    const evidence = s.predicate[EVIDENCE] as { level: number; reasons: string[] };
    assert.equal(evidence.level, 1);
    assert.ok(
      evidence.reasons.some((r) => /level 2 needs force pushes and deletion blocked/.test(r)),
      JSON.stringify(evidence.reasons),
    );
  });

  it('fails a chain that requires level 3, naming stage 1 "source" and the expression', async () => {
    const bundles = chainBundles();
    bundles[0] = bundleOf('source', '-unprotected');
    const run = await verifyChain(bundles);
    assert.equal(run.code, 1, run.stdout);
    const error = run.errors.at(-1) ?? '';
    assert.match(error, /stage "source" rejected \(content: expected stage 1 "source"/);
    assert.ok(error.includes(AT_LEAST_L3), error);
    assert.match(error, new RegExp(escape('SLSA_SOURCE_LEVEL_1')));
    // Without the level policy the level-1 source still joins the chain: the expression is what refused it.
    const loose = await verifyChain(bundles, chainText({ ...CEL, source: [] }));
    assert.equal(loose.code, 0, loose.stdout);
  });
});
