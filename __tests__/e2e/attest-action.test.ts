// The bundled action (dist/index.js) run as a GitHub runner runs it, against a local Fulcio,
// Rekor, TSA and OIDC issuer (real signing, real verification; nothing here is stubbed).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';

let services: LocalServices;
let scratch: string;
let rekorConfig: string; // SigningConfig paths inside each workspace are written per test
const cleanup: string[] = [];

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'e2e-'));
  cleanup.push(scratch);
  rekorConfig = JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false }));
});
after(async () => {
  await services.stop();
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

async function workspaceWith(files: Record<string, string>, signingConfig = rekorConfig): Promise<string> {
  const ws = await mkdtemp(path.join(scratch, 'ws-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws, name)), { recursive: true });
    await writeFile(path.join(ws, name), content);
  }
  await writeFile(path.join(ws, 'signing.json'), signingConfig);
  return ws;
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const san = (): string => `https://github.com/${services.issuer.claims.job_workflow_ref}`;

function assertFailedWith(run: ActionRun, pattern: RegExp): void {
  assert.equal(run.code, 1, `exit code 1 expected; stdout:\n${run.stdout}`);
  assert.equal(run.errors.length, 1, `exactly one error line expected, got:\n${run.errors.join('\n')}`);
  assert.match(run.errors[0] ?? '', pattern);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
}

async function bundleFilesIn(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return all.filter((f) => /\.(jsonl|sigstore\.json)$|\.tmp$/.test(f));
}

describe('attest mode, end to end', () => {
  it('signs provenance for every file; sigstore-js verifies it; the statement is exact', async () => {
    const files = { 'dist/app-linux': 'linux binary', 'dist/app-darwin': 'darwin binary', 'dist/notes.txt': 'n' };
    const ws = await workspaceWith(files);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'dist/app-*', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    const bundlePath = run.outputs['bundle-path'] ?? '';
    assert.equal(bundlePath, path.join(run.runnerTemp, 'provenance', 'multiple.intoto.jsonl'));
    const bundles = readBundles(await readFile(bundlePath, 'utf8'));
    assert.equal(bundles.length, 1);
    const bundle = bundles[0];
    assert.ok(bundle);
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, { san: san(), issuer: services.issuer.issuer });

    const statement = statementOf(bundle);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.deepEqual(statement.subject, [
      { name: 'app-darwin', digest: { sha256: sha256('darwin binary') } },
      { name: 'app-linux', digest: { sha256: sha256('linux binary') } },
    ]);
    const claims = services.issuer.claims;
    assert.equal(statement.predicateType, 'https://slsa.dev/provenance/v1');
    assert.deepEqual(statement.predicate, {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: {
            ref: claims.ref,
            repository: `https://github.com/${claims.repository}`,
            path: '.github/workflows/release.yml',
          },
        },
        internalParameters: {
          github: {
            event_name: 'push',
            repository_id: claims.repository_id,
            repository_owner_id: claims.repository_owner_id,
            runner_environment: 'github-hosted',
          },
        },
        resolvedDependencies: [
          { uri: `git+https://github.com/${claims.repository}@${claims.ref}`, digest: { gitCommit: claims.sha } },
        ],
      },
      runDetails: {
        builder: { id: san() },
        metadata: {
          invocationId: `https://github.com/${claims.repository}/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}`,
        },
      },
    });

    assert.equal(run.outputs['subject-count'], '2');
    const payload = Buffer.from('dsseEnvelope' in bundle ? (bundle.dsseEnvelope?.payload ?? '') : '', 'base64');
    assert.equal(run.outputs['statement-digest'], `sha256:${sha256(payload)}`);
    assert.match(run.summary, /## Provenance attested/);
    assert.ok(run.summary.includes(`\`${san()}\``), 'summary names the signer identity');
    assert.match(run.summary, /log index \d+/);
    assert.match(run.summary, /\| `app-linux` \| `sha256:[0-9a-f]{64}` \|/);

    // No secret leaves the process: not the runner's bearer token, not the job's JWT.
    const everything = [
      run.stdout,
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
      await readFile(bundlePath, 'utf8'),
    ].join('\n');
    assert.ok(!everything.includes(services.issuer.requestToken), 'the token-request bearer is never printed');
    assert.doesNotMatch(everything, /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./, 'no JWT is printed or written');
  });

  it('signs with an RFC 3161 timestamp and no log on a TSA-only instance (GitHub-style)', async () => {
    const ws = await workspaceWith(
      { 'app.tgz': 'tarball' },
      JSON.stringify(services.sigstore.signingConfig({ tlog: false, tsa: true })),
    );
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'app.tgz', sigstore: 'signing.json', 'bundle-path': 'out' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['bundle-path'], path.join(ws, 'out', 'app.tgz.sigstore.json'));
    const [bundle] = readBundles(await readFile(path.join(ws, 'out', 'app.tgz.sigstore.json'), 'utf8'));
    assert.ok(bundle);
    assert.equal(
      (bundle.verificationMaterial.tlogEntries ?? []).length,
      0,
      'no log entry: protobuf-JSON omits the empty list',
    );
    assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
    verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, { san: san(), issuer: services.issuer.issuer });
    assert.match(run.summary, /RFC 3161 timestamp \d{4}-/);
  });

  it('attests 2,000 files as two signed statements with every digest right', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`many/f${String(i).padStart(4, '0')}.bin`] = `content ${i}`;
    const ws = await workspaceWith(files);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'many/*.bin', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    const bundles = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
    assert.equal(bundles.length, 2);
    const subjects = bundles.flatMap((b) => {
      verifyWithSigstoreJs(b, services.sigstore.trustedRoot, { san: san(), issuer: services.issuer.issuer });
      return statementOf(b).subject;
    });
    assert.deepEqual(
      bundles.map((b) => statementOf(b).subject.length),
      [1024, 976],
    );
    const expected = Object.entries(files).map(([name, content]) => ({
      name: path.basename(name),
      digest: { sha256: sha256(content) },
    }));
    assert.deepEqual(subjects, expected);
    assert.equal(run.outputs['statement-digests']?.split('\n').length, 2);
  });

  it('checks a sample of digests against sha256sum', async () => {
    const ws = await workspaceWith({ 'a.bin': 'alpha', 'b.bin': Buffer.alloc(3_000_000, 7).toString('latin1') });
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': '*.bin', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    const [bundle] = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
    assert.ok(bundle);
    const sums = execFileSync('sha256sum', ['a.bin', 'b.bin'], { cwd: ws, encoding: 'utf8' });
    for (const subject of statementOf(bundle).subject) {
      assert.ok(sums.includes(`${subject.digest['sha256']}  ${subject.name}`), `${subject.name} matches sha256sum`);
    }
  });

  it('retries Fulcio and Rekor 503s and the token endpoint 503s, then succeeds', async () => {
    const ws = await workspaceWith({ 'x.bin': 'x' });
    services.sigstore.faults.fulcio.push(503, 503);
    services.sigstore.faults.rekor.push(503, 'reset');
    services.issuer.faults.push(503, 429);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(
      services.sigstore.faults.fulcio.length + services.sigstore.faults.rekor.length + services.issuer.faults.length,
      0,
    );
  });

  it("treats Rekor's 409 after a lost response as success, using the entry already logged", async () => {
    const ws = await workspaceWith({ 'x.bin': 'x' });
    const before = services.sigstore.requests.rekor;
    services.sigstore.faults.rekor.push('lost-response');
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json' },
    });
    assert.equal(run.code, 0, run.stdout);
    // POST (logged, answer lost) → POST (409) → GET of the existing entry.
    assert.equal(services.sigstore.requests.rekor - before, 3);
    const [bundle] = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
    assert.ok(bundle);
    verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, { san: san(), issuer: services.issuer.issuer });
  });

  it('records workflow_dispatch inputs from the event payload', async () => {
    const ws = await workspaceWith({ 'x.bin': 'x' });
    const claims = services.issuer.claims;
    const event = path.join(ws, 'event.json');
    await writeFile(
      event,
      JSON.stringify({ ref: claims.ref, repository: { full_name: claims.repository }, inputs: { channel: 'beta' } }),
    );
    const saved = claims.event_name;
    claims.event_name = 'workflow_dispatch';
    try {
      const run = await runAction(services, {
        scratch,
        workspace: ws,
        inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json' },
        env: { GITHUB_EVENT_PATH: event },
      });
      assert.equal(run.code, 0, run.stdout);
      const [bundle] = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
      assert.ok(bundle);
      const predicate = statementOf(bundle).predicate as {
        buildDefinition: { externalParameters: { inputs?: unknown } };
      };
      assert.deepEqual(predicate.buildDefinition.externalParameters.inputs, { channel: 'beta' });
    } finally {
      claims.event_name = saved;
    }
  });
});

describe('attest mode refuses, in one line, with exit 1 and no bundle written', () => {
  const cases: [string, Record<string, string>, RegExp, Record<string, string | undefined>?][] = [
    ['no subject input', {}, /no subjects: one of subject-path/],
    ['a glob matching nothing', { 'subject-path': 'dist/*.zip' }, /subject-path.*dist\/\*\.zip/],
    [
      'a path outside the workspace',
      { 'subject-path': '../../etc/passwd' },
      /outside the workspace|PATH_OUTSIDE_WORKSPACE/,
    ],
    ['a malformed digest', { 'subject-name': 'img', 'subject-digest': 'sha256:abc' }, /subject-digest.*sha256:abc/],
    [
      'a bad checksums line',
      { 'subject-checksums': `${'a'.repeat(64)}  x.bin\nnot a checksum line` },
      /subject-checksums.*line 2/,
    ],
    [
      'invalid predicate JSON',
      { 'subject-path': 'x.bin', 'predicate-type': 'https://example.com/p', predicate: '{nope' },
      /predicate is not valid JSON/,
    ],
    [
      'a missing id-token permission',
      { 'subject-path': 'x.bin' },
      /no id-token permission.*id-token: write/,
      { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
    ],
    ['a pull_request event', { 'subject-path': 'x.bin' }, /"pull_request" events/, { PULL_REQUEST: '1' }],
    ['an unknown sigstore value', { 'subject-path': 'x.bin', sigstore: 'staging' }, /sigstore: "staging"/],
  ];
  for (const [label, inputs, pattern, env] of cases) {
    it(label, async () => {
      const ws = await workspaceWith({ 'x.bin': 'x' });
      const saved = services.issuer.claims.event_name;
      if (env?.['PULL_REQUEST']) services.issuer.claims.event_name = 'pull_request';
      try {
        const run = await runAction(services, {
          scratch,
          workspace: ws,
          inputs: { sigstore: 'signing.json', ...inputs },
          ...(env ? { env } : {}),
        });
        assertFailedWith(run, pattern);
        assert.deepEqual(await bundleFilesIn(run.runnerTemp), []);
        assert.deepEqual(await bundleFilesIn(ws), []);
      } finally {
        services.issuer.claims.event_name = saved;
      }
    });
  }

  it('Fulcio unreachable: names Fulcio and its URL', async () => {
    const config = services.sigstore.signingConfig({ tlog: true, tsa: false });
    const down = JSON.stringify(config).replaceAll(services.sigstore.fulcioURL, 'http://127.0.0.1:1');
    const ws = await workspaceWith({ 'x.bin': 'x' }, down);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json' },
    });
    assertFailedWith(run, /Fulcio .*http:\/\/127\.0\.0\.1:1.*FULCIO_FAILED/);
    assert.deepEqual(await bundleFilesIn(run.runnerTemp), []);
  });

  it("sigstore: auto signs with GitHub's instance when the token has no repository_visibility claim, never the public log", async () => {
    // No network here: the instance picked shows in the line logged before signing and in the
    // Fulcio named by the failure; the public-good plan would have named fulcio.sigstore.dev.
    const ws = await workspaceWith({ 'x.bin': 'x' });
    const claims = services.issuer.claims as unknown as Record<string, unknown>;
    const saved = claims['repository_visibility'];
    delete claims['repository_visibility'];
    try {
      const run = await runAction(services, {
        scratch,
        workspace: ws,
        inputs: { 'subject-path': 'x.bin', sigstore: 'auto' },
        env: { PROVENANCE_TEST_BACKOFF_SCALE: '0', PROVENANCE_TEST_TIMEOUT_MS: '2000' },
      });
      assert.match(run.stdout, /with Sigstore github \(https:\/\/fulcio\.githubapp\.com\)/);
      assert.doesNotMatch(run.stdout + run.stderr, /sigstore\.dev/);
      assertFailedWith(run, /fulcio\.githubapp\.com.*\[FULCIO_FAILED\]/);
    } finally {
      claims['repository_visibility'] = saved;
    }
  });

  it('a token signed by a key the issuer does not publish is refused before signing', async () => {
    const ws = await workspaceWith({ 'x.bin': 'x' });
    const forged = await services.issuer.mint({}, 'sigstore', { untrusted: true });
    const before = services.sigstore.requests.fulcio;
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json' },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined,
        SIGSTORE_ID_TOKEN: forged,
      },
    });
    assertFailedWith(run, /does not verify against/);
    assert.equal(services.sigstore.requests.fulcio, before, 'Fulcio was never asked');
  });
});

describe('attest mode checks every input before signing: a refused run leaves no certificate and no log entry', () => {
  const image = { 'subject-name': 'ghcr.io/Octo-Org/App', 'subject-digest': `sha256:${'a'.repeat(64)}` };
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a github-token with a line break',
      { 'github-token': 'ghs_secretpart1\nghs_secretpart2' },
      /^::error::github-token contains a line break, .*\[INPUT_INVALID\]$/,
    ],
    [
      'a github-token with a character no HTTP header carries',
      { 'github-token': 'ghs_sécrétpart' },
      /^::error::github-token contains a character outside visible ASCII, .*\[INPUT_INVALID\]$/,
    ],
    [
      'a github-token with a "Bearer " prefix',
      { 'github-token': 'Bearer ghs_secretpart' },
      /^::error::github-token contains white space .*\[INPUT_INVALID\]$/,
    ],
    [
      'an empty github-token when attestations-api is true',
      { 'github-token': '', 'attestations-api': 'true' },
      /^::error::github-token is empty, but attestations-api: true needs it\. .*\[INPUT_CONFLICT\]$/,
    ],
    [
      'an empty github-token when uploading to a release',
      { 'github-token': '', 'upload-to-release': 'v1.2.0' },
      /^::error::github-token is empty, but upload-to-release \(tag "v1\.2\.0"\) needs it\. .*\[INPUT_CONFLICT\]$/,
    ],
    [
      'a release tag git refuses',
      { 'upload-to-release': 'v1.2.0:final' },
      /^::error::upload-to-release: "v1\.2\.0:final" is not a tag name git accepts.*\[INPUT_INVALID\]$/,
    ],
    [
      'an image name that is no registry reference',
      { ...image, 'subject-path': '', 'push-to-registry': 'true', 'attestations-api': 'false' },
      /^::error::subject-name: "ghcr\.io\/Octo-Org\/App" is not an image reference.*\[INPUT_INVALID\]$/,
    ],
    [
      'upload-artifact outside an Actions runtime',
      { 'upload-artifact': 'bundles' },
      /^::error::GitHub Actions artifact service is not available: .*\[ARTIFACTS_UNAVAILABLE\]$/,
    ],
    [
      'a bundle-path under a regular file',
      { 'bundle-path': 'x.bin/out.sigstore.json' },
      /^::error::bundle-path: cannot write .*x\.bin is not a directory.*\[OUTPUT_FAILED\]$/,
    ],
  ];
  for (const [label, inputs, pattern] of cases) {
    it(label, async () => {
      const ws = await workspaceWith({ 'x.bin': 'x' });
      const before = { ...services.sigstore.requests };
      const run = await runAction(services, {
        scratch,
        workspace: ws,
        inputs: { 'subject-path': 'x.bin', sigstore: 'signing.json', ...inputs },
      });
      assertFailedWith(run, pattern);
      assert.deepEqual(
        services.sigstore.requests,
        before,
        'neither Fulcio nor Rekor was asked: no certificate, no log entry',
      );
      assert.doesNotMatch(run.stdout + run.stderr, /secretpart/, 'no part of the token is printed');
      assert.deepEqual(await bundleFilesIn(run.runnerTemp), []);
    });
  }
});
