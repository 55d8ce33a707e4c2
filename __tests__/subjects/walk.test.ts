// walk.ts replaces @actions/glob's search on POSIX; @actions/glob stays the reference. Every
// pattern below is run through both on one tree full of edge cases (symlinks in and out, a
// cycle, a broken link, a FIFO, dotfiles, glob characters in names, excludes), and must give the
// same files, the same names, or the same error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { findFiles, matchPaths } from '../../src/subjects/match-paths.ts';
import type { SearchEngine } from '../../src/subjects/match-paths.ts';
import { openWorkspace } from '../../src/subjects/workspace.ts';
import type { Workspace } from '../../src/subjects/workspace.ts';
import { tempWorkspace } from './fixtures.ts';
import type { TempWorkspace } from './fixtures.ts';

let tmp: TempWorkspace;
let ws: Workspace;
let outside: string;

before(async () => {
  tmp = await tempWorkspace();
  outside = await mkdtemp(path.join(os.tmpdir(), 'walk-outside-'));
  for (const file of [
    'dist/app.tgz',
    'dist/app.tgz.map',
    'dist/app.zip',
    'dist/.hidden',
    'dist/docs/readme.txt',
    'dist/docs/deep/app.tgz',
    'dist/docs/deep/.env',
    'weird/[x]',
    'weird/x',
    'weird/a*b',
    'weird/q?',
    'weird/with space.bin',
    'weird/back\\slash',
    'cycle/inner/file.txt',
    'pipes/tree/file.bin',
    'deep/a/b/c/d/e.txt',
  ]) {
    await tmp.write(file, `content of ${file}`);
  }
  await symlink('dist/app.zip', path.join(tmp.dir, 'link.zip'));
  await symlink('dist/docs', path.join(tmp.dir, 'linkdir'));
  await symlink('..', path.join(tmp.dir, 'cycle/inner/up')); // leads back to cycle/: a cycle
  await symlink('missing.bin', path.join(tmp.dir, 'dist/broken.bin'));
  await tmp.write(path.join(path.relative(tmp.dir, outside), 'secret.txt'), 'secret');
  await mkdir(path.join(tmp.dir, 'escape'));
  await symlink(path.join(outside, 'secret.txt'), path.join(tmp.dir, 'escape/out.txt'));
  await symlink(outside, path.join(tmp.dir, 'escape-dir'));
  execFileSync('mkfifo', [path.join(tmp.dir, 'pipes/fifo'), path.join(tmp.dir, 'pipes/tree/fifo')]);
  ws = await openWorkspace(tmp.dir);
});
after(async () => {
  await tmp.remove();
  await rm(outside, { recursive: true, force: true });
});

const PATTERNS = [
  'dist',
  'dist/',
  'dist/*',
  'dist/**',
  'dist/**/',
  'dist/**/*.tgz',
  '**/*.tgz',
  '**/app.*',
  '*',
  '**',
  '.',
  '**, !escape/**, !escape-dir, !pipes/**',
  '., !escape, !escape-dir, !pipes/fifo',
  '*/*, !escape/*',
  'dist/*.{tgz,zip}',
  '{dist,dist/docs}',
  'dist, dist/docs',
  'dist/docs, dist',
  'dist, !dist/*.map',
  'dist/**, !**/*.map',
  'dist, !**/.*',
  'dist, !dist/docs',
  'dist/docs/, !dist/docs/deep/',
  'dist/docs/**/, !dist/docs/deep/',
  'dist/docs/**, !dist/docs/deep/**',
  'dist/app.*, !dist/*.map, dist/*.map',
  '!dist/*.map, dist/app.*',
  'dist/?pp.*',
  'dist/[a]pp.tgz',
  'dist/[!a]*',
  'dist/app.tgz',
  'dist/app.tgz/',
  'dist/broken.bin',
  'dist/*.bin',
  'link.zip',
  'linkdir',
  'linkdir/*',
  'linkdir/**',
  'cycle',
  'cycle/**/file.txt',
  'weird',
  'weird/[x]',
  'weird/*',
  'weird/a*b',
  'weird/q?',
  'weird/with space.bin',
  'deep/**/e.txt',
  'deep/*/b/**',
  'pipes/tree',
  'pipes/*',
  'pipes/fifo',
  'escape/*',
  'escape-dir',
  'escape-dir/*.none',
  'missing',
  'missing/*',
];

type Outcome = { files: { path: string; real: string; name: string }[] } | { error: string };

async function outcome(raw: string, engine: SearchEngine): Promise<Outcome> {
  try {
    const files = await findFiles(ws, raw, () => undefined, 'subject-path', engine);
    return { files: files.map(({ path: p, real, name }) => ({ path: p, real, name })) };
  } catch (err) {
    if (err instanceof ProvenanceError) return { error: err.toLine() };
    throw err;
  }
}

for (const raw of PATTERNS) {
  void test(`walk.ts finds what @actions/glob finds: ${JSON.stringify(raw)}`, { timeout: 10_000 }, async () => {
    assert.deepEqual(await outcome(raw, 'walk'), await outcome(raw, 'actions-glob'));
  });
}

void test('the files reported to onFile are the files returned, each once per match', async () => {
  const seen: string[] = [];
  const files = await findFiles(ws, 'dist, weird', (real) => seen.push(real));
  assert.deepEqual(seen.sort(), files.map((f) => f.real).sort());
});

void test('matchPaths gives every file its size (a tree walk does not stat, so it stats what it returns)', async () => {
  const files = await matchPaths(ws, 'dist, link.zip');
  assert.ok(files.length > 5);
  for (const f of files) assert.equal(f.size, statSync(f.real).size, f.path);
});
