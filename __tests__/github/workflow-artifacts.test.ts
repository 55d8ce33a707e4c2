// Bundles published as a workflow artifact and read back, against the loopback stand-in for the Actions
// results service and its blob storage (testkit/actions-artifacts), through the real @actions/artifact.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { uploadBundlesArtifact } from '../../src/github/workflow-artifacts.ts';
import { artifactBundles } from '../../src/verify/sources/artifact-source.ts';
import { mintRuntimeToken, startActionsArtifacts } from '../../testkit/actions-artifacts/index.ts';
import type { ActionsArtifactsStandIn } from '../../testkit/actions-artifacts/index.ts';

const BUNDLE = JSON.stringify({
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {},
  dsseEnvelope: { payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [] },
});
const FILES = [
  { name: 'app-linux.sigstore.json', content: `${BUNDLE}\n` },
  // Non-ASCII and no trailing newline, to catch any re-encoding on the way.
  { name: 'multiple.intoto.jsonl', content: `${BUNDLE}\n${BUNDLE.replace('e30=', 'eyJ4Ijoiw6kifQ==')} — ünïcødé` },
];

async function rejection(promise: Promise<unknown>): Promise<ProvenanceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProvenanceError, `expected a ProvenanceError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

async function tempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('provenance-artifact-'));
}

describe('workflow artifact bundles', () => {
  let service: ActionsArtifactsStandIn;
  before(async () => {
    service = await startActionsArtifacts();
  });
  after(() => service.stop());

  it('uploads two bundle files and reads them back byte for byte, leaving no temp dirs', async () => {
    const dirsBefore = await tempDirs();
    const uploaded = await uploadBundlesArtifact('provenance', FILES, service.env);
    assert.equal(uploaded.name, 'provenance');
    assert.ok(uploaded.id > 0);

    const read = await artifactBundles('provenance', service.env);
    assert.deepEqual(read, [
      { source: 'artifact:provenance/app-linux.sigstore.json', text: FILES[0]?.content },
      { source: 'artifact:provenance/multiple.intoto.jsonl', text: FILES[1]?.content },
    ]);
    assert.deepEqual(await tempDirs(), dirsBefore);

    // The calls @actions/artifact made, all carrying the runtime token or the blob signature.
    const endpoints = service.requests.map((r) => r.endpoint);
    assert.deepEqual(
      [...new Set(endpoints)],
      [
        'CreateArtifact',
        'blob-put-block',
        'blob-put-blocklist',
        'FinalizeArtifact',
        'ListArtifacts',
        'GetSignedArtifactURL',
        'blob-get',
      ],
    );
    assert.ok(service.requests.every((r) => r.authorized));
    // Finalize recorded the zip's digest; the download checked it (a mismatch would have failed).
    assert.match(service.artifacts[0]?.hash ?? '', /^sha256:[0-9a-f]{64}$/);
  });

  it('skips files that are not bundles, and fails in one line when there are none', async () => {
    await uploadBundlesArtifact(
      'mixed',
      [
        { name: 'notes.txt', content: 'hello' },
        { name: 'a.sigstore.json', content: BUNDLE },
      ],
      service.env,
    );
    assert.deepEqual(await artifactBundles('mixed', service.env), [
      { source: 'artifact:mixed/a.sigstore.json', text: BUNDLE },
    ]);

    await uploadBundlesArtifact('no-bundles', [{ name: 'notes.txt', content: 'hello' }], service.env);
    const err = await rejection(artifactBundles('no-bundles', service.env));
    assert.equal(err.code, 'ARTIFACT_NOT_FOUND');
    assert.match(err.toLine(), /holds no \*\.sigstore\.json or \*\.jsonl files/);
  });

  it('turns a name this run already has (409 already_exists) into one clear line, or replaces it with overwrite', async () => {
    await uploadBundlesArtifact('rerun', FILES, service.env);
    const err = await rejection(uploadBundlesArtifact('rerun', FILES, service.env));
    assert.equal(err.code, 'ARTIFACT_CONFLICT');
    const line = err.toLine();
    assert.doesNotMatch(line, /\n/);
    assert.match(
      line,
      /^GitHub Actions artifact service refused to upload artifact "rerun": an artifact of that name already exists in this workflow run\. .*overwrite/,
    );

    const replaced = await uploadBundlesArtifact(
      'rerun',
      [{ name: 'new.sigstore.json', content: BUNDLE }],
      service.env,
      { overwrite: true },
    );
    assert.equal(service.requestsTo('DeleteArtifact').length, 1);
    assert.deepEqual(await artifactBundles('rerun', service.env), [
      { source: 'artifact:rerun/new.sigstore.json', text: BUNDLE },
    ]);
    assert.equal(
      service.artifacts
        .filter((a) => a.name === 'rerun')
        .map((a) => a.id)
        .join(),
      String(replaced.id),
    );
  });

  it('rides out a 503 from the results service the way @actions/artifact does: it retries', async () => {
    const before = service.requestsTo('CreateArtifact').length;
    service.faults.CreateArtifact.push(503);
    const uploaded = await uploadBundlesArtifact('after-503', FILES, service.env);
    assert.ok(uploaded.id > 0);
    assert.deepEqual(
      service
        .requestsTo('CreateArtifact')
        .slice(before)
        .map((r) => r.status),
      [503, 200],
    );
  });

  it("reports a 503 that outlasts the library's 5 attempts (about 25 s of backoff) as one line naming the service", async () => {
    service.faults.CreateArtifact.push(503, 503, 503, 503, 503);
    const err = await rejection(uploadBundlesArtifact('always-503', FILES, service.env));
    assert.equal(err.code, 'ARTIFACT_FAILED');
    const line = err.toLine();
    assert.doesNotMatch(line, /\n/);
    assert.match(
      line,
      /^GitHub Actions artifact service failed to upload artifact "always-503": Failed to CreateArtifact: Failed to make request after 5 attempts: .*\(503\).*re-run the job/,
    );
    assert.ok(!line.includes(service.runtimeToken));
    assert.equal(service.faults.CreateArtifact.length, 0);
  });

  it('reports a refusal the library does not retry as one line naming the service', async () => {
    service.faults.ListArtifacts.push(403);
    const err = await rejection(artifactBundles('provenance', service.env));
    assert.equal(err.code, 'ARTIFACT_FAILED');
    const line = err.toLine();
    assert.doesNotMatch(line, /\n/);
    assert.match(
      line,
      /^GitHub Actions artifact service refused the job's runtime token while trying to find artifact "provenance" \(.*\(403\)/,
    );
    assert.ok(!line.includes(service.runtimeToken));
  });

  it('says which artifact is missing', async () => {
    const err = await rejection(artifactBundles('never-uploaded', service.env));
    assert.equal(err.code, 'ARTIFACT_NOT_FOUND');
    assert.match(
      err.toLine(),
      /^GitHub Actions artifact service has no artifact named "never-uploaded" in this workflow run\./,
    );
  });

  it('fails in one line outside GitHub Actions (no ACTIONS_RUNTIME_TOKEN), before any request', async () => {
    const count = service.requests.length;
    const env = { ACTIONS_RESULTS_URL: service.env.ACTIONS_RESULTS_URL };
    for (const attempt of [uploadBundlesArtifact('provenance', FILES, env), artifactBundles('provenance', env)]) {
      const err = await rejection(attempt);
      assert.equal(err.code, 'ARTIFACTS_UNAVAILABLE');
      assert.match(
        err.toLine(),
        /^GitHub Actions artifact service is not available: ACTIONS_RUNTIME_TOKEN is not set\. .*only work inside a GitHub Actions job/,
      );
    }
    assert.equal(service.requests.length, count);
  });

  it('refuses artifact and file names the service or a zip cannot hold', async () => {
    for (const [name, files] of [
      ['bad:name', FILES],
      ['ok', [{ name: '../escape.sigstore.json', content: BUNDLE }]],
      ['ok', [FILES[0]!, FILES[0]!]],
      ['ok', []],
    ] as const) {
      const err = await rejection(uploadBundlesArtifact(name, files, service.env));
      assert.equal(err.code, 'INPUT_INVALID');
    }
  });

  it('mints runtime tokens the way the runner shapes them', () => {
    const token = mintRuntimeToken('run-id', 'job-id');
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { scp: string };
    assert.ok(claims.scp.split(' ').includes('Actions.Results:run-id:job-id'));
  });
});
