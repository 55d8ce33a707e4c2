// Attest mode's `artifact` input, end to end: a build job uploads its files as a workflow artifact (the real
// @actions/artifact against the loopback stand-in for the results service, testkit/actions-artifacts), and the
// bundled action, run as a runner runs it against the local Sigstore stack, downloads and hashes them as the
// subjects. Failures (an unknown or empty artifact, a second subject input, no artifact runtime) end in one
// line before anything is signed. @actions/artifact refuses to upload no files (FilesNotFoundError) and stores
// an empty directory as an empty file, so the empty artifact (a zip without entries, as another uploader could
// make) is put in through the service's own calls (CreateArtifact, a blob PUT, FinalizeArtifact).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DefaultArtifactClient } from '@actions/artifact';
import { withArtifactEnv } from '../../src/github/workflow-artifacts.ts';
import { startActionsArtifacts, type ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';

let services: LocalServices;
let artifacts: ActionsArtifactsStandIn;
let scratch: string;
let ws: string; // the signing job's workspace: it holds the SigningConfig, never the files signed

const FILES: Record<string, string> = {
  'app-linux': 'linux build',
  'docs/manual.pdf': '%PDF-1.7 manual',
};

before(async () => {
  services = await startLocalServices();
  artifacts = await startActionsArtifacts();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'attest-artifact-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  // What the build job uploads (actions/upload-artifact does the same through the same library).
  const build = await mkdtemp(path.join(scratch, 'build-'));
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(build, name)), { recursive: true });
    await writeFile(path.join(build, name), content);
  }
  await withArtifactEnv(artifacts.env, async () => {
    const client = new DefaultArtifactClient();
    await client.uploadArtifact(
      'build-output',
      Object.keys(FILES).map((name) => path.join(build, name)),
      build,
    );
  });
});

/** Stores `zip` as artifact `name` of the run the way the service's clients do, without @actions/artifact. */
async function uploadRawZip(name: string, zip: Buffer): Promise<void> {
  const ids = {
    workflow_run_backend_id: artifacts.workflowRunBackendId,
    workflow_job_run_backend_id: artifacts.workflowJobRunBackendId,
  };
  const twirp = async (method: string, body: object): Promise<Record<string, unknown>> => {
    const res = await fetch(`${artifacts.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${artifacts.runtimeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ids, ...body }),
    });
    assert.equal(res.status, 200, `${method}: ${await res.clone().text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const created = await twirp('CreateArtifact', { name, version: 4 });
  const put = await fetch(String(created['signed_upload_url']), {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-blob-content-type': 'application/zip' },
    body: zip,
  });
  assert.equal(put.status, 201);
  await twirp('FinalizeArtifact', { name, size: String(zip.length), hash: { value: `sha256:${sha256(zip)}` } });
}
after(async () => {
  await Promise.all([services.stop(), artifacts.stop()]);
  await rm(scratch, { recursive: true, force: true });
});

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const san = (): string => `https://github.com/${services.issuer.claims.job_workflow_ref}`;
const signing = { sigstore: 'signing.json', 'attestations-api': 'false' };

async function attestWith(inputs: Record<string, string>, env = artifacts.env): Promise<ActionRun> {
  return runAction(services, { scratch, workspace: ws, env, inputs: { ...signing, ...inputs } });
}

/** Runs `step` and asserts it signed nothing: no certificate asked for, no log entry, no bundle file. */
async function signsNothing(step: () => Promise<ActionRun>): Promise<ActionRun> {
  const before = { ...services.sigstore.requests };
  const run = await step();
  assert.deepEqual(services.sigstore.requests, before, 'no request reached Fulcio, Rekor or the TSA');
  const left = await readdir(run.runnerTemp, { recursive: true });
  assert.deepEqual(
    left.filter((f) => /\.(jsonl|sigstore\.json)$|provenance-subjects-/.test(f)),
    [],
    'no bundle file and no download directory left behind',
  );
  return run;
}

function assertFailedWith(run: ActionRun, pattern: RegExp): void {
  assert.equal(run.code, 1, `exit code 1 expected; stdout:\n${run.stdout}`);
  assert.equal(run.errors.length, 1, `exactly one error line expected, got:\n${run.errors.join('\n')}`);
  assert.match(run.errors[0] ?? '', pattern);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
}

describe('attest: artifact names a workflow artifact whose files are the subjects', () => {
  it('hashes each file of the artifact, named by its path inside it; the bundle verifies; the download is removed', async () => {
    const run = await attestWith({ artifact: 'build-output' });
    assert.equal(run.code, 0, run.stdout);
    const [bundle, ...more] = readBundles(await readFile(run.outputs['bundle-path'] ?? '', 'utf8'));
    assert.ok(bundle);
    assert.equal(more.length, 0);
    verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, { san: san(), issuer: services.issuer.issuer });
    assert.deepEqual(statementOf(bundle).subject, [
      { name: 'app-linux', digest: { sha256: sha256(FILES['app-linux'] ?? '') } },
      { name: 'docs/manual.pdf', digest: { sha256: sha256(FILES['docs/manual.pdf'] ?? '') } },
    ]);
    const left = await readdir(run.runnerTemp);
    assert.deepEqual(
      left.filter((f) => f.startsWith('provenance-subjects-')),
      [],
      'the downloaded artifact is removed',
    );
  });

  it('an unknown artifact ends in one line naming it and how to fix it, with nothing signed', async () => {
    const run = await signsNothing(() => attestWith({ artifact: 'no-such-build' }));
    assertFailedWith(
      run,
      /GitHub Actions artifact service has no artifact named "no-such-build" in this workflow run\. .*the job which uploads it ran earlier in this run.*\[ARTIFACT_NOT_FOUND\]$/,
    );
  });

  it('an artifact holding no files ends in one line, with nothing signed', async () => {
    // The end-of-central-directory record alone: a valid zip with no entries.
    await uploadRawZip('nothing-inside', Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]));
    const run = await signsNothing(() => attestWith({ artifact: 'nothing-inside' }));
    assertFailedWith(
      run,
      /artifact "nothing-inside" from the GitHub Actions artifact service holds no files; expected the files to attest\. Upload the build's files under this name.*\[ARTIFACT_NOT_FOUND\]$/,
    );
  });

  it('artifact with subject-path is refused before anything is signed', async () => {
    const downloads = artifacts.requestsTo('blob-get').length;
    const run = await signsNothing(() => attestWith({ artifact: 'build-output', 'subject-path': 'signing.json' }));
    assertFailedWith(
      run,
      /artifact and subject-path are both set; expected one source of subjects per step.*\[INPUT_CONFLICT\]$/,
    );
    assert.equal(artifacts.requestsTo('blob-get').length, downloads, 'the artifact was not even downloaded');
  });

  it('outside a job (no artifact runtime) ends in one line before any token is asked for', async () => {
    const tokens = services.issuer.requests.token;
    const run = await signsNothing(() => attestWith({ artifact: 'build-output' }, {}));
    assertFailedWith(run, /GitHub Actions artifact service is not available: .*\[ARTIFACTS_UNAVAILABLE\]$/);
    assert.equal(services.issuer.requests.token, tokens, 'no OIDC token was requested');
  });
});
