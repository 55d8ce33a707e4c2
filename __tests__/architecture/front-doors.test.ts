// The layout's rules, read from the import graph (testkit/import-graph.ts), so a newcomer's map
// (README "How the code is laid out") stays true:
// - attest and verify are entered only by their front door (`attest/index.ts`, `verify/index.ts`);
// - the shared edges (GitHub, registries, HTTP, subjects, the stage vocabulary, output helpers,
//   input readers, common) import neither mode, so either mode can be read without the other;
// - verify never imports attest: verification stays free of signing (the summary attestations,
//   which need both, are composed at the top, in summary-attestation.ts);
// - every folder of src/ is a known place: a new one must be given a place in the map.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importGraph, SRC, type Graph } from '../../testkit/import-graph.ts';

const MODES = ['attest', 'verify'] as const;
const SHARED = ['common', 'github', 'registry', 'http', 'subjects', 'stages', 'output', 'inputs'] as const;
const ENTRIES = ['index.ts', 'main.ts', 'cli.ts', 'summary-attestation.ts'] as const;

const topFolder = (file: string): string | undefined => (file.includes('/') ? file.split('/')[0] : undefined);

/** Every import that breaks a rule, as `from → to: why`. */
export function layoutViolations(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const home = topFolder(from);
    if (home === undefined && !(ENTRIES as readonly string[]).includes(from))
      found.push(`${from}: a file at the top of src/ that is not an entry point; put it in a folder`);
    if (home !== undefined && ![...MODES, ...SHARED].includes(home as never))
      found.push(`${from}: folder ${home}/ is not in the layout; add it to the map and to this test`);
    for (const to of targets) {
      const mode = MODES.find((m) => topFolder(to) === m);
      if (mode === undefined) continue;
      if (home !== mode && to !== `${mode}/index.ts`)
        found.push(`${from} → ${to}: outside ${mode}/, import its front door ${mode}/index.ts`);
      if ((SHARED as readonly string[]).includes(home ?? ''))
        found.push(`${from} → ${to}: the shared ${home}/ must not import a mode`);
      if (home === 'verify' && mode === 'attest') found.push(`${from} → ${to}: verification must not import attest`);
    }
  }
  return found.sort();
}

describe('the layout', () => {
  it('the rule reader finds each kind of violation', () => {
    const graph = new Map([
      ['main.ts', ['verify/index.ts', 'attest/attest.ts']],
      ['stray.ts', []],
      ['misc/thing.ts', []],
      ['github/client.ts', ['verify/index.ts']],
      ['verify/index.ts', ['verify/verify.ts']],
      ['verify/verify.ts', ['attest/index.ts', 'common/errors.ts']],
      ['attest/index.ts', ['attest/attest.ts']],
      ['attest/attest.ts', ['verify/index.ts', 'verify/judge.ts']],
    ]);
    assert.deepEqual(layoutViolations(graph), [
      'attest/attest.ts → verify/judge.ts: outside verify/, import its front door verify/index.ts',
      'github/client.ts → verify/index.ts: the shared github/ must not import a mode',
      'main.ts → attest/attest.ts: outside attest/, import its front door attest/index.ts',
      'misc/thing.ts: folder misc/ is not in the layout; add it to the map and to this test',
      'stray.ts: a file at the top of src/ that is not an entry point; put it in a folder',
      'verify/verify.ts → attest/index.ts: verification must not import attest',
    ]);
  });

  it('src/ keeps to it', () => {
    const violations = layoutViolations(importGraph(SRC));
    assert.deepEqual(violations, [], `${violations.length} import(s) break the layout:\n${violations.join('\n')}`);
  });

  it("the README's map names every folder of src/ and of src/attest/ and src/verify/", () => {
    const readme = readFileSync(path.join(SRC, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('## How the code is laid out');
    assert.ok(start >= 0, 'README has no "How the code is laid out" section');
    const map = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const folders = new Set<string>();
    for (const file of importGraph(SRC).keys()) {
      const parts = file.split('/');
      if (parts.length > 1) folders.add(`${parts[0]}/`);
      if (parts.length > 2 && (MODES as readonly string[]).includes(parts[0]!)) folders.add(`${parts[1]}/`);
    }
    const missing = [...folders].filter((folder) => !map.includes(folder));
    assert.deepEqual(missing, [], `the map in README misses ${missing.join(', ')}`);
  });
});
