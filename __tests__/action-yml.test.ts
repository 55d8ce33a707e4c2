// action.yml is the action's public contract: every input the code reads is declared there (and
// offered as a CLI flag of the same name), and nothing is declared that the code ignores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { attestSettings } from '../src/inputs/settings.ts';
import { modeFrom, verifySettings } from '../src/inputs/verify-settings.ts';
import { ATTEST_FLAGS, VERIFY_FLAGS } from '../src/inputs/cli-flags.ts';
import { POLICY_INPUT, POLICY_RULES } from '../src/verify/policy/index.ts';
import { REQUIRE_CHAIN } from '../src/verify/chain/spec.ts';

const yml = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
const section = (name: string): string[] => {
  const body = yml.split(new RegExp(`^${name}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? '';
  return [...body.matchAll(/^ {2}([a-z][a-z0-9-]*):/gm)].map((m) => m[1] ?? '');
};
const RESERVED: string[] = [];

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
  assert.deepEqual(section('inputs').filter((n) => !RESERVED.includes(n)).sort(), [...read].sort());
});

it('offers every input as a CLI flag of attest or verify', () => {
  const flags = new Set([...ATTEST_FLAGS, ...VERIFY_FLAGS].map((f) => f.name));
  for (const input of section('inputs').filter((n) => !RESERVED.includes(n) && n !== 'mode')) assert.ok(flags.has(input), `--${input}`);
});

it('sets no default for policy rules, so an unset input never conflicts with a policy file', () => {
  for (const rule of Object.keys(POLICY_RULES).filter((r) => r !== 'predicate-type')) {
    const block = yml.split(new RegExp(`^ {2}${rule}:\\n`, 'm'))[1]?.split(/^ {2}\S/m)[0] ?? '';
    assert.doesNotMatch(block, /default:/, rule);
  }
});

it('runs on node24 from dist/index.js with the outputs of both modes', () => {
  assert.match(yml, /using: 'node24'/);
  assert.match(yml, /main: 'dist\/index\.js'/);
  assert.deepEqual(section('outputs').sort(), ['attestation-id', 'attestation-url', 'bundle-path', 'release-assets', 'report-path', 'statement-digest', 'statement-digests', 'subject-count', 'verified', 'vsa-path']);
});
