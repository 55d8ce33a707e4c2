import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../../src/errors.ts';
import { parsePolicyFile } from '../../../src/verify/policy/policy-file.ts';
import { parseYamlSubset, YamlSubsetError, type YamlValue } from '../../../src/verify/policy/yaml-subset.ts';

const values = (text: string): Record<string, YamlValue> => Object.fromEntries(parseYamlSubset(text).map((e) => [e.key, e.value]));

describe('parseYamlSubset: accepted forms', () => {
  const cases: [string, string, Record<string, YamlValue>][] = [
    ['plain scalars', 'repository: octo-org/octo-repo\nmax-age: 30d\n', { repository: 'octo-org/octo-repo', 'max-age': '30d' }],
    ['numbers stay strings', 'max-age: 3600', { 'max-age': '3600' }],
    ['booleans', 'a: true\nb: False\nc: TRUE', { a: true, b: false, c: true }],
    ['comments and blank lines', '# policy\n\nowner: octo-org # the org\n   # indented comment\n', { owner: 'octo-org' }],
    ['a # without a space before it is text', 'a: x#y', { a: 'x#y' }],
    ['single quotes keep backslashes', "r: '^https://github\\.com/octo-org/.*$'", { r: '^https://github\\.com/octo-org/.*$' }],
    ['single quotes escape by doubling', "a: 'it''s' # c", { a: "it's" }],
    ['double quotes with escapes', 'a: "x\\"y\\\\z\\u0041\\/"', { a: 'x"y\\zA/' }],
    ['a quoted boolean is a string', 'a: "true"', { a: 'true' }],
    ['a colon without a space is text', 'a: https://github.com/x', { a: 'https://github.com/x' }],
    ['lists, indented or not', 'source-ref:\n  - refs/heads/main\n  - "refs/tags/v*"\nsigner-workflow: # two\n- a/b/c.yml\n- \'a/b/d.yml\'', { 'source-ref': ['refs/heads/main', 'refs/tags/v*'], 'signer-workflow': ['a/b/c.yml', 'a/b/d.yml'] }],
    ['CRLF and a BOM', '\uFEFFa: b\r\nc: d\r\n', { a: 'b', c: 'd' }],
    ['a glob starting with refs', 'source-ref: refs/tags/v*', { 'source-ref': 'refs/tags/v*' }],
  ];
  for (const [label, text, expected] of cases) {
    it(label, () => assert.deepEqual(values(text), expected));
  }

  it('records each key\'s line', () => {
    assert.deepEqual(parseYamlSubset('# c\nowner: a\n\nrepository: a/b').map((e) => e.line), [2, 4]);
  });
});

describe('parseYamlSubset: refusals, each with its line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a nested mapping', 'owner: a\nrules:\n  repository: a/b', 3, /indented line: .*flat mapping/],
    ['a flow sequence', 'owner: a\nsource-ref: [refs/heads/main, refs/tags/v1]', 2, /flow collection/],
    ['a flow mapping', 'a: {b: c}', 1, /flow collection/],
    ['a block scalar', 'a: |\n  text', 1, /block scalar/],
    ['an anchor', 'a: &x b', 1, /anchor, alias or tag/],
    ['an alias', 'a: b\nc: *x', 2, /anchor, alias or tag/],
    ['a tag', 'a: !!str b', 1, /anchor, alias or tag/],
    ['a document marker', '---\na: b', 1, /document marker/],
    ['a directive', '%YAML 1.2\na: b', 1, /directive/],
    ['a duplicate key', 'a: b\n\na: c', 3, /"a" is given twice \(first on line 1\)/],
    ['a tab', 'a:\n\t- b', 2, /tab/],
    ['a quoted key', '"a": b', 1, /not a "name: value" line/],
    ['a missing space after the colon', 'a:b', 1, /not a "name: value" line/],
    ['": " inside a plain value', 'a: b: c', 1, /": " inside the plain value/],
    ['a rule with no value', 'a:\nb: c', 1, /"a" has no value/],
    ['a list item without a rule', '- a', 1, /does not follow a "name:" line/],
    ['a list item after a scalar', 'a: b\n- c', 2, /does not follow/],
    ['a nested list', 'a:\n  - - b', 2, /starting with "-"/],
    ['a boolean list item', 'a:\n  - true', 2, /not a string/],
    ['null', 'a: null', 1, /null value/],
    ['~', 'a: ~', 1, /null value/],
    ['a YAML 1.1 boolean', 'deny-self-hosted-runners: yes', 1, /YAML 1\.1 reads as a boolean/],
    ['an unknown escape', 'a: "^github\\.com"', 1, /escape "\\\." .*single quotes/],
    ['an unterminated quote', "a: 'b\n  c'", 1, /without its closing quote/],
    ['text after a quote', 'a: "b" c', 1, /after the closing quote/],
    ['a value starting with an indicator', 'a: @b', 1, /starting with "@": quote it/],
  ];
  for (const [label, text, line, message] of cases) {
    it(`refuses ${label}`, () => {
      assert.throws(() => parseYamlSubset(text), (err: unknown) => err instanceof YamlSubsetError && err.line === line && message.test(err.message));
    });
  }
});

describe('parsePolicyFile', () => {
  it('reads YAML into raw rules with their lines', () => {
    assert.deepEqual(parsePolicyFile('ci/policy.yml', 'repository: a/b\nsource-ref:\n  - refs/tags/v*\ndeny-self-hosted-runners: true'), [
      { name: 'repository', values: ['a/b'], where: 'policy file ci/policy.yml, line 1' },
      { name: 'source-ref', values: ['refs/tags/v*'], where: 'policy file ci/policy.yml, line 2' },
      { name: 'deny-self-hosted-runners', values: ['true'], where: 'policy file ci/policy.yml, line 4' },
    ]);
  });

  it('reads JSON by name or by its opening brace', () => {
    const json = '{"repository": "a/b", "max-age": 3600, "deny-self-hosted-runners": true, "source-ref": ["refs/heads/main", "refs/tags/v*"]}';
    const expected = [
      { name: 'repository', values: ['a/b'], where: 'policy file p.json' },
      { name: 'max-age', values: ['3600'], where: 'policy file p.json' },
      { name: 'deny-self-hosted-runners', values: ['true'], where: 'policy file p.json' },
      { name: 'source-ref', values: ['refs/heads/main', 'refs/tags/v*'], where: 'policy file p.json' },
    ];
    assert.deepEqual(parsePolicyFile('p.json', json), expected);
    assert.deepEqual(parsePolicyFile('p', `  ${json}`).map((r) => r.values), expected.map((r) => r.values));
  });

  const refusals: [string, string, string, RegExp][] = [
    ['YAML outside the subset, with file and line', 'ci/p.yml', 'a: b\nc: [d]', /^policy: ci\/p\.yml line 2: a flow collection .* or use a JSON file \[INPUT_INVALID\]$/],
    ['invalid JSON', 'p.json', '{"a": }', /^policy: p\.json is not valid JSON \(.+\)/],
    ['a JSON array', 'p.json', '[1]', /is not a JSON object/],
    ['a JSON object value', 'p.json', '{"repository": {"name": "a/b"}}', /"repository" is \{"name":"a\/b"\}, not a string, number, boolean or list of strings/],
    ['a JSON null', 'p.json', '{"owner": null}', /"owner" is null/],
    ['an empty JSON list', 'p.json', '{"source-ref": []}', /"source-ref" is \[\]/],
  ];
  for (const [label, path, text, message] of refusals) {
    it(`refuses ${label}`, () => {
      assert.throws(() => parsePolicyFile(path, text), (err: unknown) => err instanceof ProvenanceError && err.code === 'INPUT_INVALID' && message.test(err.toLine()));
    });
  }
});
