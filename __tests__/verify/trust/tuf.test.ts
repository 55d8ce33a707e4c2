// The public-good trusted root through TUF, against a TUF repository served on loopback (testkit/tuf-repo.ts)
// and pinned at its version 1 root, the way production pins the seed root of tuf-repo-cdn.sigstore.dev:
// a root rotation is followed and the target published after it is the one used; metadata that does not
// verify fails the run with one line and no fallback; an unreachable or silent repository falls back to
// the shipped snapshot with one warning naming its date; public-good-offline asks nothing at all. Also
// through verify mode itself: the warning reaches its log, and the fetched root is the one bundles meet.

import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorLine, ProvenanceError } from '../../../src/common/errors.ts';
import { loadTrustedRoots, type LoadOptions, type TrustedRootJSON } from '../../../src/verify/trust/index.ts';
import { publicGoodSnapshot, snapshotDate } from '../../../src/verify/trust/public-good.ts';
import { closedPort, serve, type Fault } from '../../../testkit/http.ts';
import { startTufRepo, type TufRepo } from '../../../testkit/tuf-repo.ts';
import { verifyWithInputs } from '../../../testkit/verify-mode.ts';
import { casePath, REPO_ROOT } from '../crypto/corpus.ts';

// Two valid trusted roots that differ: the shipped public-good snapshot, and a conformance case's own.
const SNAPSHOT = JSON.stringify(publicGoodSnapshot());
let other: string;

interface Loaded {
  roots: TrustedRootJSON[];
  warnings: string[];
}

async function load(choice: string, publicGood: NonNullable<LoadOptions['publicGood']>): Promise<Loaded> {
  const warnings: string[] = [];
  const roots = await loadTrustedRoots(choice, REPO_ROOT, {
    publicGood,
    github: { mirrorURL: `http://127.0.0.1:${await closedPort()}`, retries: 0 },
    log: { warning: (m) => warnings.push(m) },
  });
  return { roots, warnings };
}

/** Rejects with TRUSTED_ROOT_UNAVAILABLE in one line naming the repository; returns the line. */
async function refused(promise: Promise<unknown>, repo: TufRepo, warnings: readonly string[]): Promise<string> {
  let line = '';
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProvenanceError, String(err));
    assert.equal(err.code, 'TRUSTED_ROOT_UNAVAILABLE');
    line = errorLine(err);
    assert.ok(line.includes(repo.url) && !line.includes('\n'), line);
    assert.match(line, /answered, but TUF refused/);
    assert.match(line, /public-good-offline/);
    return true;
  });
  assert.deepEqual(warnings, [], 'no fallback to the snapshot, so nothing to warn about');
  return line;
}

before(async () => {
  other = JSON.stringify(JSON.parse(await readFile(casePath('rekor2-happy-path', 'trusted_root.json'), 'utf8')));
});

void describe('public-good through TUF', () => {
  void it('serves and uses the target the pinned root leads to', async () => {
    const repo = await startTufRepo(other);
    try {
      const { roots, warnings } = await load('public-good', { mirrorURL: repo.url, initialRoot: repo.initialRoot });
      assert.deepEqual(roots, [JSON.parse(other)]);
      assert.deepEqual(warnings, []);
      assert.ok(repo.requests.includes('/timestamp.json'), repo.requests.join(' '));
    } finally {
      await repo.stop();
    }
  });

  void it('follows a root rotation (new root and targets keys) to the trusted root published after it', async () => {
    const repo = await startTufRepo(SNAPSHOT);
    try {
      const pin = { mirrorURL: repo.url, initialRoot: repo.initialRoot };
      assert.deepEqual((await load('public-good', pin)).roots, [JSON.parse(SNAPSHOT)]);
      // Root v2 is signed by v1's key and its own; targets are signed by v2's new targets key only,
      // so a client that did not take up v2 would refuse them.
      repo.rotateRoot({ trustedRoot: other });
      const before = repo.requests.length;
      const { roots, warnings } = await load('public-good', pin);
      assert.deepEqual(roots, [JSON.parse(other)]);
      assert.deepEqual(warnings, []);
      assert.deepEqual(
        repo.requests.slice(before, before + 2),
        ['/2.root.json', '/3.root.json'],
        'walked from the pin to v2, and looked for v3',
      );
      // auto takes the same path for public-good.
      assert.deepEqual((await load('auto', pin)).roots, [JSON.parse(other)]);
    } finally {
      await repo.stop();
    }
  });

  void it("refuses a new root not signed by the pinned root's keys: an error, not the snapshot", async () => {
    const repo = await startTufRepo(SNAPSHOT);
    try {
      repo.rotateRoot({ signedByOld: false, trustedRoot: other });
      const warnings: string[] = [];
      const log = { warning: (m: string) => warnings.push(m) };
      const line = await refused(
        loadTrustedRoots('public-good', REPO_ROOT, {
          publicGood: { mirrorURL: repo.url, initialRoot: repo.initialRoot },
          log,
        }),
        repo,
        warnings,
      );
      assert.match(line, /root was signed by 0\/1 keys/);
      assert.ok(
        repo.requests.includes('/2.root.json') && !repo.requests.includes('/timestamp.json'),
        'stopped at the root',
      );
    } finally {
      await repo.stop();
    }
  });

  void it('refuses targets signed by a key the root does not list, also under auto', async () => {
    const repo = await startTufRepo(SNAPSHOT);
    try {
      repo.publishForgedTrustedRoot(other);
      const warnings: string[] = [];
      const options = {
        publicGood: { mirrorURL: repo.url, initialRoot: repo.initialRoot },
        github: { mirrorURL: `http://127.0.0.1:${await closedPort()}`, retries: 0 },
        log: { warning: (m: string) => warnings.push(m) },
      };
      assert.match(
        await refused(loadTrustedRoots('public-good', REPO_ROOT, options), repo, warnings),
        /targets was signed by 0\/1 keys/,
      );
      await refused(loadTrustedRoots('auto', REPO_ROOT, options), repo, warnings);
    } finally {
      await repo.stop();
    }
  });

  void it('refuses a repository that answers with an HTTP error: it was reached', async () => {
    const faults: Fault[] = [503];
    const server = await serve(() => assert.fail('the fault answers'), { faults: () => faults });
    try {
      const warnings: string[] = [];
      await assert.rejects(
        loadTrustedRoots('public-good', REPO_ROOT, {
          publicGood: { mirrorURL: server.url, retries: 0 },
          log: { warning: (m) => warnings.push(m) },
        }),
        (err: unknown) =>
          err instanceof ProvenanceError &&
          err.code === 'TRUSTED_ROOT_UNAVAILABLE' &&
          /answered, but TUF refused/.test(err.message),
      );
      assert.deepEqual(warnings, []);
    } finally {
      await server.stop();
    }
  });

  void it('quotes what a hostile repository served only as safe text: no line break, no workflow command', async () => {
    const server = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('::error::forged\n::add-mask::x');
    });
    try {
      await assert.rejects(
        loadTrustedRoots('public-good', REPO_ROOT, { publicGood: { mirrorURL: server.url, retries: 0 } }),
        (err: unknown) => {
          assert.ok(err instanceof ProvenanceError && err.code === 'TRUSTED_ROOT_UNAVAILABLE', String(err));
          const line = errorLine(err);
          assert.match(line, /not valid JSON/, "the parser's complaint is shown");
          assert.ok(!line.includes('::') && !line.includes('\n'), line);
          return true;
        },
      );
    } finally {
      await server.stop();
    }
  });

  void it('falls back to the shipped snapshot when the repository cannot be reached, with one warning naming its date', async () => {
    const mirrorURL = `http://127.0.0.1:${await closedPort()}`;
    const { roots, warnings } = await load('public-good', { mirrorURL, retries: 0 });
    assert.deepEqual(roots, [publicGoodSnapshot()]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    const warning = warnings[0] ?? '';
    const date = snapshotDate(publicGoodSnapshot());
    assert.match(date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(warning.includes(`newest key dates from ${date}`), warning);
    assert.ok(
      warning.includes(mirrorURL) &&
        /ECONNREFUSED/.test(warning) &&
        /public-good-offline/.test(warning) &&
        !warning.includes('\n'),
      warning,
    );
  });

  void it('falls back the same way when the repository accepts but never answers (timeout)', async () => {
    const faults: Fault[] = ['timeout'];
    const server = await serve(() => assert.fail('the fault answers'), { faults: () => faults });
    try {
      const started = Date.now();
      const { roots, warnings } = await load('public-good', { mirrorURL: server.url, retries: 0, timeoutMs: 300 });
      assert.deepEqual(roots, [publicGoodSnapshot()]);
      assert.equal(warnings.length, 1);
      assert.ok(Date.now() - started < 5000, 'the timeout ended the wait');
    } finally {
      await server.stop();
    }
  });

  void it('public-good-offline sends no request, even with a repository to ask', async () => {
    const repo = await startTufRepo(other);
    try {
      const { roots, warnings } = await load('public-good-offline', {
        mirrorURL: repo.url,
        initialRoot: repo.initialRoot,
      });
      assert.deepEqual(roots, [publicGoodSnapshot()]);
      assert.deepEqual(warnings, []);
      assert.deepEqual(repo.requests, []);
    } finally {
      await repo.stop();
    }
  });
});

void describe('snapshotDate', () => {
  void it('is the day of the newest validFor.start among logs, CT logs and authorities', () => {
    const root = publicGoodSnapshot();
    const at = (start: string): TrustedRootJSON => ({
      ...root,
      timestampAuthorities: root.timestampAuthorities.map((ca) => ({ ...ca, validFor: { start } })),
    });
    assert.equal(snapshotDate(at('2031-05-06T07:08:09Z')), '2031-05-06');
    // An end date is not a key change the snapshot knows of as a start; only starts count.
    const ended = {
      ...root,
      ctlogs: root.ctlogs.map((log) => ({
        ...log,
        publicKey: { ...log.publicKey, validFor: { start: log.publicKey.validFor.start, end: '2099-01-01T00:00:00Z' } },
      })),
    };
    assert.equal(snapshotDate(ended), snapshotDate(root));
  });
});

// Verify mode end to end (in process): a real public-good bundle, and the root TUF gives it.
void describe('verify mode with trusted-root: public-good', () => {
  let ws: string;
  const BUNDLE = 'github-attest-reusable-workflow.sigstore.json';
  const inputs = {
    'bundle-path': BUNDLE,
    'trusted-root': 'public-good',
    'subject-name': 'github_provenance_demo-0.0.0-py3-none-any.whl',
    'subject-digest': 'sha256:07e4b8c0e3580b3e4a1eb62c70f1ffb86004d3d94f50767cb404fa7a639b4d05',
    repository: 'malancas/attest-demo',
    'signer-workflow': 'bdehamer/workflows/.github/workflows/attest.yml',
    'signer-repository': 'bdehamer/workflows',
  };
  before(async () => {
    ws = await mkdtemp(path.join(os.tmpdir(), 'tuf-verify-'));
    await copyFile(path.join(REPO_ROOT, '__tests__/fixtures/real-world', BUNDLE), path.join(ws, BUNDLE));
  });
  after(async () => {
    await rm(ws, { recursive: true, force: true });
  });
  const logTo = (warnings: string[]) => ({
    info: () => undefined,
    debug: () => undefined,
    warning: (m: string) => warnings.push(m),
  });

  void it('verifies against the snapshot when TUF is out of reach, and says so through the log', async () => {
    const warnings: string[] = [];
    const report = await verifyWithInputs(ws, inputs, {
      log: logTo(warnings),
      trustedRootSources: { publicGood: { mirrorURL: `http://127.0.0.1:${await closedPort()}`, retries: 0 } },
    });
    assert.equal(report.verified, true, JSON.stringify(report.artifacts));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? '',
      /using the trusted root shipped with the action instead, whose newest key dates from \d{4}-\d{2}-\d{2}/,
    );
  });

  void it("verifies against what TUF serves: a root without public-good's keys fails the same bundle", async () => {
    const repo = await startTufRepo(other);
    try {
      const warnings: string[] = [];
      const report = await verifyWithInputs(ws, inputs, {
        log: logTo(warnings),
        trustedRootSources: { publicGood: { mirrorURL: repo.url, initialRoot: repo.initialRoot } },
      });
      assert.equal(report.verified, false);
      assert.deepEqual(warnings, []);
      assert.ok(repo.requests.some((r) => r.endsWith('.trusted_root.json')));
    } finally {
      await repo.stop();
    }
  });
});
