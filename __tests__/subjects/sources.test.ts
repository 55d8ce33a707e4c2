// subject-checksums as a file or as text, and all sources merged into one list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { collectSubjects } from '../../src/subjects/index.ts';
import type { SubjectInputs } from '../../src/subjects/index.ts';
import { rejectsWith, tempWorkspace } from './fixtures.ts';
import type { TempWorkspace } from './fixtures.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const h512 = 'e'.repeat(128);
let ws: TempWorkspace;

before(async () => {
  ws = await tempWorkspace();
  await ws.write('dist/a.tgz', 'a');
  await ws.write('dist/b.tgz', 'b');
  // Written by the real tool, so the test pins its actual output format.
  await ws.write('SHA256SUMS', execFileSync('sha256sum', ['a.tgz', 'b.tgz'], { cwd: path.join(ws.dir, 'dist') }));
  await ws.write('tagged.txt', execFileSync('sha256sum', ['--tag', 'a.tgz'], { cwd: path.join(ws.dir, 'dist') }));
  await mkdir(path.join(ws.dir, 'dir'));
  execFileSync('mkfifo', [path.join(ws.dir, 'fifo')]);
  await symlink('/etc/hostname', path.join(ws.dir, 'out.txt'));
});
after(() => ws.remove());

const collect = (inputs: Partial<SubjectInputs>) =>
  collectSubjects({ paths: '', names: '', digests: '', checksums: '', ...inputs }, { workspace: ws.dir });

void test('a checksums file path is read and parsed', async () => {
  assert.deepEqual(await collect({ checksums: 'SHA256SUMS' }), [
    { name: 'a.tgz', digest: { sha256: sha('a') } },
    { name: 'b.tgz', digest: { sha256: sha('b') } },
  ]);
  assert.deepEqual(await collect({ checksums: 'tagged.txt\n' }), [{ name: 'a.tgz', digest: { sha256: sha('a') } }]);
});

void test('checksums text (one line or several) is parsed in place', async () => {
  assert.deepEqual(await collect({ checksums: `${sha('a')}  a.tgz` }), [
    { name: 'a.tgz', digest: { sha256: sha('a') } },
  ]);
  await rejectsWith(
    collect({ checksums: `${sha('a')}  a.tgz\nnonsense` }),
    'CHECKSUMS_INVALID',
    'subject-checksums line 2',
  );
});

void test('a bad line in a checksums file names the file and the line', async () => {
  await ws.write('bad.txt', `${sha('a')}  a.tgz\r\n${sha('b')}b.tgz\r\n`);
  await rejectsWith(collect({ checksums: 'bad.txt' }), 'CHECKSUMS_INVALID', 'subject-checksums file "bad.txt" line 2');
});

void test('a checksums path follows the subject-path rules', { timeout: 10_000 }, async () => {
  await rejectsWith(collect({ checksums: 'missing.txt' }), 'SUBJECT_NOT_FOUND', '"missing.txt"');
  await rejectsWith(collect({ checksums: '../SHA256SUMS' }), 'PATH_OUTSIDE_WORKSPACE', '"../SHA256SUMS"');
  await rejectsWith(collect({ checksums: 'out.txt' }), 'PATH_OUTSIDE_WORKSPACE', '"out.txt"', '/etc/hostname');
  await rejectsWith(collect({ checksums: 'fifo' }), 'SUBJECT_NOT_REGULAR', '"fifo"');
  await rejectsWith(collect({ checksums: 'dir' }), 'SUBJECT_NOT_REGULAR', '"dir"');
});

void test('all sources merge: agreeing duplicates once, sorted by name', async () => {
  const out = await collect({
    paths: 'dist/*.tgz',
    checksums: 'SHA256SUMS',
    names: 'image\na.tgz',
    digests: `sha512:${h512}\nsha256:${sha('a')}`,
  });
  assert.deepEqual(out, [
    { name: 'a.tgz', digest: { sha256: sha('a') } },
    { name: 'b.tgz', digest: { sha256: sha('b') } },
    { name: 'image', digest: { sha512: h512 } },
  ]);
});

void test('sources that disagree are SUBJECT_DUPLICATE naming both', async () => {
  await rejectsWith(
    collect({ paths: 'dist/a.tgz', names: 'a.tgz', digests: `sha256:${sha('stale')}` }),
    'SUBJECT_DUPLICATE',
    'dist/a.tgz',
    'subject-name/subject-digest line 1',
  );
  await rejectsWith(
    collect({ paths: 'dist/a.tgz', checksums: `${sha('x')}  a.tgz` }),
    'SUBJECT_DUPLICATE',
    'dist/a.tgz',
    'subject-checksums line 1',
  );
});

void test('subject-name without subject-digest names the file subject-path matched (as actions/attest does)', async () => {
  assert.deepEqual(await collect({ paths: 'dist/a.tgz', names: 'my-app' }), [
    { name: 'my-app', digest: { sha256: sha('a') } },
  ]);
});

void test('subject-name over several different files is one name with two digests', async () => {
  await rejectsWith(collect({ paths: 'dist/*.tgz', names: 'my-app' }), 'SUBJECT_DUPLICATE', 'my-app');
});

void test('subject-name with subject-path takes one line', async () => {
  await rejectsWith(collect({ paths: 'dist/a.tgz', names: 'one\ntwo' }), 'INPUT_CONFLICT', 'one line is expected');
});
