// subject-path list splitting and brace expansion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandBraces } from '../../src/subjects/braces.ts';
import { splitPatternList } from '../../src/subjects/split-list.ts';

const splits: [string, string[]][] = [
  ['', []],
  ['  \n \n', []],
  ['a', ['a']],
  ['a,b', ['a', 'b']],
  ['a\nb', ['a', 'b']],
  ['a\r\nb\r\n', ['a', 'b']],
  [' a , b \n\n c ', ['a', 'b', 'c']],
  [',,a,,', ['a']],
  ['dist/*.{tgz,zip},x', ['dist/*.{tgz,zip}', 'x']],
  ['{a,{b,c}},d', ['{a,{b,c}}', 'd']],
  ['a\\,b', ['a\\,b']],
  ['!dist/*.map, dist/**', ['!dist/*.map', 'dist/**']],
  // An unclosed brace ends with its line; it must not swallow the next entries.
  ['a{b\nc,d', ['a{b', 'c', 'd']],
  ['a}b,c', ['a}b', 'c']],
];

for (const [raw, expected] of splits) {
  void test(`splitPatternList(${JSON.stringify(raw)})`, () => {
    assert.deepEqual(splitPatternList(raw), expected);
  });
}

const braces: [string, string[]][] = [
  ['dist/a.tgz', ['dist/a.tgz']],
  ['*.{tgz,zip}', ['*.tgz', '*.zip']],
  ['{a,b}/{c,d}', ['a/c', 'a/d', 'b/c', 'b/d']],
  ['x{a,{b,c}}y', ['xay', 'xby', 'xcy']],
  ['{a,}b', ['ab', 'b']],
  ['{a}', ['{a}']],
  ['{x{a,b}}', ['{xa}', '{xb}']],
  ['\\{a,b}', ['\\{a,b}']],
  ['{a\\,b,c}', ['a\\,b', 'c']],
  ['{a,a}', ['a']],
  ['{a,b', ['{a,b']],
];

for (const [pattern, expected] of braces) {
  void test(`expandBraces(${JSON.stringify(pattern)})`, () => {
    assert.deepEqual(expandBraces(pattern), expected);
  });
}
