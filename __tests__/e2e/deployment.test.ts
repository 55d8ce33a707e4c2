// The end of a release chain, as users make it: build provenance, an approval in the production
// environment, and `stage: deployment` linking to that approval, each a run of the bundled action
// (dist/index.js) against the local Sigstore stack; then verify mode with a require-chain that ends
// in the deployment. A missing deployment, a deployment linked to the wrong attestation, or one
// made in another environment than the line names fails naming the stage. The deployment can also
// follow the gate's own VSA (verify mode's vsa-path), the chain's last stage before it.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { validateMermaid } from '../../testkit/mermaid.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { releaseWorkspace, verifyChain } from '../../testkit/release-scene.ts';

let services: LocalServices;
let scratch: string;
let ws: string;

const workflow = (file: string): string => `octo-org/octo-repo/.github/workflows/${file}`;
const DEPLOYMENT_V1 = 'https://provenance-action.github.io/attestation/deployment/v1';
const LINKS_FIELD = 'https://provenance-action.github.io/attestation/links/v1';

/** One attest step signed by `signer`, with the token claims a job in `environment` gets. */
async function attest(
  signer: string,
  inputs: Record<string, string>,
  claims: Record<string, string> = {},
): Promise<ActionRun> {
  const ref = `${workflow(signer)}@refs/tags/v1.2.0`;
  const defaults = services.issuer.claims;
  services.issuer.claims = { ...defaults, workflow_ref: ref, job_workflow_ref: ref, ...claims };
  try {
    return await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'app.tar.gz', sigstore: 'signing.json', 'attestations-api': 'false', ...inputs },
    });
  } finally {
    services.issuer.claims = defaults;
  }
}

const CHAIN = [
  `provenance signer-workflow=${workflow('release.yml')}`,
  `approval   signer-workflow=${workflow('deploy.yml')} environment=production`,
  `deployment signer-workflow=${workflow('deploy.yml')} environment=production`,
].join('\n');

function verify(bundles: readonly string[], chain = CHAIN, extra: Record<string, string> = {}): Promise<ActionRun> {
  return verifyChain({ services, scratch, ws, repository: 'octo-org/octo-repo' }, bundles, chain, extra);
}

const CHAIN_BUNDLES = ['provenance.sigstore.json', 'approval.sigstore.json', 'deployment.sigstore.json'];

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'deployment-e2e-'));
  ws = await releaseWorkspace(services, scratch);
  const steps: [string, Record<string, string>, Record<string, string>][] = [
    ['release.yml', { 'bundle-path': 'provenance.sigstore.json' }, {}],
    [
      'deploy.yml',
      { stage: 'approval', links: 'provenance.sigstore.json', 'bundle-path': 'approval.sigstore.json' },
      { environment: 'production' },
    ],
    [
      'deploy.yml',
      {
        stage: 'deployment',
        links: 'approval.sigstore.json',
        'deployment-target': 'prod-eu-1',
        'deployment-namespace': 'shop',
        'bundle-path': 'deployment.sigstore.json',
      },
      { environment: 'production' },
    ],
    // Linked to the wrong thing: the build, not the approval.
    [
      'deploy.yml',
      {
        stage: 'deployment',
        links: 'provenance.sigstore.json',
        'deployment-target': 'https://shop.example.com',
        'bundle-path': 'deployment-wrong-link.sigstore.json',
      },
      { environment: 'production' },
    ],
    // Deployed to staging, linked to the approval.
    [
      'deploy.yml',
      {
        stage: 'deployment',
        links: 'approval.sigstore.json',
        'bundle-path': 'deployment-staging.sigstore.json',
      },
      { environment: 'staging' },
    ],
  ];
  for (const [signer, inputs, claims] of steps) {
    const run = await attest(signer, inputs, claims);
    assert.equal(run.code, 0, `${inputs['bundle-path']}: ${run.stdout}`);
  }
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('stage: deployment, made by the action', () => {
  it('records the environment from the token, the target, the time, the run, and the link to the approval', async () => {
    const [bundle] = readBundles(await readFile(path.join(ws, 'deployment.sigstore.json'), 'utf8'));
    const statement = statementOf(bundle ?? assert.fail('no bundle'));
    assert.equal(statement.predicateType, DEPLOYMENT_V1);
    const { predicate } = statement;
    assert.equal(predicate['environment'], 'production');
    assert.deepEqual(predicate['target'], { cluster: 'prod-eu-1', namespace: 'shop' });
    assert.match(String(predicate['timestamp']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match(
      String(predicate['runURL']),
      /^https?:\/\/.+\/octo-org\/octo-repo\/actions\/runs\/\d+\/attempts\/\d+$/,
    );
    const links = predicate[LINKS_FIELD] as { name: string; annotations: { predicateType: string } }[];
    assert.deepEqual(
      links.map((l) => [l.name, l.annotations.predicateType]),
      [['approval.sigstore.json', 'https://in-toto.io/attestation/human-review/v0.1']],
    );
  });

  it('refuses a bad target before anything is signed, naming the input', async () => {
    const run = await attest('deploy.yml', {
      stage: 'deployment',
      'deployment-target': 'https://user:pw@shop.example.com',
      'bundle-path': 'never.sigstore.json',
    });
    assert.equal(run.code, 1);
    assert.match(run.errors.at(-1) ?? '', /^::error::deployment-target: the URL .* holds a user name or password/);
    assert.doesNotMatch(run.stdout + run.stderr, /user:pw/);
    await assert.rejects(readFile(path.join(ws, 'never.sigstore.json')));
  });

  it('refuses a deployment with neither an environment nor a target', async () => {
    const run = await attest('deploy.yml', { stage: 'deployment', 'bundle-path': 'never.sigstore.json' });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /no deployment environment and deployment-target is empty.*\[INPUT_CONFLICT\]$/,
    );
  });
});

describe('require-chain ending in a deployment', () => {
  it('passes: build, approval in production, deployment to production linked to that approval', async () => {
    const run = await verify(CHAIN_BUNDLES);
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
    assert.deepEqual(
      report.chains?.[0]?.stages.map((s) => [s.label, s.status]),
      [
        ['provenance', 'pass'],
        ['approval', 'pass'],
        ['deployment', 'pass'],
      ],
    );
    // The build's commit is recorded, for the chart's commit node once a source stage starts the chain.
    assert.match(report.chains?.[0]?.commit ?? '', /^[0-9a-f]{40}$/);
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1] ?? '';
    assert.match(graph, /3\. deployment<br>pass/);
    assert.deepEqual(await validateMermaid(graph), { ok: true, diagramType: 'flowchart-v2' });
  });

  it('fails naming the deployment stage when it is missing', async () => {
    const run = await verify(CHAIN_BUNDLES.slice(0, 2));
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /app\.tar\.gz: stage "deployment" missing \(chain-stage: expected stage 3 "deployment": an attestation of https:\/\/provenance-action\.github\.io\/attestation\/deployment\/v1/,
    );
  });

  it('fails a deployment linked to the wrong attestation (the build, not the approval)', async () => {
    const run = await verify([...CHAIN_BUNDLES.slice(0, 2), 'deployment-wrong-link.sigstore.json']);
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /app\.tar\.gz: stage "deployment" unlinked \(chain-link: expected stage 3 "deployment" to link to stage 2 "approval"/,
    );
  });

  it('fails a deployment made in another environment than the line names', async () => {
    const run = await verify([...CHAIN_BUNDLES.slice(0, 2), 'deployment-staging.sigstore.json']);
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /stage "deployment" rejected \(stage-result: .*a deployment in deployment environment "production", found environment "staging"/,
    );
    // Without environment= the staging deployment is a deployment like any other.
    const loose = await verify(
      [...CHAIN_BUNDLES.slice(0, 2), 'deployment-staging.sigstore.json'],
      CHAIN.replace(/ environment=production$/, ''),
    );
    assert.equal(loose.code, 0, loose.stdout);
  });

  it("can follow the gate's own VSA: the deploy gate signs its verdict, the deployment links to it", async () => {
    const gate = `${workflow('deploy.yml')}@refs/tags/v1.2.0`;
    const defaults = services.issuer.claims;
    services.issuer.claims = { ...defaults, workflow_ref: gate, job_workflow_ref: gate };
    let gated: ActionRun;
    try {
      gated = await verify(CHAIN_BUNDLES.slice(0, 2), CHAIN.split('\n').slice(0, 2).join('\n'), {
        'vsa-path': 'gate.vsa.sigstore.json',
        sigstore: 'signing.json',
      });
    } finally {
      services.issuer.claims = defaults;
    }
    assert.equal(gated.code, 0, gated.stdout);
    const deployed = await attest(
      'deploy.yml',
      {
        stage: 'deployment',
        links: 'gate.vsa.sigstore.json',
        'deployment-target': 'https://shop.example.com',
        'bundle-path': 'deployment-after-gate.sigstore.json',
      },
      { environment: 'production' },
    );
    assert.equal(deployed.code, 0, deployed.stdout);
    const chain = [
      ...CHAIN.split('\n').slice(0, 2),
      `policy signer-workflow=${workflow('deploy.yml')}`,
      `deployment signer-workflow=${workflow('deploy.yml')} environment=production`,
    ].join('\n');
    const run = await verify(
      [...CHAIN_BUNDLES.slice(0, 2), 'gate.vsa.sigstore.json', 'deployment-after-gate.sigstore.json'],
      chain,
    );
    assert.equal(run.code, 0, run.stdout);
    // The deployment that followed the approval, not the gate, does not complete this chain.
    const skipped = await verify([...CHAIN_BUNDLES, 'gate.vsa.sigstore.json'], chain);
    assert.match(skipped.errors.at(-1) ?? '', /stage "deployment" unlinked/);
  });
});
