// The bundled action as shipped: code splitting must not break what is located at run time.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerUrl } from '../../src/worker-url.ts';
import { REPO_ROOT } from '../../testkit/runner.ts';

const dist = path.join(REPO_ROOT, 'dist');

// Code splitting puts the modules that start workers in dist/ or dist/chunks/; from either, the
// worker files must be found. (The e2e runs start both pools from dist: attest-scale.test.ts hashes
// 100,000 files and verifies 98 bundles through them.)
for (const name of ['hash-worker', 'verify-worker']) {
  it(`dist/${name}.js is shipped and found from dist/ and from dist/chunks/`, () => {
    const file = path.join(dist, `${name}.js`);
    assert.ok(existsSync(file));
    for (const starter of [path.join(dist, 'index.js'), path.join(dist, 'chunks', 'any-chunk.js')]) {
      assert.equal(fileURLToPath(workerUrl(name, pathToFileURL(starter).href)), file);
    }
  });
}

it('a missing worker file ends in a message saying dist/ is incomplete', () => {
  assert.throws(() => workerUrl('no-such-worker', pathToFileURL(path.join(dist, 'index.js')).href), /no-such-worker not found beside .*dist\/ is incomplete, rebuild it/);
});

it('keeps dist/index.js small: the modes and sinks load their code on demand', () => {
  assert.ok(readFileSync(path.join(dist, 'index.js')).length < 64 * 1024);
});
