// The commit a chain starts at, read from the build provenance (src/verify/chain/commit.ts): the
// source entry of SLSA v1's resolvedDependencies or v0.2's materials, a hex git object id only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { provenanceCommit } from '../../src/verify/chain/commit.ts';
import type { InTotoStatement } from '../../src/verify/types.ts';

const SHA1 = 'c0ffee1234567890abcdef1234567890abcdef12';
const statement = (predicateType: string, predicate: unknown): InTotoStatement =>
  ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app.tar.gz', digest: { sha256: 'a'.repeat(64) } }],
    predicateType,
    predicate,
  }) as InTotoStatement;
const v1 = (deps: unknown): InTotoStatement =>
  statement('https://slsa.dev/provenance/v1', { buildDefinition: { resolvedDependencies: deps } });

describe('provenanceCommit', () => {
  it('reads the source commit of SLSA provenance v1, skipping linked attestations', () => {
    const link = { name: 'x', digest: { sha256: 'b'.repeat(64) }, mediaType: 'application/vnd.in-toto+json' };
    assert.equal(
      provenanceCommit(v1([link, { uri: 'git+https://github.com/o/r@refs/tags/v1', digest: { gitCommit: SHA1 } }])),
      SHA1,
    );
    // v1 names a commit gitCommit; a sha1 there may be any file's digest, so it is not taken as the commit
    // (the source stage joins by the same reading, stages/source-vsa.ts).
    assert.equal(provenanceCommit(v1([{ uri: 'git+https://x', digest: { sha1: SHA1 } }])), undefined);
    const sha256Commit = 'd'.repeat(64);
    assert.equal(provenanceCommit(v1([{ digest: { gitCommit: sha256Commit } }])), sha256Commit);
  });

  it('reads v0.2 materials', () => {
    const s = statement('https://slsa.dev/provenance/v0.2', {
      materials: [{ uri: 'git+https://x', digest: { sha1: SHA1 } }],
    });
    assert.equal(provenanceCommit(s), SHA1);
  });

  it('gives nothing for other predicates, a missing commit, or a value that is not a hex git id', () => {
    assert.equal(
      provenanceCommit(
        statement('https://slsa.dev/verification_summary/v1', { materials: [{ digest: { sha1: SHA1 } }] }),
      ),
      undefined,
    );
    assert.equal(provenanceCommit(v1([])), undefined);
    assert.equal(provenanceCommit(v1('nope')), undefined);
    assert.equal(provenanceCommit(statement('https://slsa.dev/provenance/v1', null)), undefined);
    // Upper-case hex is the same object name, read in its canonical lower case.
    assert.equal(
      provenanceCommit(v1([{ digest: { gitCommit: 'C0FFEE1234567890ABCDEF1234567890ABCDEF12' } }])),
      'c0ffee1234567890abcdef1234567890abcdef12',
    );
    for (const bad of ['c0ffee1', `${SHA1}"]-->x`, 42])
      assert.equal(provenanceCommit(v1([{ digest: { gitCommit: bad } }])), undefined, String(bad));
    // Only the entry's own fields count, never the prototype's.
    const inherited = Object.create({ gitCommit: SHA1 }) as Record<string, unknown>;
    assert.equal(provenanceCommit(v1([{ digest: inherited }])), undefined);
  });
});
