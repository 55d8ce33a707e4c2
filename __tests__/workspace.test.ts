import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isInside, resolveInside } from '../src/common/workspace.ts';

describe('isInside', () => {
  it('compares by path segments', () => {
    assert.equal(isInside('/w', '/w'), true);
    assert.equal(isInside('/w', '/w/a/b'), true);
    assert.equal(isInside('/w', '/w/..foo/x'), true, 'a name starting with ".." is still inside');
    assert.equal(isInside('/w', '/wx/a'), false, 'a sibling sharing the prefix is outside');
    assert.equal(isInside('/w', '/'), false);
  });
});

describe('resolveInside', () => {
  let ws: string;
  let outside: string;
  before(async () => {
    ws = await mkdtemp(path.join(os.tmpdir(), 'ws-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'));
    await mkdir(path.join(ws, 'out'));
    await symlink(outside, path.join(ws, 'escape'));
  });
  after(() => Promise.all([rm(ws, { recursive: true, force: true }), rm(outside, { recursive: true, force: true })]));

  it('resolves relative paths, including files not written yet', () => {
    assert.equal(resolveInside('bundle-path', 'out/b.jsonl', ws), path.join(ws, 'out/b.jsonl'));
    assert.equal(resolveInside('bundle-path', 'new/dir/b.jsonl', ws), path.join(ws, 'new/dir/b.jsonl'));
  });
  it('refuses ../ and absolute paths outside, naming the input', () => {
    assert.throws(
      () => resolveInside('bundle-path', '../x.jsonl', ws),
      /^ProvenanceError: bundle-path: "\.\.\/x\.jsonl" resolves to .* outside the workspace/,
    );
    assert.throws(() => resolveInside('predicate-path', '/etc/passwd', ws), /predicate-path/);
  });
  it('refuses a symlink that leads outside, even for a file yet to be written', () => {
    assert.throws(() => resolveInside('bundle-path', 'escape/b.jsonl', ws), /PATH_OUTSIDE_WORKSPACE|outside/);
  });
  it('accepts another allowed root (the runner temp dir)', () => {
    assert.equal(
      resolveInside('bundle-path', path.join(outside, 'b.jsonl'), ws, [ws, outside]),
      path.join(outside, 'b.jsonl'),
    );
  });
});

// Issue #14, item 8 (dangling symlinks) — confirmed: before the fix, a dangling symlink resolved as "a file
// yet to be written" at its own place, so the check passed whatever the link pointed at.
describe('resolveInside refuses dangling symlinks', () => {
  let ws: string;
  let outside: string;
  before(async () => {
    ws = await mkdtemp(path.join(os.tmpdir(), 'ws-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'));
    await symlink(path.join(outside, 'later.json'), path.join(ws, 'report.json'));
    await symlink(path.join(ws, 'not-yet.json'), path.join(ws, 'inside-later.json'));
    await symlink(path.join(outside, 'dir-later'), path.join(ws, 'out'));
  });
  after(() => Promise.all([rm(ws, { recursive: true, force: true }), rm(outside, { recursive: true, force: true })]));

  it('refuses a dangling link to a file outside, naming the input, the link and its target', () => {
    assert.throws(
      () => resolveInside('report-path', 'report.json', ws),
      (err: Error) => {
        assert.match(
          err.message,
          /^report-path: "report\.json" leads through the dangling symlink .*report\.json \(to .*later\.json, which does not exist\)/,
        );
        assert.equal((err as { code?: string }).code, 'PATH_OUTSIDE_WORKSPACE');
        return true;
      },
    );
  });
  it('refuses a dangling link even when its target would be inside', () => {
    assert.throws(() => resolveInside('vsa-path', 'inside-later.json', ws), /dangling symlink/);
  });
  it('refuses a dangling link among the parent directories', () => {
    assert.throws(() => resolveInside('bundle-path', 'out/b.jsonl', ws), /dangling symlink .*out \(to .*dir-later/);
  });
  it('still accepts a file yet to be written in a real directory', () => {
    assert.equal(resolveInside('report-path', 'fresh.json', ws), path.join(ws, 'fresh.json'));
  });
});
