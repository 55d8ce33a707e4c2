// `npm run demo` is one of the README's two commands: it must run on its own, verify what it made,
// and leave the files a third-party verifier needs.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { REPO_ROOT, runProcess } from '../../testkit/runner.ts';

const out = await mkdtemp(path.join(os.tmpdir(), 'demo-'));
after(() => rm(out, { recursive: true, force: true }));

it('runs the bundled action, verifies offline three ways, and leaves artifacts, bundles and trusted_root.json', async () => {
  const run = await runProcess(
    process.execPath,
    [path.join(REPO_ROOT, 'scripts', 'demo.ts')],
    { PATH: process.env['PATH'], DEMO_OUTPUT: out },
    REPO_ROOT,
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /@sigstore\/verify: OK/);
  assert.match(run.stdout, /openssl: Verified OK/);
  assert.equal(run.stdout.match(/matches the file/g)?.length, 3);
  assert.doesNotMatch(run.stdout, /::debug::/);
  assert.deepEqual((await readdir(path.join(out, 'artifacts'))).length, 3);
  assert.deepEqual(await readdir(path.join(out, 'bundles')), ['multiple.intoto.jsonl']);
  const root = JSON.parse(await readFile(path.join(out, 'trusted_root.json'), 'utf8')) as { mediaType: string };
  assert.equal(root.mediaType, 'application/vnd.dev.sigstore.trustedroot+json;version=0.1');
});
