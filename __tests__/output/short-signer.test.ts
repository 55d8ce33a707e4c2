import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortRef, shortSigner } from '../../src/output/short-signer.ts';
import { markdownCode, untrusted } from '../../src/output/untrusted.ts';

describe('shortRef', () => {
  const cases: [string, string][] = [
    ['refs/tags/v1.2.0', 'v1.2.0'],
    ['refs/heads/main', 'main'],
    ['refs/heads/release/2.x', 'release/2.x'],
    ['refs/pull/12/merge', 'pull/12/merge'],
    ['0123456789abcdef0123456789abcdef01234567', '0123456'],
    ['0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef', '0123456'],
    ['0123456789abcdef', '0123456789abcdef'], // not a full object id: as it is
    ['v1.2.0', 'v1.2.0'],
    ['refs/tags/', 'tags/'],
  ];
  for (const [ref, want] of cases) it(`${ref} → ${want}`, () => assert.equal(shortRef(ref), want));
});

describe('shortSigner', () => {
  const cases: [string, string][] = [
    ['https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.2.0', 'release.yml@v1.2.0'],
    ['https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main', 'ci.yml@main'],
    ['https://github.com/acme/app/.github/workflows/ci.yml@0123456789abcdef0123456789abcdef01234567', 'ci.yml@0123456'],
    [
      'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
      'generator_generic_slsa3.yml@v2.1.0',
    ],
    ['https://ghe.example.com/o/r/.github/workflows/build.yaml@refs/pull/7/merge', 'build.yaml@pull/7/merge'],
    ['https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main', '.gitlab-ci.yml@main'],
    // Not a workflow identity: unchanged.
    ['someone@example.com', 'someone@example.com'],
    ['https://accounts.google.com', 'https://accounts.google.com'],
    ['https://user@host/x', 'https://user@host/x'],
    [
      'https://github.com/o/r/.github/workflows/@refs/tags/v1',
      'https://github.com/o/r/.github/workflows/@refs/tags/v1',
    ],
    ['', ''],
  ];
  for (const [signer, want] of cases)
    it(`${signer || '(empty)'} → ${want}`, () => assert.equal(shortSigner(signer), want));

  it("returns the input's own characters, which stay safe through the usual escaping", () => {
    const hostile = [
      'https://github.com/o/r/.github/workflows/x\n::error::forged.yml@refs/tags/v1\r\n##[error]x',
      'https://github.com/o/r/.github/workflows/`</summary><script>`.yml@refs/heads/|a|b|',
      'https://github.com/o/r/.github/workflows/\u202eevil.yml@refs/tags/\u001b[2Jv1',
      'https://github.com/o/r/.github/workflows/a.yml@refs/tags/::set-output name=x::y',
    ];
    for (const h of hostile) {
      const short = shortSigner(h);
      assert.notEqual(short, h, 'shortened');
      for (const c of short) assert.ok(h.includes(c), `${JSON.stringify(c)} comes from the input`);
      const line = untrusted(short);
      assert.doesNotMatch(line, /[\p{Cc}\u202e]|::|##/u, line);
      const cell = markdownCode(short);
      assert.match(cell, /^`[^`]*`$/, cell);
      assert.doesNotMatch(cell.replace(/\\\|/g, ''), /\|/, cell);
    }
  });
});
