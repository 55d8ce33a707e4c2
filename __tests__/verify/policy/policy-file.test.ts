import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { parsePolicyFile } from '../../../src/verify/policy/policy-file.ts';
import { parsePolicyYaml, PolicyYamlError } from '../../../src/verify/policy/policy-yaml.ts';

const values = (text: string): Record<string, string[]> =>
  Object.fromEntries(parsePolicyYaml(text).map((e) => [e.key, e.values]));

describe('parsePolicyYaml: accepted forms', () => {
  const cases: [string, string, Record<string, string[]>][] = [
    [
      'plain scalars',
      'repository: octo-org/octo-repo\nmax-age: 30d\n',
      { repository: ['octo-org/octo-repo'], 'max-age': ['30d'] },
    ],
    [
      'numbers stay strings, as written',
      'max-age: 3600\nsource-digest: 1234567890123456789012345678901234567890\nb: 0x10\nc: 1e5',
      { 'max-age': ['3600'], 'source-digest': ['1234567890123456789012345678901234567890'], b: ['0x10'], c: ['1e5'] },
    ],
    [
      "booleans, in any of YAML 1.2's spellings",
      'a: true\nb: False\nc: TRUE',
      { a: ['true'], b: ['false'], c: ['true'] },
    ],
    [
      'comments and blank lines',
      '# policy\n\nowner: octo-org # the org\n   # indented comment\n',
      { owner: ['octo-org'] },
    ],
    ['a # without a space before it is text', 'a: x#y', { a: ['x#y'] }],
    [
      'single quotes keep backslashes',
      "r: '^https://github\\.com/octo-org/.*$'",
      { r: ['^https://github\\.com/octo-org/.*$'] },
    ],
    ['single quotes escape by doubling', "a: 'it''s' # c", { a: ["it's"] }],
    ['double quotes with escapes', 'a: "x\\"y\\\\z\\u0041\\/"', { a: ['x"y\\zA/'] }],
    ['a quoted boolean is a string', 'a: "true"\nb: \'yes\'', { a: ['true'], b: ['yes'] }],
    ['a colon without a space is text', 'a: https://github.com/x', { a: ['https://github.com/x'] }],
    [
      'lists, indented or not',
      'source-ref:\n  - refs/heads/main\n  - "refs/tags/v*"\nsigner-workflow: # two\n- a/b/c.yml\n- \'a/b/d.yml\'',
      { 'source-ref': ['refs/heads/main', 'refs/tags/v*'], 'signer-workflow': ['a/b/c.yml', 'a/b/d.yml'] },
    ],
    [
      'flow lists, now that a real parser reads them',
      'source-ref: [refs/heads/main, "refs/tags/v*"]',
      { 'source-ref': ['refs/heads/main', 'refs/tags/v*'] },
    ],
    ['quoted keys (as JSON-minded authors write them)', '"repository": a/b', { repository: ['a/b'] }],
    ['a !!str tag', 'a: !!str 3600', { a: ['3600'] }],
    ['one explicit document', '---\na: b\n...\n', { a: ['b'] }],
    ['CRLF and a BOM', '\uFEFFa: b\r\nc: d\r\n', { a: ['b'], c: ['d'] }],
    ['a glob starting with refs', 'source-ref: refs/tags/v*', { 'source-ref': ['refs/tags/v*'] }],
    ['an empty file', '# nothing yet\n', {}],
  ];
  for (const [label, text, expected] of cases) {
    it(label, () => assert.deepEqual(values(text), expected));
  }

  it("records each key's line", () => {
    assert.deepEqual(
      parsePolicyYaml('# c\nowner: a\n\nrepository: a/b').map((e) => e.line),
      [2, 4],
    );
  });
});

describe('parsePolicyYaml: refusals, each with its line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a nested mapping', 'owner: a\nrules:\n  repository: a/b', 2, /"rules" is a nested mapping/],
    ['a flow mapping', 'a: {b: c}', 1, /"a" is a nested mapping/],
    ['an anchor', 'a: &x b', 1, /an anchor \(&x\)/],
    ['an alias', 'a: &x b\nc: *x', 1, /an anchor \(&x\)/],
    ['an alias to an anchor the parser refuses', 'a: b\nc: *x', 2, /x/],
    ['a merge key (its anchored mapping starts on line 2)', 'base: &b\n  owner: a\n<<: *b', 2, /an anchor \(&b\)/],
    ['a tag other than !!str', 'a: !!binary b2N0bw==', 1, /a tag \(tag:yaml\.org,2002:binary\)/],
    ['a local tag', 'a: !env HOME', 1, /tag/],
    ['a second document', 'a: b\n---\nc: d', 3, /second document/],
    ['a duplicate key', 'a: b\n\na: c', 3, /unique/],
    ['a duplicate key, quoted the second time', 'repository: a/b\n"repository": c/d', 2, /unique/],
    ['a tab', 'a:\n\t- b', 2, /[Tt]ab/],
    ['a missing space after the colon', 'a:b', 1, /not a mapping of rule names/],
    ['": " inside a plain value', 'a: b: c', 1, /[Nn]ested mappings/],
    ['a rule with no value', 'a:\nb: c', 1, /"a" has no value/],
    ['an empty list', 'a: []', 1, /"a" has no value/],
    ['a list', '- a', 1, /not a mapping of rule names/],
    ['a nested list', 'a:\n  - - b', 2, /not a string/],
    ['a boolean list item', 'a:\n  - true', 2, /not a string \(true\); quote it/],
    ['null', 'a: null', 1, /null value/],
    ['~', 'a: ~', 1, /null value/],
    ['a YAML 1.1 boolean', 'deny-self-hosted-runners: yes', 1, /YAML 1\.1 reads as a boolean/],
    ['a YAML 1.1 boolean in a list', 'source-ref:\n  - main\n  - off', 3, /"off", which YAML 1\.1 reads as a boolean/],
    ['each YAML 1.1 boolean spelling', 'a: On', 1, /YAML 1\.1/],
    ['an unknown escape', 'a: "^github\\.com"', 1, /[Ee]scape/],
    ['an unterminated quote (found where the text ends)', "a: 'b\nc: d", 2, /[Mm]issing closing 'quote/],
    ['text after a quote', 'a: "b" c', 1, /./],
  ];
  for (const [label, text, line, message] of cases) {
    it(`refuses ${label}`, () => {
      assert.throws(
        () => parsePolicyYaml(text),
        (err: unknown) => err instanceof PolicyYamlError && err.line === line && message.test(err.message),
      );
    });
  }
});

describe('parsePolicyFile', () => {
  it('reads YAML into raw rules with their lines', () => {
    assert.deepEqual(
      parsePolicyFile(
        'ci/policy.yml',
        'repository: a/b\nsource-ref:\n  - refs/tags/v*\ndeny-self-hosted-runners: true',
      ),
      [
        { name: 'repository', values: ['a/b'], where: 'policy file ci/policy.yml, line 1' },
        { name: 'source-ref', values: ['refs/tags/v*'], where: 'policy file ci/policy.yml, line 2' },
        { name: 'deny-self-hosted-runners', values: ['true'], where: 'policy file ci/policy.yml, line 4' },
      ],
    );
  });

  it('reads JSON by name or by its opening brace', () => {
    const json =
      '{"repository": "a/b", "max-age": 3600, "deny-self-hosted-runners": true, "source-ref": ["refs/heads/main", "refs/tags/v*"]}';
    const expected = [
      { name: 'repository', values: ['a/b'], where: 'policy file p.json' },
      { name: 'max-age', values: ['3600'], where: 'policy file p.json' },
      { name: 'deny-self-hosted-runners', values: ['true'], where: 'policy file p.json' },
      { name: 'source-ref', values: ['refs/heads/main', 'refs/tags/v*'], where: 'policy file p.json' },
    ];
    assert.deepEqual(parsePolicyFile('p.json', json), expected);
    assert.deepEqual(
      parsePolicyFile('p', `  ${json}`).map((r) => r.values),
      expected.map((r) => r.values),
    );
  });

  const refusals: [string, string, string, RegExp][] = [
    [
      'YAML it will not read, with file and line',
      'ci/p.yml',
      'a: b\nc: *d',
      /^policy: ci\/p\.yml line 2: an alias \(\*d\): write each value where it is used\. .* or use a JSON file \[INPUT_INVALID\]$/,
    ],
    ['invalid JSON', 'p.json', '{"a": }', /^policy: p\.json is not valid JSON \(.+\)/],
    ['a JSON array', 'p.json', '[1]', /is not a JSON object/],
    [
      'a JSON object value',
      'p.json',
      '{"repository": {"name": "a/b"}}',
      /"repository" is \{"name":"a\/b"\}, not a string, number, boolean or list of strings/,
    ],
    ['a JSON null', 'p.json', '{"owner": null}', /"owner" is null/],
    ['an empty JSON list', 'p.json', '{"source-ref": []}', /"source-ref" is \[\]/],
  ];
  for (const [label, path, text, message] of refusals) {
    it(`refuses ${label}`, () => {
      assert.throws(
        () => parsePolicyFile(path, text),
        (err: unknown) => err instanceof ProvenanceError && err.code === 'INPUT_INVALID' && message.test(err.toLine()),
      );
    });
  }
});
