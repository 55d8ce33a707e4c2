// A bundle's source as summaries show it: no runner paths, everything else as read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceName } from '../../src/output/source-name.ts';

describe('sourceName', () => {
  it('names a file at an absolute path by its file name (POSIX and Windows), keeping a line number', () => {
    assert.equal(sourceName('/home/runner/work/app/app/dist/multiple.intoto.jsonl'), 'multiple.intoto.jsonl');
    assert.equal(sourceName('/home/runner/work/_temp/x/app.sigstore.json:3'), 'app.sigstore.json:3');
    assert.equal(sourceName('D:\\a\\app\\app\\dist\\app.sigstore.json'), 'app.sigstore.json');
  });

  it('leaves workspace-relative paths, registry references and release assets as they are', () => {
    for (const source of [
      'dist/app.sigstore.json',
      'ghcr.io/o/app@sha256:abc(cosign .att layer 0)',
      'release v1.2.0 asset app.sigstore.json',
      'attestations API o/r',
    ]) {
      assert.equal(sourceName(source), source);
    }
  });
});
