// The bundled action as shipped: code splitting must not break what is located at run time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerUrl } from '../../src/common/worker-url.ts';
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
  assert.throws(
    () => workerUrl('no-such-worker', pathToFileURL(path.join(dist, 'index.js')).href),
    /no-such-worker not found beside .*dist\/ is incomplete, rebuild it/,
  );
});

it('keeps dist/index.js small: the modes and sinks load their code on demand', () => {
  assert.ok(readFileSync(path.join(dist, 'index.js')).length < 64 * 1024);
});

// What an entry point loads before it knows its mode: itself and the chunks it imports statically.
function startupFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(
    /(?:^|[;}\n])\s*import\s*(?:[^"'()]*?from\s*)?["'](\.[^"']+)["']/g,
  )) {
    startupFiles(path.resolve(path.dirname(file), m[1] ?? ''), seen);
  }
  return seen;
}

it('keeps the YAML parser out of start-up: only verify mode loads it, with the policy and manifests', () => {
  const yamlChunks = (files: Iterable<string>): string[] =>
    [...files].filter((f) => readFileSync(f, 'utf8').includes('Nested mappings are not allowed in compact mappings'));
  for (const entry of ['index.js', 'cli.js']) {
    const files = startupFiles(path.join(dist, entry));
    assert.ok(files.size > 1, `${entry} imports its shared chunks`);
    assert.deepEqual(yamlChunks(files), [], `${entry} loads no YAML parser at start-up`);
  }
  assert.equal(
    yamlChunks(
      readdirSync(path.join(dist, 'chunks'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(dist, 'chunks', f)),
    ).length,
    1,
    'the parser is bundled, once',
  );
});
