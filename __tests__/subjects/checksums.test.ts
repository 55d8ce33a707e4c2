// Checksums listings: every supported form, and bad lines reported by number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isChecksumLine, parseChecksums } from '../../src/subjects/checksums.ts';
import { throwsWith } from './fixtures.ts';

const h64 = '0f'.repeat(32);
const h96 = 'a1'.repeat(48);
const h128 = '9e'.repeat(64);

const forms: [string, string, string, Record<string, string>][] = [
  ['GNU text mode', `${h64}  dist/a.tgz`, 'dist/a.tgz', { sha256: h64 }],
  ['GNU binary marker', `${h64} *a.tgz`, 'a.tgz', { sha256: h64 }],
  ['sha512sum', `${h128}  a.tgz`, 'a.tgz', { sha512: h128 }],
  ['sha384sum', `${h96}  a.tgz`, 'a.tgz', { sha384: h96 }],
  ['uppercase hex', `${h64.toUpperCase()}  a.tgz`, 'a.tgz', { sha256: h64 }],
  ['name with spaces', `${h64}  my file.tgz`, 'my file.tgz', { sha256: h64 }],
  ['BSD / --tag SHA256', `SHA256 (a.tgz) = ${h64}`, 'a.tgz', { sha256: h64 }],
  ['BSD / --tag SHA512', `SHA512 (a (1).tgz) = ${h128}`, 'a (1).tgz', { sha512: h128 }],
  ['openssl dgst', `SHA2-256(a.tgz)= ${h64}`, 'a.tgz', { sha256: h64 }],
  ['GNU escaped name', `\\${h64}  dir\\\\a.tgz`, 'dir\\a.tgz', { sha256: h64 }],
  ['--tag escaped name', `\\SHA256 (x\\\\y) = ${h64}`, 'x\\y', { sha256: h64 }],
  ['unescaped backslash is literal', `${h64}  dir\\a.tgz`, 'dir\\a.tgz', { sha256: h64 }],
];

for (const [form, line, name, digest] of forms) {
  void test(`checksums: ${form}`, () => {
    assert.deepEqual(parseChecksums(line, 'subject-checksums'), [{ name, digest, source: 'subject-checksums line 1' }]);
    assert.ok(isChecksumLine(line));
  });
}

void test('checksums: CRLF, blank lines and comments; line numbers count every line', () => {
  const text = `# release 1.0\r\n\r\n${h64}  a.tgz\r\n${h64} *b.zip\r\n`;
  assert.deepEqual(parseChecksums(text, 'subject-checksums'), [
    { name: 'a.tgz', digest: { sha256: h64 }, source: 'subject-checksums line 3' },
    { name: 'b.zip', digest: { sha256: h64 }, source: 'subject-checksums line 4' },
  ]);
});

const bad: [string, string][] = [
  ['no name', `${h64}`],
  ['one space', `${h64} a.tgz`],
  ['short hex', `${h64.slice(2)}  a.tgz`],
  ['40 hex (sha1)', `${'a'.repeat(40)}  a.tgz`],
  ['not hex', `${'z'.repeat(64)}  a.tgz`],
  ['tag and length disagree', `SHA256 (a.tgz) = ${h128}`],
  ['unknown tag', `MD5 (a.tgz) = ${'a'.repeat(32)}`],
  ['unknown escape', `\\${h64}  a\\tb`],
  ['free text', 'see the release page'],
];

for (const [what, line] of bad) {
  void test(`checksums: bad line (${what}) is reported with its number`, () => {
    const text = `${h64}  ok.tgz\n\n${line}\n`;
    throwsWith(
      () => parseChecksums(text, 'subject-checksums'),
      'CHECKSUMS_INVALID',
      'subject-checksums line 3',
      '"<hex>  <name>"',
      JSON.stringify(line).slice(0, 30),
    );
    assert.equal(isChecksumLine(line), false);
  });
}

void test('checksums: an escaped newline in a name is refused as a control character', () => {
  throwsWith(
    () => parseChecksums(`\\${h64}  a\\nb`, 'subject-checksums'),
    'INPUT_INVALID',
    'subject-checksums line 1',
    '"a\\nb"',
  );
});

void test('checksums: a file path is not a checksum line', () => {
  assert.equal(isChecksumLine('dist/checksums.txt'), false);
  assert.equal(isChecksumLine('SHA256SUMS'), false);
});
