// The bundled action as shipped: code splitting must not break what is located at run time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { REPO_ROOT } from '../../testkit/runner.ts';

const dist = path.join(REPO_ROOT, 'dist');

it('the chunk that starts hash workers finds dist/hash-worker.js (the pool is used for 8+ files)', () => {
  const chunks = readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
  const starter = chunks.filter((f) => readFileSync(path.join(dist, 'chunks', f), 'utf8').includes('hash-worker.js'));
  assert.equal(starter.length, 1, 'one chunk locates the worker');
  assert.ok(existsSync(path.join(dist, 'hash-worker.js')));
});

it('keeps dist/index.js small: the modes and sinks load their code on demand', () => {
  assert.ok(readFileSync(path.join(dist, 'index.js')).length < 64 * 1024);
});
