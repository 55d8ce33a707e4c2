// action.yml is the action's public contract: every input the code reads is declared there (with
// the same name as the CLI flag), and nothing is declared that the code ignores.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { attestSettings } from '../src/inputs/settings.ts';
import { ATTEST_FLAGS } from '../src/inputs/cli-flags.ts';

const yml = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
const section = (name: string): string[] => {
  const body = yml.split(new RegExp(`^${name}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? '';
  return [...body.matchAll(/^ {2}([a-z][a-z0-9-]*):/gm)].map((m) => m[1] ?? '');
};

it('declares exactly the inputs attest mode reads (github-token is reserved for publishing)', () => {
  const read = new Set<string>();
  attestSettings((name) => {
    read.add(name);
    return name === 'subject-path' ? 'x' : '';
  });
  assert.deepEqual(section('inputs').filter((n) => n !== 'github-token').sort(), [...read].sort());
});

it('offers every input as a CLI flag', () => {
  const flags = ATTEST_FLAGS.map((f) => f.name);
  for (const input of section('inputs').filter((n) => n !== 'github-token')) assert.ok(flags.includes(input), `--${input}`);
});

it('runs on node24 from dist/index.js', () => {
  assert.match(yml, /using: 'node24'/);
  assert.match(yml, /main: 'dist\/index\.js'/);
  assert.deepEqual(section('outputs').sort(), ['bundle-path', 'statement-digest', 'statement-digests', 'subject-count']);
});
