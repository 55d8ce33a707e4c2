// The source stage's level, from what the GitHub stand-in answers: an unprotected branch (level 1),
// continuity rules (2), rules nobody may bypass with a required status check (3), required reviews
// and a merging pull request approved by someone else (4); and every answer that lowers it: a bypass
// list GitHub does not show, a bypass actor, a refused read (403), a self-approved or unmerged pull
// request, a tag with no merging pull request. Reads go over HTTP through src/github/, so the JSON
// shapes are the stand-in's (GitHub's documented ones).

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSourceReader } from '../../../src/github/index.ts';
import { SOURCE_LEVEL, sourcePredicate, type SourceAttestation } from '../../../src/attest/stages/source.ts';
import { SOURCE_CONTROLS_FIELD } from '../../../src/stages/presets.ts';
import { startGitHubApi, type GitHubApiStandIn } from '../../../testkit/github-api/index.ts';

const REPO = 'octo-org/octo-repo';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const NOW = new Date('2026-12-01T00:00:00Z');
let github: GitHubApiStandIn;

before(async () => {
  github = await startGitHubApi({ repositories: [REPO] });
});
after(() => github.stop());
beforeEach(() => {
  github.source.rulesets.clear();
  github.source.classic.clear();
  github.source.pulls.clear();
  github.source.refused.clear();
});

const FULL_RULESET = {
  id: 42,
  nonFastForward: true,
  deletion: true,
  approvals: 1,
  statusChecks: ['ci/test'],
  bypassActors: [],
};
const MERGED = {
  number: 7,
  author: 'alice',
  base: 'main',
  mergeCommitSha: SHA,
  reviews: [{ reviewer: 'bob', state: 'APPROVED' as const }],
};

async function attestSource(ref = 'refs/heads/main'): Promise<SourceAttestation> {
  const reader = createSourceReader({ apiUrl: github.url, serverUrl: 'https://github.com', token: github.token });
  const reads = await reader.readSourceControls(REPO, ref, SHA);
  return sourcePredicate(reads, {
    now: NOW,
    serverURL: 'https://github.com',
    repository: REPO,
    ref,
    sha: SHA,
    verifierId: `https://github.com/${REPO}/.github/workflows/source.yml@${ref}`,
  });
}

const evidence = (a: SourceAttestation) =>
  a.predicate[SOURCE_CONTROLS_FIELD] as {
    level: number;
    reasons: string[];
    reads: { request: string; status: number; result: string }[];
    pullRequest: { number: number; approvers: string[] } | null;
    controls: { bypass: { source: string; actors: string[] | null }[] };
  };

describe('source stage: a Source VSA for the job commit', () => {
  it('writes the VSA fields of the spec, with the commit as subject', async () => {
    github.source.rulesets.set(`${REPO}#main`, [FULL_RULESET]);
    github.source.pulls.set(REPO, [MERGED]);
    const a = await attestSource();
    assert.equal(a.predicateType, 'https://slsa.dev/verification_summary/v1');
    assert.deepEqual(a.subject, {
      name: `https://github.com/${REPO}/commit/${SHA}`,
      digest: { gitCommit: SHA },
      annotations: { source_refs: ['refs/heads/main'] },
    });
    assert.deepEqual(
      {
        verifier: a.predicate['verifier'],
        timeVerified: a.predicate['timeVerified'],
        resourceUri: a.predicate['resourceUri'],
        verificationResult: a.predicate['verificationResult'],
        verifiedLevels: a.predicate['verifiedLevels'],
      },
      {
        verifier: { id: `https://github.com/${REPO}/.github/workflows/source.yml@refs/heads/main` },
        timeVerified: '2026-12-01T00:00:00.000Z',
        resourceUri: `git+https://github.com/${REPO}@refs/heads/main`,
        verificationResult: 'PASSED',
        verifiedLevels: ['SLSA_SOURCE_LEVEL_4'],
      },
    );
    const e = evidence(a);
    assert.equal(e.level, 4);
    assert.deepEqual(e.pullRequest, {
      number: 7,
      url: `https://github.com/${REPO}/pull/7`,
      author: 'alice',
      approvers: ['bob'],
    });
    assert.deepEqual(
      e.reads.map((r) => `${r.request} ${r.status} ${r.result}`),
      [
        `GET /repos/${REPO}/commits/${SHA}/pulls 200 read`,
        `GET /repos/${REPO}/pulls/7/reviews 200 read`,
        `GET /repos/${REPO}/rules/branches/main 200 read`,
        `GET /repos/${REPO}/rulesets/42 200 read`,
        `GET /repos/${REPO}/branches/main/protection 404 read`,
      ],
    );
    assert.deepEqual(a.warnings, []);
  });

  it('gives level 1 to an unprotected branch, with the reason and a warning', async () => {
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(1)]);
    assert.match(evidence(a).reasons[0] ?? '', /level 2 needs force pushes and deletion blocked on branch main/);
    assert.match(a.warnings.join('\n'), /gets SLSA source level 1: level 2 needs/);
  });

  it('gives level 2 when continuity is enforced but someone may bypass, naming who', async () => {
    github.source.rulesets.set(`${REPO}#main`, [
      { ...FULL_RULESET, bypassActors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }] },
    ]);
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(2)]);
    assert.match(evidence(a).reasons[0] ?? '', /ruleset 42 lets RepositoryRole 5 \(always\) bypass/);
  });

  it('stays at level 2 when GitHub does not show the bypass list, and says so', async () => {
    const { bypassActors: _hidden, ...hidden } = FULL_RULESET;
    github.source.rulesets.set(`${REPO}#main`, [hidden]);
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(2)]);
    assert.match(evidence(a).reasons[0] ?? '', /did not show the bypass list of ruleset 42/);
    assert.deepEqual(evidence(a).controls.bypass, [{ source: 'ruleset 42', actors: null }]);
  });

  it('needs a required status check for level 3', async () => {
    const { statusChecks: _none, ...noChecks } = FULL_RULESET;
    github.source.rulesets.set(`${REPO}#main`, [noChecks]);
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(2)]);
    assert.match(evidence(a).reasons[0] ?? '', /at least one required status check/);
  });

  it('counts classic protection with enforce_admins, and not without', async () => {
    github.source.classic.set(`${REPO}#main`, { approvals: 2, statusChecks: ['ci'], enforceAdmins: true });
    github.source.pulls.set(REPO, [MERGED]);
    assert.deepEqual((await attestSource()).predicate['verifiedLevels'], [SOURCE_LEVEL(4)]);
    github.source.classic.set(`${REPO}#main`, { approvals: 2, statusChecks: ['ci'], enforceAdmins: false });
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(2)]);
    assert.match(evidence(a).reasons[0] ?? '', /classic protection lets repository administrators bypass/);
  });

  it('gives level 3, not 4, when the merging pull request was approved only by its author or not at all', async () => {
    github.source.rulesets.set(`${REPO}#main`, [FULL_RULESET]);
    github.source.pulls.set(REPO, [{ ...MERGED, reviews: [{ reviewer: 'alice', state: 'APPROVED' }] }]);
    const self = await attestSource();
    assert.deepEqual(self.predicate['verifiedLevels'], [SOURCE_LEVEL(3)]);
    assert.match(
      evidence(self).reasons[0] ?? '',
      /approving review of pull request #7 by someone other than its author/,
    );
    github.source.pulls.set(REPO, [{ ...MERGED, reviews: [{ reviewer: 'bob', state: 'CHANGES_REQUESTED' }] }]);
    assert.deepEqual((await attestSource()).predicate['verifiedLevels'], [SOURCE_LEVEL(3)]);
  });

  it('does not count an open pull request as the one that merged the commit', async () => {
    github.source.rulesets.set(`${REPO}#main`, [FULL_RULESET]);
    github.source.pulls.set(REPO, [{ ...MERGED, mergeCommitSha: null }]);
    const a = await attestSource();
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(3)]);
    assert.equal(evidence(a).pullRequest, null);
    assert.match(evidence(a).reasons[0] ?? '', /GitHub lists none \(pushed directly\?\)/);
  });

  it('lowers the level when a read is refused (403), with the reason, the request and the permission', async () => {
    github.source.rulesets.set(`${REPO}#main`, [FULL_RULESET]);
    github.source.pulls.set(REPO, [MERGED]);
    github.source.refused.add('pull-reviews');
    const reviews = await attestSource();
    assert.deepEqual(reviews.predicate['verifiedLevels'], [SOURCE_LEVEL(3)]);
    assert.match(
      evidence(reviews).reasons[0] ?? '',
      /GitHub refused: GET \/repos\/octo-org\/octo-repo\/pulls\/7\/reviews answered HTTP 403 "Resource not accessible by integration"/,
    );
    assert.match(reviews.warnings[0] ?? '', /needs pull-requests: read/);

    github.source.refused.add('branch-rules');
    github.source.refused.add('branch-protection');
    const rules = await attestSource();
    assert.deepEqual(rules.predicate['verifiedLevels'], [SOURCE_LEVEL(1)]);
    assert.match(
      evidence(rules).reasons[0] ?? '',
      /not blocked by any rule GitHub showed \(GitHub refused: .*rules\/branches\/main answered HTTP 403/,
    );
    assert.ok(
      rules.warnings.some((w) => /branches\/main\/protection answered HTTP 403.*needs administration: read/.test(w)),
    );
    assert.ok(evidence(rules).reads.some((r) => r.status === 403 && r.result === 'refused'));
  });

  it('finds the branch of a tag from the pull request that merged the commit', async () => {
    github.source.rulesets.set(`${REPO}#main`, [FULL_RULESET]);
    github.source.pulls.set(REPO, [MERGED]);
    const a = await attestSource('refs/tags/v1.2.0');
    assert.deepEqual(a.predicate['verifiedLevels'], [SOURCE_LEVEL(4)]);
    assert.deepEqual(a.subject.annotations.source_refs, ['refs/tags/v1.2.0', 'refs/heads/main']);
    assert.equal(a.predicate['resourceUri'], `git+https://github.com/${REPO}@refs/tags/v1.2.0`);
    github.source.pulls.clear();
    const alone = await attestSource('refs/tags/v1.2.0');
    assert.deepEqual(alone.predicate['verifiedLevels'], [SOURCE_LEVEL(1)]);
    assert.match(evidence(alone).reasons[0] ?? '', /the ref refs\/tags\/v1.2.0 is not a branch/);
  });
});

describe('source stage: what is a failure, not a level', () => {
  it('fails on a token GitHub does not accept (401), naming the request, before any level is given', async () => {
    const reader = createSourceReader({
      apiUrl: github.url,
      serverUrl: 'https://github.com',
      token: 'ghs_notTheStandInToken0123456789abcd',
    });
    await assert.rejects(
      reader.readSourceControls(REPO, 'refs/heads/main', SHA),
      (err: unknown) =>
        err instanceof Error &&
        /GitHub API refused the token for GET .*\/commits\/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678\/pulls: HTTP 401/.test(
          err.message,
        ),
    );
  });

  it('fails when GitHub keeps answering 503, rather than giving a level', async () => {
    github.failFirst(5, 503, ['branch-rules']);
    try {
      const reader = createSourceReader({
        apiUrl: github.url,
        serverUrl: 'https://github.com',
        token: github.token,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 10, timeoutMs: 2_000 },
      });
      await assert.rejects(
        reader.readSourceControls(REPO, 'refs/heads/main', SHA),
        /rules\/branches\/main answered HTTP 503/,
      );
    } finally {
      github.faults['branch-rules'].length = 0;
    }
  });
});
