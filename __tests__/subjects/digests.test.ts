// subject-digest parsing and its pairing with subject-name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDigest, parseNamedDigests } from '../../src/subjects/digests.ts';
import { throwsWith } from './fixtures.ts';

const h64 = 'ab'.repeat(32);
const h96 = 'cd'.repeat(48);
const h128 = 'ef'.repeat(64);

const valid: [string, [string, string]][] = [
  [`sha256:${h64}`, ['sha256', h64]],
  [`sha384:${h96}`, ['sha384', h96]],
  [`sha512:${h128}`, ['sha512', h128]],
  [`sha256:${h64.toUpperCase()}`, ['sha256', h64]], // uppercase hex is normalised
];

for (const [value, expected] of valid) {
  void test(`parseDigest accepts ${value.slice(0, 16)}…`, () => {
    assert.deepEqual(parseDigest(value, 'subject-digest line 1'), expected);
  });
}

const invalid = [
  '',
  h64, // no algorithm
  `sha256:${h64.slice(1)}`, // 63 hex
  `sha256:${h64}a`, // 65 hex
  `sha256:${h128}`, // right hex, wrong algorithm
  `sha512:${h64}`,
  `md5:${'a'.repeat(32)}`,
  `sha1:${'a'.repeat(40)}`,
  `SHA256:${h64}`,
  `sha256: ${h64}`,
  `sha256:${'g'.repeat(64)}`,
  `sha256:${h64}\n`,
];

for (const value of invalid) {
  void test(`parseDigest refuses ${JSON.stringify(value.slice(0, 20))}`, () => {
    throwsWith(
      () => parseDigest(value, 'subject-digest line 2'),
      'SUBJECT_DIGEST_INVALID',
      'subject-digest line 2',
      JSON.stringify(value).slice(0, 20),
      'sha256:<64 hex>',
    );
  });
}

void test('names pair with digests by position', () => {
  assert.deepEqual(parseNamedDigests('a.tgz\nimage\n', `sha256:${h64}\r\nsha512:${h128}\n`), [
    { name: 'a.tgz', digest: { sha256: h64 }, source: 'subject-name/subject-digest line 1' },
    { name: 'image', digest: { sha512: h128 }, source: 'subject-name/subject-digest line 2' },
  ]);
});

void test('unequal line counts are INPUT_CONFLICT', () => {
  throwsWith(
    () => parseNamedDigests('a\nb', `sha256:${h64}`),
    'INPUT_CONFLICT',
    'subject-name has 2',
    'subject-digest has 1',
  );
  throwsWith(() => parseNamedDigests('', `sha256:${h64}`), 'INPUT_CONFLICT', 'subject-name has 0');
  throwsWith(() => parseNamedDigests('a', ''), 'INPUT_CONFLICT', 'subject-digest has 0');
});

void test('an inner blank name is refused rather than shifting the pairing', () => {
  throwsWith(
    () => parseNamedDigests('a\n\nb', `sha256:${h64}\nsha256:${h64}\nsha256:${h64}`),
    'INPUT_INVALID',
    'subject-name line 2',
    'empty',
  );
});

void test('a name with control characters is refused', () => {
  throwsWith(
    () => parseNamedDigests('a\u0007b', `sha256:${h64}`),
    'INPUT_INVALID',
    'subject-name line 1',
    '"a\\u0007b"',
  );
  throwsWith(() => parseNamedDigests('a\tb', `sha256:${h64}`), 'INPUT_INVALID', 'control character');
  throwsWith(() => parseNamedDigests('a\u2028b', `sha256:${h64}`), 'INPUT_INVALID', 'subject-name line 1');
});
