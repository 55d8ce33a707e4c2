// Merging subjects from several sources: agreement, conflicts, order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeSubjects } from '../../src/subjects/merge.ts';
import { throwsWith } from './fixtures.ts';

const a = 'a'.repeat(64);
const b = 'b'.repeat(64);
const c = 'c'.repeat(128);

void test('output is sorted by name, by code unit not locale', () => {
  const out = mergeSubjects([
    { name: 'b', digest: { sha256: a }, source: 'x' },
    { name: 'B', digest: { sha256: a }, source: 'x' },
    { name: 'a', digest: { sha256: a }, source: 'x' },
    { name: 'a/z', digest: { sha256: a }, source: 'x' },
  ]);
  assert.deepEqual(
    out.map((s) => s.name),
    ['B', 'a', 'a/z', 'b'],
  );
  assert.deepEqual(Object.keys(out[0] ?? {}), ['name', 'digest']); // no `source` leaks out
});

void test('the same name with the same digest merges silently', () => {
  const out = mergeSubjects([
    { name: 'x', digest: { sha256: a }, source: 'dist/x' },
    { name: 'x', digest: { sha256: a }, source: 'subject-checksums line 3' },
  ]);
  assert.deepEqual(out, [{ name: 'x', digest: { sha256: a } }]);
});

void test('agreeing digests with an extra algorithm are united', () => {
  const out = mergeSubjects([
    { name: 'x', digest: { sha256: a }, source: 'dist/x' },
    { name: 'x', digest: { sha512: c, sha256: a }, source: 'subject-checksums line 1' },
  ]);
  assert.deepEqual(out, [{ name: 'x', digest: { sha256: a, sha512: c } }]);
});

void test('the same name with different digests names both sources', () => {
  throwsWith(
    () =>
      mergeSubjects([
        { name: 'x', digest: { sha256: a }, source: 'dist/x' },
        { name: 'x', digest: { sha256: b }, source: 'subject-checksums line 3' },
      ]),
    'SUBJECT_DUPLICATE',
    '"x"',
    'dist/x',
    'subject-checksums line 3',
    `sha256:${a}`,
    `sha256:${b}`,
  );
});

void test('digests with no algorithm in common do not prove one artifact', () => {
  throwsWith(
    () =>
      mergeSubjects([
        { name: 'x', digest: { sha256: a }, source: 'one' },
        { name: 'x', digest: { sha512: c }, source: 'two' },
      ]),
    'SUBJECT_DUPLICATE',
    'one',
    'two',
  );
});
