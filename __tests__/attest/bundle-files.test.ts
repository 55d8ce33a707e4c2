import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFileAtomic } from '../../src/common/atomic-write.ts';
import { bundleTarget, safeFileStem } from '../../src/attest/bundle-files.ts';

describe('bundleTarget', () => {
  it('names one subject <subject>.sigstore.json and several multiple.intoto.jsonl', () => {
    assert.deepEqual(bundleTarget(undefined, '/out', ['app.tar.gz'], 1), {
      file: '/out/app.tar.gz.sigstore.json',
      format: 'json',
    });
    assert.deepEqual(bundleTarget(undefined, '/out', ['a', 'b'], 1), {
      file: '/out/multiple.intoto.jsonl',
      format: 'jsonl',
    });
    assert.deepEqual(bundleTarget('/w/att.jsonl', '/out', ['a'], 1), { file: '/w/att.jsonl', format: 'jsonl' });
    assert.deepEqual(bundleTarget('/w/dir', '/out', ['a'], 1), { file: '/w/dir/a.sigstore.json', format: 'json' });
  });
  it('refuses a .json file for several statements', () => {
    assert.throws(() => bundleTarget('/w/one.json', '/out', ['a'], 2), /names one \.json file, but 2 statements/);
  });
  it('makes image names and paths file-safe without escaping the directory', () => {
    assert.equal(safeFileStem('ghcr.io/octo-org/app'), 'ghcr.io_octo-org_app');
    assert.equal(safeFileStem('../../etc/passwd'), 'etc_passwd');
    assert.equal(safeFileStem('...'), 'subject');
  });
});

describe('writeFileAtomic', () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes the content and leaves no temp file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'atomic-'));
    dirs.push(dir);
    await writeFileAtomic(path.join(dir, 'sub', 'b.jsonl'), 'x\n');
    assert.equal(await readFile(path.join(dir, 'sub', 'b.jsonl'), 'utf8'), 'x\n');
    assert.deepEqual(await readdir(path.join(dir, 'sub')), ['b.jsonl']);
  });
  it('fails with OUTPUT_FAILED and leaves nothing when the target is a directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'atomic-'));
    dirs.push(dir);
    await writeFileAtomic(path.join(dir, 'taken', 'x'), '1');
    await assert.rejects(writeFileAtomic(path.join(dir, 'taken'), 'y'), /OUTPUT_FAILED|could not write/);
    assert.deepEqual(await readdir(dir), ['taken']);
  });
});
