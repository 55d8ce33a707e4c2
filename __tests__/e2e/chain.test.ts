// A release chain as users make it: five attest steps (build provenance, SBOM, vulnerability
// scan, VEX, approval), each a run of the bundled action (dist/index.js) signed by its own
// workflow against the local Sigstore stack, each linking to the stage before; then verify mode
// with require-chain as the deploy gate. Removing or replacing any one stage's bundle, or a
// stage signed by a workflow its policy does not allow, fails naming that stage.

import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, STAND_IN_TOKEN, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { validateMermaid } from '../../testkit/mermaid.ts';
import { REPO_ROOT, runAction, runProcess, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { releaseWorkspace, verifyChain as verifyChainStep } from '../../testkit/release-scene.ts';

let services: LocalServices;
let github: GitHubApiStandIn; // a stand-in for GitHub's REST API (no real one is reachable here)
let scratch: string;
let ws: string;

const workflow = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;

interface Stage {
  label: string;
  signer: string; // workflow file
  inputs: Record<string, string>;
  claims?: Record<string, string>;
}

// Stage documents, as the tools of each stage write them (small but in their real formats).
const SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'app',
  documentNamespace: 'https://example.com/app-1.2.0',
  creationInfo: { created: '2026-11-01T00:00:00Z', creators: ['Tool: syft-1.0'] },
  packages: [{ name: 'left-pad', SPDXID: 'SPDXRef-left-pad', versionInfo: '1.3.0', downloadLocation: 'NOASSERTION' }],
};
const SARIF = {
  version: '2.1.0',
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  runs: [
    {
      tool: {
        driver: {
          name: 'Trivy',
          version: '0.50.0',
          informationUri: 'https://github.com/aquasecurity/trivy',
          rules: [{ id: 'CVE-2026-0001', properties: { 'security-severity': '7.5' } }],
        },
      },
      results: [{ ruleId: 'CVE-2026-0001', level: 'error', message: { text: 'left-pad 1.3.0' } }],
    },
  ],
};
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

const STAGES: Stage[] = [
  { label: 'provenance', signer: 'release.yml', inputs: {} },
  { label: 'sbom', signer: 'release.yml', inputs: { stage: 'sbom', 'predicate-path': 'sbom.spdx.json' } },
  { label: 'vulns', signer: 'scan.yml', inputs: { stage: 'vulns', 'predicate-path': 'scan.sarif' } },
  { label: 'vex', signer: 'scan.yml', inputs: { stage: 'vex', 'predicate-path': 'app.openvex.json' } },
  { label: 'approval', signer: 'deploy.yml', inputs: { stage: 'approval' }, claims: { environment: 'production' } },
];

const bundleOf = (label: string, variant = ''): string => `${label}${variant}.sigstore.json`;

async function attestStage(
  stage: Stage,
  options: {
    links: string;
    variant?: string;
    runAttempt?: string;
    signer?: string;
    subject?: string;
    extra?: Record<string, string>;
  },
): Promise<ActionRun> {
  const ref = `${workflow(options.signer ?? stage.signer)}@refs/tags/v1.2.0`;
  const defaults = services.issuer.claims;
  services.issuer.claims = {
    ...defaults,
    workflow_ref: ref,
    job_workflow_ref: ref,
    run_attempt: options.runAttempt ?? '1',
    ...stage.claims,
  };
  try {
    return await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: github.url },
      // Bundle files only, unless a test asks for the attestations API: the chain tests remove and replace files.
      inputs: {
        'subject-path': options.subject ?? 'app.tar.gz',
        sigstore: 'signing.json',
        'bundle-path': bundleOf(stage.label, options.variant),
        links: options.links,
        'attestations-api': 'false',
        ...stage.inputs,
        ...options.extra,
      },
    });
  } finally {
    services.issuer.claims = defaults;
  }
}

const CHAIN = STAGES.map((s) => `${s.label} signer-workflow=${workflow(s.signer)}`).join('\n');

function verifyChain(
  bundles: readonly string[],
  chain = CHAIN,
  extra: Record<string, string> = {},
): Promise<ActionRun> {
  const gate = { services, scratch, ws, repository: 'octo-org/octo-repo', env: { GITHUB_API_URL: github.url } };
  return verifyChainStep(gate, bundles, chain, extra);
}

const chainBundles = (): string[] => STAGES.map((s) => bundleOf(s.label));

before(async () => {
  services = await startLocalServices();
  github = await startGitHubApi({ repositories: ['octo-org/octo-repo'] });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'chain-e2e-'));
  ws = await releaseWorkspace(services, scratch);
  await writeFile(path.join(ws, 'lib.tar.gz'), 'another release');
  await writeFile(path.join(ws, 'sbom.spdx.json'), JSON.stringify(SPDX));
  await writeFile(path.join(ws, 'scan.sarif'), JSON.stringify(SARIF));
  await writeFile(path.join(ws, 'app.openvex.json'), JSON.stringify(OPENVEX));
  // The chain, each stage linking to the bundle of the stage before.
  for (const [i, stage] of STAGES.entries()) {
    const before = STAGES[i - 1];
    const run = await attestStage(stage, { links: before ? bundleOf(before.label) : '' });
    assert.equal(run.code, 0, `${stage.label}: ${run.stdout}`);
  }
  // Replacements: each stage attested again in a second run attempt, linking to nothing.
  for (const stage of STAGES) {
    const run = await attestStage(stage, { links: '', variant: '-rerun', runAttempt: '2' });
    assert.equal(run.code, 0, `${stage.label} rerun: ${run.stdout}`);
  }
});
after(async () => {
  await Promise.all([services.stop(), github.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

describe('a five-stage release chain made by the action', () => {
  it('records each stage with its own predicate type and a link to the stage before', async () => {
    const statements = await Promise.all(
      STAGES.map(async (s) =>
        statementOf(
          readBundles(await readFile(path.join(ws, bundleOf(s.label)), 'utf8'))[0] ?? assert.fail('no bundle'),
        ),
      ),
    );
    assert.deepEqual(
      statements.map((s) => s.predicateType),
      [
        'https://slsa.dev/provenance/v1',
        'https://spdx.dev/Document/v2.3',
        'https://in-toto.io/attestation/vulns/v0.2',
        'https://openvex.dev/ns/v0.2.0',
        'https://in-toto.io/attestation/human-review/v0.1',
      ],
    );
    // The SBOM stage's predicate is the SBOM, with the link as an extension field.
    assert.equal(statements[1]?.predicate['spdxVersion'], 'SPDX-2.3');
    const approval = statements[4]?.predicate;
    assert.equal(approval?.['result'], 'pass');
    assert.deepEqual(approval?.['https://provenance-action.github.io/attestation/github-approval/v1'], {
      environment: 'production',
      actor: services.issuer.claims.actor,
    });
  });

  it('verifies end to end: every stage found, signed by its workflow, linked to the one before', async () => {
    const run = await verifyChain(chainBundles());
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['verified'], 'true');
    const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
    assert.deepEqual(
      report.chains?.[0]?.stages.map((s) => [s.label, s.status]),
      STAGES.map((s) => [s.label, 'pass']),
    );
    assert.match(run.summary, /^## Release chain verified: 1 artifact\(s\)/m);
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1];
    assert.ok(graph, run.summary);
    const parsed = await validateMermaid(graph);
    assert.deepEqual(parsed, { ok: true, diagramType: 'flowchart-v2' });
  });

  for (const [i, stage] of STAGES.entries()) {
    it(`fails naming stage ${i + 1} (${stage.label}) when its bundle is removed`, async () => {
      const run = await verifyChain(chainBundles().filter((_, j) => j !== i));
      assert.equal(run.code, 1);
      assert.match(
        run.errors.at(-1) ?? '',
        new RegExp(
          `^::error::release chain broken for 1 of 1 artifact\\(s\\): app\\.tar\\.gz: stage "${stage.label}" missing \\(chain-stage: expected stage ${i + 1} "${stage.label}"`,
        ),
      );
    });

    it(`fails naming stage ${i + 1} (${stage.label}) when its bundle is replaced by another of the same kind`, async () => {
      const bundles = chainBundles();
      bundles[i] = bundleOf(stage.label, '-rerun');
      const run = await verifyChain(bundles);
      assert.equal(run.code, 1);
      // The replacement links to nothing, and the next stage's link points at the bundle that was taken away.
      const expected =
        i === 0
          ? `stage "${STAGES[1]?.label}" unlinked \\(chain-link: expected stage 2 "${STAGES[1]?.label}" to link to stage 1 "provenance"`
          : `stage "${stage.label}" unlinked \\(chain-link: expected stage ${i + 1} "${stage.label}" to link to stage ${i}`;
      assert.match(run.errors.at(-1) ?? '', new RegExp(`app\\.tar\\.gz: ${expected}`));
    });
  }

  it('fails naming the stage whose bundle was tampered with, and the check that caught it', async () => {
    const lines = (await readFile(path.join(ws, bundleOf('vulns')), 'utf8')).trim();
    const bundle = JSON.parse(lines) as { dsseEnvelope: { signatures: { sig: string }[] } };
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]?.sig ?? '', 'base64');
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
    bundle.dsseEnvelope.signatures[0] = { sig: sig.toString('base64') };
    await writeFile(path.join(ws, 'vulns-tampered.sigstore.json'), JSON.stringify(bundle));
    const bundles = chainBundles();
    bundles[2] = 'vulns-tampered.sigstore.json';
    const run = await verifyChain(bundles);
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /app\.tar\.gz: stage "vulns" rejected \(signature: expected stage 3 "vulns" \(vulns-tampered\.sigstore\.json\): /,
    );
  });

  it('fails a stage signed by a workflow its policy does not allow', async () => {
    const chain = CHAIN.replace(
      `vulns signer-workflow=${workflow('scan.yml')}`,
      `vulns signer-workflow=${workflow('security.yml')}`,
    );
    const run = await verifyChain(chainBundles(), chain);
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /app\.tar\.gz: stage "vulns" rejected \(signer-workflow: expected stage 3 "vulns" \(vulns\.sigstore\.json\): .*security\.yml.*found .*scan\.yml/,
    );
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1] ?? '';
    assert.deepEqual(await validateMermaid(graph), { ok: true, diagramType: 'flowchart-v2' });
  });

  it('shows the chain as text in the CLI, and exits 1 when it is broken', async () => {
    await copyFile(path.join(ws, 'trusted_root.json'), path.join(ws, 'root.json'));
    const flags = [
      'verify',
      '--subject-path',
      'app.tar.gz',
      '--trusted-root',
      'root.json',
      '--certificate-oidc-issuer',
      services.issuer.issuer,
      '--repository',
      'octo-org/octo-repo',
    ];
    const chain = STAGES.flatMap((s) => ['--require-chain', `${s.label} signer-workflow=${workflow(s.signer)}`]);
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const env = { PATH: process.env['PATH'] ?? '' };
    const ok = await runProcess(
      process.execPath,
      [cli, ...flags, ...chain, '--bundle-path', chainBundles().join(',')],
      env,
      ws,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^PASS app\.tar\.gz/m);
    assert.match(ok.stdout, /5\. approval.*pass/);
    const broken = await runProcess(
      process.execPath,
      [
        cli,
        ...flags,
        ...chain,
        '--bundle-path',
        chainBundles()
          .filter((b) => !b.startsWith('vex'))
          .join(','),
      ],
      env,
      ws,
    );
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /^FAIL app\.tar\.gz/m);
    assert.match(broken.stdout, /4\. VEX.*missing/);
  });

  it('with vsa-path, signs a summary that cites every stage, so the verification is itself the next stage', async () => {
    const defaults = services.issuer.claims;
    const gate = `${workflow('deploy.yml')}@refs/tags/v1.2.0`;
    services.issuer.claims = { ...defaults, workflow_ref: gate, job_workflow_ref: gate };
    let run: ActionRun;
    try {
      run = await verifyChain(chainBundles(), CHAIN, {
        'vsa-path': 'gate.vsa.sigstore.json',
        sigstore: 'signing.json',
      });
    } finally {
      services.issuer.claims = defaults;
    }
    assert.equal(run.code, 0, run.stdout);
    const [vsa] = readBundles(await readFile(path.join(ws, 'gate.vsa.sigstore.json'), 'utf8'));
    const cited = (statementOf(vsa ?? assert.fail('no VSA')).predicate['inputAttestations'] as { uri: string }[]).map(
      (a) => a.uri,
    );
    assert.deepEqual(
      cited,
      STAGES.map((s) => bundleOf(s.label)),
    );
    // A six-stage chain whose last stage, the policy evaluation, is that summary.
    const six = `${CHAIN}\npolicy signer-workflow=${workflow('deploy.yml')}`;
    const passed = await verifyChain([...chainBundles(), 'gate.vsa.sigstore.json'], six);
    assert.equal(passed.code, 0, passed.stdout);
    const missing = await verifyChain(chainBundles(), six);
    assert.match(missing.errors.at(-1) ?? '', /stage "policy" missing/);
  });

  it('links to the attestations already published for the subjects (links: published)', async () => {
    const token = { 'github-token': STAND_IN_TOKEN };
    const nothing = await attestStage(STAGES[1] ?? assert.fail(), {
      links: 'published',
      subject: 'lib.tar.gz',
      variant: '-lib',
      extra: token,
    });
    assert.equal(nothing.code, 1);
    assert.match(
      nothing.errors.at(-1) ?? '',
      /^::error::links: published: no attestation of lib\.tar\.gz is published in octo-org\/octo-repo's attestations API.*\[LINK_INVALID\]$/,
    );

    const build = await attestStage(STAGES[0] ?? assert.fail(), {
      links: '',
      subject: 'lib.tar.gz',
      variant: '-lib',
      extra: { ...token, 'attestations-api': 'true' },
    });
    assert.equal(build.code, 0, build.stdout);
    const sbom = await attestStage(STAGES[1] ?? assert.fail(), {
      links: 'published',
      subject: 'lib.tar.gz',
      variant: '-lib',
      extra: { ...token, 'attestations-api': 'true' },
    });
    assert.equal(sbom.code, 0, sbom.stdout);
    // Both stages now live only in the attestations API: the chain is verified from there.
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: github.url },
      inputs: {
        mode: 'verify',
        'subject-path': 'lib.tar.gz',
        'attestations-api': 'true',
        ...token,
        'trusted-root': 'trusted_root.json',
        'certificate-oidc-issuer': services.issuer.issuer,
        repository: 'octo-org/octo-repo',
        'require-chain': CHAIN.split('\n').slice(0, 2).join('\n'),
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(github.attestations('octo-org/octo-repo').length, 2);
  });

  it('refuses a links file that attests none of the subjects, naming it', async () => {
    const run = await attestStage(STAGES[1] ?? assert.fail(), {
      links: bundleOf('provenance'),
      subject: 'lib.tar.gz',
      variant: '-wrong',
    });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::links: provenance\.sigstore\.json attests none of this step's subjects\. .*\[LINK_INVALID\]$/,
    );
  });
});
