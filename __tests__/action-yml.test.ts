// action.yml is the action's public contract, read here as GitHub reads it: through GitHub's own parser
// (@actions/workflow-parser, testkit/workflow-parser.ts), never with patterns over the text. Every input
// the code reads is declared there (and offered as a CLI flag of the same name), nothing is declared that
// the code ignores, and the Marketplace's limits hold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { attestSettings } from '../src/attest/settings.ts';
import { modeFrom, verifySettings } from '../src/verify/settings.ts';
import { ATTEST_FLAGS, VERIFY_FLAGS } from '../src/inputs/cli-flags.ts';
import { POLICY_INPUT, POLICY_RULES } from '../src/verify/policy/index.ts';
import { REQUIRE_CHAIN } from '../src/verify/chain/spec.ts';
import { actionProblems, loadActionManifest, MARKETPLACE_DESCRIPTION_MAX } from '../testkit/action-manifest.ts';
import { REPO_ROOT } from '../testkit/runner.ts';

const text = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
const action = await loadActionManifest(REPO_ROOT);
const inputIds = action.inputs.map((i) => i.id);

describe('GitHub loads action.yml', () => {
  it('parses with GitHub parser and meets the Marketplace limits', () => {
    assert.deepEqual(actionProblems(text), []);
  });

  // The check itself must be able to fail: each of these copies is one a runner or the Marketplace refuses.
  const broken: [string, string, RegExp][] = [
    ['a quote opened and never closed', text.replace(/(description: '[^'\n]*)'\n/, '$1\n'), /Missing closing 'quote/],
    ['a tab for indentation', text.replace(/\n {2}mode:/, '\n\tmode:'), /tab|indent/i],
    [
      'an input key twice',
      text.replace(/\n {2}mode:/, '\n  owner:\n    description: x\n  mode:'),
      /already defined|duplicate/i,
    ],
    ['an unknown top-level key', `${text}\nmain: dist/index.js\n`, /Unexpected value 'main'/],
    ['runs.using that does not exist', text.replace(/using: 'node24'/, "using: 'node99'"), /node99/],
    ['a Marketplace icon outside the list', text.replace(/icon: '[^']+'/, "icon: 'key'"), /Unexpected value 'key'/],
    ['a colour outside the list', text.replace(/color: '[^']+'/, "color: 'pink'"), /Unexpected value 'pink'/],
    [
      'a description over 125 characters',
      text.replace(/^description: '[^']*'/m, `description: '${'x'.repeat(MARKETPLACE_DESCRIPTION_MAX + 1)}'`),
      /126 characters/,
    ],
    ['no branding', text.replace(/^branding:\n( {2}.*\n)+/m, ''), /branding needs an icon/],
  ];
  for (const [what, copy, expected] of broken) {
    it(`refuses a copy with ${what}`, () => {
      assert.notEqual(copy, text, 'the mutation applies to the current action.yml');
      const problems = actionProblems(copy);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${what}: ${JSON.stringify(problems)}`,
      );
    });
  }
});

describe('the contract between action.yml and the code', () => {
  it('declares exactly the inputs the two modes read', () => {
    const read = new Set<string>();
    const get = (name: string): string => {
      read.add(name);
      return { 'subject-path': 'x', 'bundle-path': 'b.jsonl' }[name] ?? '';
    };
    modeFrom(get);
    attestSettings(get);
    verifySettings(get);
    for (const name of [...Object.keys(POLICY_RULES), POLICY_INPUT, REQUIRE_CHAIN]) read.add(name);
    assert.deepEqual([...inputIds].sort(), [...read].sort());
  });

  it('offers every input as a CLI flag of attest or verify', () => {
    const flags = new Set([...ATTEST_FLAGS, ...VERIFY_FLAGS].map((f) => f.name));
    for (const input of inputIds.filter((n) => n !== 'mode')) assert.ok(flags.has(input), `--${input}`);
  });

  it('sets no default for policy rules, so an unset input never conflicts with a policy file', () => {
    for (const rule of Object.keys(POLICY_RULES).filter((r) => r !== 'predicate-type')) {
      const input = action.inputs.find((i) => i.id === rule);
      assert.deepEqual(input?.default, { literal: '' }, rule);
    }
  });

  it('defaults github-token to the job token, as actions/attest does', () => {
    assert.deepEqual(action.inputs.find((i) => i.id === 'github-token')?.default, { expression: 'github.token' });
  });

  it('runs on node24 from dist/index.js with the outputs of both modes', () => {
    assert.equal(action.using, 'node24');
    assert.equal(action.main, `${REPO_ROOT}/dist/index.js`);
    const outputs = (action.template.outputs ?? []).map((o) => o.id).sort();
    assert.deepEqual(outputs, [
      'attestation-id',
      'attestation-url',
      'bundle-path',
      'release-assets',
      'report-path',
      'statement-digest',
      'statement-digests',
      'subject-count',
      'verified',
      'vsa-path',
    ]);
  });
});
