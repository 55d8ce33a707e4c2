import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildStatements,
  statementBytes,
  MAX_SUBJECTS_PER_STATEMENT,
} from '../../../src/attest/provenance/statement.ts';

const subjects = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `f${i}`, digest: { sha256: i.toString(16).padStart(64, '0') } }));

describe('buildStatements', () => {
  it('puts up to 1024 subjects in one statement', () => {
    const [only, ...rest] = buildStatements(subjects(MAX_SUBJECTS_PER_STATEMENT), 'https://slsa.dev/provenance/v1', {});
    assert.equal(rest.length, 0);
    assert.equal(only?.subject.length, 1024);
  });

  it('splits 2,000 subjects into 1024 + 976, losing and repeating none', () => {
    const all = subjects(2000);
    const statements = buildStatements(all, 'https://slsa.dev/provenance/v1', { x: 1 });
    assert.deepEqual(
      statements.map((s) => s.subject.length),
      [1024, 976],
    );
    assert.deepEqual(
      statements.flatMap((s) => s.subject),
      all,
    );
    for (const s of statements) assert.deepEqual(s.predicate, { x: 1 });
  });

  it('serialises in the in-toto field order', () => {
    const [s] = buildStatements(subjects(1), 'https://example.com/p', { a: 1 });
    assert.ok(s);
    assert.equal(
      statementBytes(s).toString(),
      '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"f0","digest":{"sha256":"' +
        '0'.repeat(64) +
        '"}}],"predicateType":"https://example.com/p","predicate":{"a":1}}',
    );
  });
});
