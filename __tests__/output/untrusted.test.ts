// untrusted(): the one function every string from a bundle, predicate, certificate, registry or
// API passes through before a person (or a runner reading the log) sees it. Examples for the
// escapes, and properties over any string for what a runner, an Azure agent or a terminal would
// otherwise act on. The end-to-end side is __tests__/adversarial/hostile-text.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { markdownCode, markdownText, untrusted, UNTRUSTED_MAX_LENGTH } from '../../src/output/untrusted.ts';

/** What must never survive: control, format, line/paragraph separators and lone surrogates. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** A line a GitHub runner would read as a command (`::name::`, after leading whitespace), or the legacy `##[` and Azure `##vso[` anywhere. */
const isCommandLine = (line: string): boolean =>
  line.trimStart().startsWith('::') || line.includes('##[') || line.includes('##vso[');

// Strings rich in what matters: the attack alphabet mixed with any code point (lone surrogates too).
const hostileUnit = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      ':',
      '#',
      '[',
      ']',
      'v',
      's',
      'o',
      '\n',
      '\r',
      '\t',
      '\x1b',
      '\x9b',
      '\x85',
      '\u2028',
      '\u2029',
      '\u202e',
      '\u2066',
      '\u200b',
      '\ufeff',
      '\u{e0041}',
      ' ',
      '`',
      '|',
      '<',
      '\\',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
);
const hostile = fc.array(hostileUnit, { maxLength: 300 }).map((units) => units.join(''));

describe('untrusted()', () => {
  it('shows each hidden character as an escape a reader can see', () => {
    assert.equal(untrusted('a\nb\rc\td'), 'a\\nb\\rc\\td');
    assert.equal(untrusted('\x1b[2J'), '\\u001b[2J');
    assert.equal(untrusted('x\x9b31m'), 'x\\u009b31m');
    assert.equal(untrusted('abc\u202edef'), 'abc\\u202edef');
    assert.equal(untrusted('a\u2028b\u200bc'), 'a\\u2028b\\u200bc');
    assert.equal(untrusted('tag\u{e0041}'), 'tag\\u{e0041}');
    assert.equal(untrusted('lone\ud800'), 'lone\\ud800');
  });

  it('breaks every workflow command, wherever it stands', () => {
    assert.equal(untrusted('::add-mask::x'), '\\u003a:add-mask:\\u003ax');
    assert.equal(untrusted('\n::stop-commands::tok'), '\\n:\\u003astop-commands:\\u003atok');
    assert.equal(untrusted('\r##vso[task.setvariable variable=x]y'), '\\r#\\u0023vso[task.setvariable variable=x]y');
    assert.equal(untrusted('see ##[add-mask]x'), 'see #\\u0023[add-mask]x');
    assert.equal(untrusted(':'), '\\u003a');
    assert.equal(untrusted('a:'), 'a\\u003a');
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'https://slsa.dev/provenance/v1',
      'sha256:0123abcd',
      'app-linux.tar.gz',
      'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
      'issue #14',
      'naïve 名前 ✅ 👩‍💻'.replace('\u200d', ''),
    ]) {
      assert.equal(untrusted(text), text);
    }
  });

  it('cuts long text with an ellipsis, never inside an escape', () => {
    assert.equal(untrusted('x'.repeat(UNTRUSTED_MAX_LENGTH)), 'x'.repeat(UNTRUSTED_MAX_LENGTH));
    assert.equal(untrusted('x'.repeat(UNTRUSTED_MAX_LENGTH + 1)), `${'x'.repeat(UNTRUSTED_MAX_LENGTH - 1)}…`);
    assert.equal(untrusted(`${'x'.repeat(7)}\n\n`, 10), 'xxxxxxx\\n…');
    assert.equal(untrusted(`${'x'.repeat(8)}\n\n`, 10), 'xxxxxxxx…');
  });

  it('for any string: one line, nothing hidden, no command, within the length', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 8, max: 400 }), (text, max) => {
        const out = untrusted(text, max);
        assert.ok(!HIDDEN.test(out), JSON.stringify(out));
        assert.equal(out.split(/\r\n|\r|\n/).length, 1);
        assert.ok(!out.includes('::') && !out.includes('##'), out);
        assert.ok(!/^[:#]|[:#]$/.test(out), out);
        assert.ok(!isCommandLine(out), out);
        assert.ok(out.length <= max, `${out.length} > ${max}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('for any strings: glued to each other or to our own text they make no command either', () => {
    const ours = fc.constantFrom('', ' ', ': ', ' (', ') ', ', found ', '  ', '\n', '\t', 'PASS ', 'note: ');
    fc.assert(
      fc.property(fc.array(fc.tuple(ours, hostile), { minLength: 1, maxLength: 4 }), (parts) => {
        const printed = parts.map(([before, value]) => `${before}${untrusted(value)}`).join('');
        for (const line of printed.split('\n')) assert.ok(!isCommandLine(line), line);
        assert.ok(!printed.includes('::') && !printed.includes('##'), printed);
      }),
      { numRuns: 1000 },
    );
  });

  it('changes nothing that is already safe (printing twice shows the same)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const once = untrusted(text, 10_000);
        assert.equal(untrusted(once, 10_000), once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('markdownCode() and markdownText()', () => {
  it('a code span that nothing ends early, in one table cell', () => {
    assert.equal(markdownCode('a`b|c\n<img src=x>'), "`a'b\\|c\\n<img src=x>`");
    assert.equal(markdownCode(''), '');
    fc.assert(
      fc.property(
        hostile.filter((t) => t !== ''),
        (text) => {
          const span = markdownCode(text);
          assert.ok(span.startsWith('`') && span.endsWith('`'));
          const inner = span.slice(1, -1);
          assert.ok(!inner.includes('`'), span);
          assert.ok(!/(^|[^\\])\|/.test(inner), span);
          assert.ok(!HIDDEN.test(span) && !span.includes('::') && !span.includes('##'), span);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('plain text with the marks that start markup escaped, so no markup or HTML', () => {
    assert.equal(markdownText('<b>[x](y)</b> *z*'), '\\<b\\>\\[x\\](y)\\</b\\> \\*z\\*');
    assert.equal(markdownText('2026-12-07T17:10:02.000Z public-good'), '2026-12-07T17:10:02.000Z public-good');
    fc.assert(
      fc.property(hostile, (text) => {
        const md = markdownText(text);
        assert.ok(!/(^|[^\\])(\\\\)*[<>[\]`*_|&]/.test(md), md);
        assert.ok(!HIDDEN.test(md), md);
      }),
      { numRuns: 1000 },
    );
  });
});
