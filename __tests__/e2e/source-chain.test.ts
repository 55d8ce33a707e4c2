// A chain that starts at the commit, made by the action: a source step (stage: source) on the push to
// main reads the branch's ruleset and the merging pull request from the GitHub stand-in and signs a
// Source VSA for the commit; the release build signs provenance naming the same commit; verify mode
// with require-chain "source … / provenance …" joins the two by that commit, with no links. A Source
// VSA for another commit, or none, fails naming the source stage; an unprotected branch gets level 1
// with the reason, and a token that may not read the reviews gets a lower level, not a failure.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, type GitHubApiStandIn } from '../../testkit/github-api/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { validateMermaid } from '../../testkit/mermaid.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf } from '../../testkit/verify.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { releaseWorkspace, verifyChain } from '../../testkit/release-scene.ts';

let services: LocalServices;
let github: GitHubApiStandIn;
let scratch: string;
let ws: string;

const REPO = 'octo-org/octo-repo';
const workflow = (file: string): string => `${REPO}/.github/workflows/${file}`;
const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567';

async function attest(
  inputs: Record<string, string>,
  claims: Record<string, string>,
  file: string,
): Promise<ActionRun> {
  const defaults = services.issuer.claims;
  services.issuer.claims = { ...defaults, ...claims };
  try {
    return await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: github.url },
      inputs: { sigstore: 'signing.json', 'bundle-path': file, 'attestations-api': 'false', ...inputs },
    });
  } finally {
    services.issuer.claims = defaults;
  }
}

/** The source step: a push to main, signed by source.yml. */
const attestSource = (
  file: string,
  claims: Record<string, string> = {},
  inputs: Record<string, string> = {},
): Promise<ActionRun> => {
  const ref = `${workflow('source.yml')}@refs/heads/main`;
  return attest(
    { stage: 'source', ...inputs },
    { ref: 'refs/heads/main', workflow_ref: ref, job_workflow_ref: ref, event_name: 'push', ...claims },
    file,
  );
};

const CHAIN = [
  `source signer-workflow=${workflow('source.yml')}`,
  `provenance signer-workflow=${workflow('release.yml')}`,
].join('\n');

function verify(bundles: string[]): Promise<ActionRun> {
  return verifyChain({ services, scratch, ws, repository: REPO, env: { GITHUB_API_URL: github.url } }, bundles, CHAIN);
}

async function statement(file: string) {
  return statementOf(readBundles(await readFile(path.join(ws, file), 'utf8'))[0] ?? assert.fail('no bundle'));
}

before(async () => {
  services = await startLocalServices();
  github = await startGitHubApi({ repositories: [REPO] });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'source-e2e-'));
  ws = await releaseWorkspace(services, scratch);
  const sha = services.issuer.claims.sha;
  github.source.rulesets.set(`${REPO}#main`, [
    { id: 42, nonFastForward: true, deletion: true, approvals: 1, statusChecks: ['ci/test'], bypassActors: [] },
  ]);
  github.source.pulls.set(REPO, [
    {
      number: 7,
      author: 'alice',
      base: 'main',
      mergeCommitSha: sha,
      reviews: [{ reviewer: 'bob', state: 'APPROVED' }],
    },
  ]);
  const source = await attestSource('source.sigstore.json');
  assert.equal(source.code, 0, source.stdout);
  const other = await attestSource('other-source.sigstore.json', { sha: OTHER_SHA });
  assert.equal(other.code, 0, other.stdout);
  const ref = `${workflow('release.yml')}@refs/tags/v1.2.0`;
  const build = await attest(
    { 'subject-path': 'app.tar.gz' },
    { workflow_ref: ref, job_workflow_ref: ref },
    'provenance.sigstore.json',
  );
  assert.equal(build.code, 0, build.stdout);
});
after(async () => {
  await Promise.all([services.stop(), github.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

describe('a chain that starts at the commit', () => {
  it('signs a Source VSA about the commit, at the level the branch and the pull request earn', async () => {
    const s = await statement('source.sigstore.json');
    assert.equal(s.predicateType, 'https://slsa.dev/verification_summary/v1');
    assert.deepEqual(s.subject, [
      {
        name: `https://github.com/${REPO}/commit/${services.issuer.claims.sha}`,
        digest: { gitCommit: services.issuer.claims.sha },
        annotations: { source_refs: ['refs/heads/main'] },
      },
    ]);
    assert.deepEqual(s.predicate['verifiedLevels'], ['SLSA_SOURCE_LEVEL_4']);
    assert.equal(s.predicate['resourceUri'], `git+https://github.com/${REPO}@refs/heads/main`);
    // Read with the job's token, the one the stand-in accepts.
    assert.ok(github.requestsTo('branch-rules').every((r) => r.auth === 'token'));
  });

  it('verifies source → provenance, joined by the commit the provenance names', async () => {
    const run = await verify(['source.sigstore.json', 'provenance.sigstore.json']);
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(await readFile(run.outputs['report-path'] ?? '', 'utf8')) as VerifyReport;
    assert.deepEqual(
      report.chains?.[0]?.stages.map((s) => [s.label, s.status]),
      [
        ['source', 'pass'],
        ['provenance', 'pass'],
      ],
    );
    // The job summary draws the chain from the commit's stage, and Mermaid's own parser takes it.
    const graph = /```mermaid\n([\s\S]*?)\n```/.exec(run.summary)?.[1];
    assert.ok(graph, run.summary);
    assert.match(graph, /source/);
    assert.deepEqual(await validateMermaid(graph), { ok: true, diagramType: 'flowchart-v2' });
  });

  it('fails naming the source stage when the only Source VSA is for another commit', async () => {
    const run = await verify(['other-source.sigstore.json', 'provenance.sigstore.json']);
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      new RegExp(
        `stage "source" unlinked \\(chain-commit: expected stage 1 "source": a Source VSA .*gitCommit:${services.issuer.claims.sha}`,
      ),
    );
  });

  it('fails naming the source stage when there is no Source VSA', async () => {
    const run = await verify(['provenance.sigstore.json']);
    assert.equal(run.code, 1);
    assert.match(run.errors.at(-1) ?? '', /stage "source" missing \(chain-stage: expected stage 1 "source"/);
  });

  it('gives an unprotected branch level 1, with the reason and a warning', async () => {
    const saved = [...github.source.rulesets.entries()];
    github.source.rulesets.clear();
    try {
      const run = await attestSource('unprotected.sigstore.json');
      assert.equal(run.code, 0, run.stdout);
      assert.match(
        run.stdout,
        /::warning::source: .* gets SLSA source level 1: level 2 needs force pushes and deletion blocked/,
      );
      const s = await statement('unprotected.sigstore.json');
      assert.deepEqual(s.predicate['verifiedLevels'], ['SLSA_SOURCE_LEVEL_1']);
    } finally {
      for (const [k, v] of saved) github.source.rulesets.set(k, v);
    }
  });

  it('gives a lower level, not a failure, when the token may not read the reviews', async () => {
    github.source.refused.add('pull-reviews');
    try {
      const run = await attestSource('no-reviews.sigstore.json');
      assert.equal(run.code, 0, run.stdout);
      assert.match(
        run.stdout,
        /::warning::source: GET \/repos\/octo-org\/octo-repo\/pulls\/7\/reviews answered HTTP 403/,
      );
      const s = await statement('no-reviews.sigstore.json');
      assert.deepEqual(s.predicate['verifiedLevels'], ['SLSA_SOURCE_LEVEL_3']);
    } finally {
      github.source.refused.clear();
    }
  });

  it('skips the attestations API (auto) for a Source VSA: it has no sha256 subject to be filed under', async () => {
    const before = github.requestsTo('post-attestation').length;
    const run = await attestSource('auto.sigstore.json', {}, { 'attestations-api': 'auto' });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /attestations API: skipped, the statement has no sha256 subject/);
    assert.equal(github.requestsTo('post-attestation').length, before);
  });

  it('refuses subject inputs on the source step before anything is signed', async () => {
    const run = await attest({ stage: 'source', 'subject-path': 'app.tar.gz' }, {}, 'refused.sigstore.json');
    assert.equal(run.code, 1);
    assert.match(run.errors[0] ?? '', /stage: source attests the commit this job runs on, but subject-path/);
  });
});
