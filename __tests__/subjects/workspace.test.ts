// The workspace itself: odd characters in its path, a symlinked workspace, and the empty inputs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm, symlink } from 'node:fs/promises';
import { test } from 'node:test';
import { collectSubjects } from '../../src/subjects/index.ts';
import { rejectsWith, tempWorkspace } from './fixtures.ts';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const none = { paths: '', names: '', digests: '', checksums: '' };

void test('all inputs empty is INPUT_CONFLICT naming the three ways to give subjects', async () => {
  await rejectsWith(
    collectSubjects({ ...none, paths: ' \n' }, { workspace: '.' }),
    'INPUT_CONFLICT',
    'subject-path',
    'subject-digest',
    'subject-checksums',
  );
});

void test('glob characters in the workspace path match literally', async () => {
  const ws = await tempWorkspace('ws [x]*?{a,b}-');
  try {
    await ws.write('dist/a.tgz', 'a');
    assert.deepEqual(await collectSubjects({ ...none, paths: 'dist/*' }, { workspace: ws.dir }), [
      { name: 'a.tgz', digest: { sha256: sha('a') } },
    ]);
    assert.deepEqual(
      (await collectSubjects({ ...none, paths: 'dist' }, { workspace: ws.dir })).map((s) => s.name),
      ['dist/a.tgz'],
    );
  } finally {
    await ws.remove();
  }
});

void test('a workspace reached through a symlink still works, with absolute paths either way', async () => {
  const ws = await tempWorkspace();
  const link = `${ws.dir}-link`;
  try {
    const file = await ws.write('a.tgz', 'a');
    await symlink(ws.dir, link);
    const expected = [{ name: 'a.tgz', digest: { sha256: sha('a') } }];
    assert.deepEqual(await collectSubjects({ ...none, paths: 'a.tgz' }, { workspace: link }), expected);
    assert.deepEqual(await collectSubjects({ ...none, paths: file }, { workspace: link }), expected);
  } finally {
    await rm(link, { force: true });
    await ws.remove();
  }
});

void test('a missing workspace is a one-line error', async () => {
  await rejectsWith(
    collectSubjects({ ...none, paths: 'x' }, { workspace: '/nonexistent/ws' }),
    'INPUT_INVALID',
    '/nonexistent/ws',
  );
});

void test('the CLI (confined: false) takes subjects outside its directory, relative and absolute; the action (default) refuses them', async () => {
  const cwd = await tempWorkspace('cwd-');
  const elsewhere = await tempWorkspace('downloads-');
  try {
    await elsewhere.write('x.tgz', 'x');
    await elsewhere.write('dist/sub/a.bin', 'a');
    await cwd.write('in.bin', 'in');
    const relative = `../${elsewhere.dir.split('/').at(-1) ?? ''}/x.tgz`;
    const paths = [`${elsewhere.dir}/x.tgz`, relative, `${elsewhere.dir}/dist`, 'in.bin'].join('\n');
    const subjects = await collectSubjects({ ...none, paths }, { workspace: cwd.dir, confined: false });
    // A tree outside is named from the directory named down, as `dist` inside the workspace would be.
    assert.deepEqual(
      subjects.map((s) => s.name),
      ['dist/sub/a.bin', 'in.bin', 'x.tgz'],
    );
    await rejectsWith(
      collectSubjects({ ...none, paths: `${elsewhere.dir}/x.tgz` }, { workspace: cwd.dir }),
      'PATH_OUTSIDE_WORKSPACE',
      'outside the workspace',
    );
    await rejectsWith(
      collectSubjects({ ...none, paths: relative }, { workspace: cwd.dir }),
      'PATH_OUTSIDE_WORKSPACE',
      'outside the workspace',
    );
  } finally {
    await cwd.remove();
    await elsewhere.remove();
  }
});
