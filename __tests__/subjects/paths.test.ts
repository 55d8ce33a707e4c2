// subject-path against a real file system: globs, excludes, directories, names, and every way
// a path could leave the workspace or name something that is not a file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { collectSubjects } from '../../src/subjects/index.ts';
import type { Subject } from '../../src/subjects/index.ts';
import { rejectsWith, tempWorkspace } from './fixtures.ts';
import type { TempWorkspace } from './fixtures.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
let ws: TempWorkspace;
let outside: string;

before(async () => {
  ws = await tempWorkspace();
  outside = await mkdtemp(path.join(os.tmpdir(), 'subjects-outside-'));
  await ws.write('dist/app.tgz', 'app');
  await ws.write('dist/app.tgz.map', 'map');
  await ws.write('dist/app.zip', 'zip');
  await ws.write('dist/docs/readme.txt', 'readme');
  await ws.write('dist/docs/deep/app.tgz', 'deep app');
  await ws.write('other/app.tgz', 'app'); // same basename and content as dist/app.tgz
  await ws.write('clash/app.tgz', 'not app'); // same basename, other content
  await ws.write(path.join(path.relative(ws.dir, outside), 'secret.txt'), 'secret').catch(() => undefined);
  await symlink('dist/app.zip', path.join(ws.dir, 'link.zip'));
  await symlink(path.join(outside, 'secret.txt'), path.join(ws.dir, 'escape.txt'));
  await symlink(outside, path.join(ws.dir, 'escape-dir'));
  await mkdir(path.join(ws.dir, 'pipes/tree'), { recursive: true });
  await ws.write('pipes/tree/file.bin', 'file');
  execFileSync('mkfifo', [path.join(ws.dir, 'pipes/fifo'), path.join(ws.dir, 'pipes/tree/fifo')]);
});
after(async () => {
  await ws.remove();
  await rm(outside, { recursive: true, force: true });
});

const collect = (paths: string): Promise<Subject[]> =>
  collectSubjects({ paths, names: '', digests: '', checksums: '' }, { workspace: ws.dir });
const names = async (paths: string): Promise<string[]> => (await collect(paths)).map((s) => s.name);

void test('a file matched directly is named by its basename and hashed', async () => {
  assert.deepEqual(await collect('dist/app.tgz'), [{ name: 'app.tgz', digest: { sha256: sha('app') } }]);
});

void test('globs, commas, braces and excludes', async () => {
  assert.deepEqual(await names('dist/*, !dist/*.map'), [
    'app.tgz',
    'app.zip',
    'dist/docs/deep/app.tgz',
    'dist/docs/readme.txt',
  ]);
  assert.deepEqual(await names('dist/*.{tgz,zip}'), ['app.tgz', 'app.zip']);
  assert.deepEqual(await names('dist/app.*\n!**/*.map\n!dist/*.zip'), ['app.tgz']);
});

void test('an exclude applies to the includes before it, as @actions/glob orders them', async () => {
  assert.deepEqual(await names('dist/app.*, !dist/*.map, dist/*.map'), ['app.tgz', 'app.tgz.map', 'app.zip']);
  assert.deepEqual(await names('!dist/*.map, dist/app.*'), ['app.tgz', 'app.tgz.map', 'app.zip']);
});

void test('a directory yields the files under it, named by workspace-relative path', async () => {
  assert.deepEqual(await names('dist/docs'), ['dist/docs/deep/app.tgz', 'dist/docs/readme.txt']);
  assert.deepEqual(await names('dist/docs/, !dist/docs/deep'), ['dist/docs/readme.txt']);
});

void test('dist/** names files by basename, as actions/attest does', async () => {
  await rejectsWith(collect('dist/**'), 'SUBJECT_DUPLICATE', 'dist/app.tgz', 'dist/docs/deep/app.tgz');
  assert.deepEqual(await names('dist/docs/**'), ['app.tgz', 'readme.txt']);
});

void test('a wildcard that matches a file and a directory names each by how it was found', async () => {
  assert.deepEqual(await names('dist/docs/*'), ['dist/docs/deep/app.tgz', 'readme.txt']);
});

void test('duplicate basenames: same content merges, different content names both paths', async () => {
  assert.deepEqual(await collect('dist/app.tgz, other/app.tgz'), [{ name: 'app.tgz', digest: { sha256: sha('app') } }]);
  await rejectsWith(
    collect('dist/app.tgz, clash/app.tgz'),
    'SUBJECT_DUPLICATE',
    '"app.tgz"',
    'dist/app.tgz',
    'clash/app.tgz',
  );
});

void test('a symlink inside the workspace is followed and keeps its own name', async () => {
  assert.deepEqual(await collect('link.zip'), [{ name: 'link.zip', digest: { sha256: sha('zip') } }]);
});

void test('a symlink leading out of the workspace is refused, naming link and target', async () => {
  await rejectsWith(collect('escape.txt'), 'PATH_OUTSIDE_WORKSPACE', '"escape.txt"', path.join(outside, 'secret.txt'));
  await rejectsWith(collect('escape-dir'), 'PATH_OUTSIDE_WORKSPACE', '"escape-dir"', outside);
  await rejectsWith(collect('*'), 'PATH_OUTSIDE_WORKSPACE', 'escape');
});

void test('patterns leaving the workspace are refused before any file is touched', async () => {
  await rejectsWith(collect('../x'), 'PATH_OUTSIDE_WORKSPACE', '"../x"');
  await rejectsWith(collect('dist/../../x'), 'PATH_OUTSIDE_WORKSPACE', '"dist/../../x"');
  await rejectsWith(collect('/etc/passwd'), 'PATH_OUTSIDE_WORKSPACE', '"/etc/passwd"');
  await rejectsWith(collect('dist/*, !../x'), 'PATH_OUTSIDE_WORKSPACE', '"../x"');
  await rejectsWith(collect('*/../../x'), 'INPUT_INVALID', "'..' after a wildcard");
});

void test('absolute and ../-normalised paths inside the workspace are fine', async () => {
  assert.deepEqual(await names(path.join(ws.dir, 'dist/app.zip')), ['app.zip']);
  assert.deepEqual(await names('other/../dist/app.zip'), ['app.zip']);
});

void test('a pattern matching nothing is SUBJECT_NOT_FOUND naming it', async () => {
  await rejectsWith(collect('dist/app.tgz, dist/*.exe'), 'SUBJECT_NOT_FOUND', '"dist/*.exe"');
  await rejectsWith(collect('missing.tgz'), 'SUBJECT_NOT_FOUND', '"missing.tgz"');
  await rejectsWith(collect('dist/*.map, !**/*.map'), 'SUBJECT_NOT_FOUND', '"dist/*.map"', 'excludes');
  await rejectsWith(collect('!dist/*.map'), 'INPUT_INVALID', 'only excludes');
});

void test(
  'a FIFO named directly is refused without opening it; one inside a tree is skipped',
  { timeout: 10_000 },
  async () => {
    await rejectsWith(collect('pipes/fifo'), 'SUBJECT_NOT_REGULAR', '"pipes/fifo"');
    await rejectsWith(collect('pipes/*'), 'SUBJECT_NOT_REGULAR', '"pipes/fifo"');
    assert.deepEqual(await names('pipes/tree'), ['pipes/tree/file.bin']);
    await rejectsWith(collect('pipes/tree, !pipes/tree/file.bin'), 'SUBJECT_NOT_FOUND', '"pipes/tree"');
  },
);

void test('directories are not subjects themselves', async () => {
  const all = await names('dist/docs/**/, !dist/docs/deep/');
  assert.deepEqual(all, ['dist/docs/readme.txt']);
});

void test('a file name with a control character is refused', async () => {
  await ws.write('bad/a\nb.tgz', 'x');
  await rejectsWith(collect('bad'), 'INPUT_INVALID', '"bad/a\\nb.tgz"');
});
