// No import cycles under src/: the import graph of every source file, read with the TypeScript
// compiler API, has no strongly connected component of more than one file and no file importing itself.
// What counts as an edge, and why:
// - `import … from` and `export … from`, type-only ones included: a type that two modules both need
//   belongs in a module both import (as @sigstore/verify keeps shared types in `*.types.ts`), so
//   `import type` closing a loop is the same design knot as a value import, only cheaper at run time.
// - dynamic `import('…')` with a string literal: a lazy import only delays loading; a module that
//   lazily imports its own importer still ties the two into one unit a reader must hold at once.
// Only relative specifiers that name a `.ts` file are edges; packages and JSON data are leaves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importGraph, SRC, type Graph } from '../../testkit/import-graph.ts';

/** Tarjan's strongly connected components, each in discovery order. */
function stronglyConnected(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.reverse());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return components;
}

/** The shortest path from `from` back to itself inside `members` (breadth first), as a list of nodes. */
function shortestLoop(graph: Graph, from: string, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === from) {
        const loop = [node];
        while (loop[0] !== from) loop.unshift(cameFrom.get(loop[0]!)!);
        return [...loop, from];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [];
}

/**
 * Every cycle, as `a.ts → b.ts → a.ts`: for each component of more than one file (or a file that imports
 * itself), the shortest loop through each of its files, each loop listed once.
 */
export function importCycles(graph: Graph): string[] {
  const cycles = new Set<string>();
  for (const component of stronglyConnected(graph)) {
    const [only] = component;
    if (component.length === 1 && !(graph.get(only!) ?? []).includes(only!)) continue;
    const members = new Set(component);
    for (const node of component) {
      const loop = shortestLoop(graph, node, members).slice(0, -1);
      // Start every loop at its smallest name so that the same loop found from another file is one entry.
      const start = loop.indexOf([...loop].sort()[0]!);
      const rotated = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.add([...rotated, rotated[0]].join(' → '));
    }
  }
  return [...cycles].sort();
}

describe('import cycles', () => {
  it('the cycle finder reports cycles, self-imports and nothing else', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', []],
      ['self.ts', ['self.ts']],
      ['x.ts', ['y.ts']],
      ['y.ts', ['x.ts', 'e.ts']],
    ]);
    assert.deepEqual(importCycles(graph), ['a.ts → b.ts → c.ts → a.ts', 'self.ts → self.ts', 'x.ts → y.ts → x.ts']);
    assert.deepEqual(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
      [],
    );
  });

  it('the graph reader sees type-only imports, re-exports and dynamic imports', () => {
    const graph = importGraph(SRC);
    assert.ok(graph.size > 100, `expected the whole of src/, found ${graph.size} files`);
    const edges = [...graph.values()].flat();
    for (const file of edges) assert.ok(graph.has(file), `an import names ${file}, which is not a file under src/`);
    // main.ts loads the summary attestations lazily; a reader that missed dynamic imports would lose this edge.
    assert.ok(
      graph.get('main.ts')?.includes('summary-attestation.ts'),
      'main.ts → summary-attestation.ts (a dynamic import) is missing',
    );
    // The front doors re-export; a reader that missed `export … from` would lose these.
    assert.ok(graph.get('verify/index.ts')?.includes('verify/settings.ts'), 'a re-export is missing');
    // A type-only import.
    assert.ok(
      graph.get('cli.ts')?.includes('common/runtime.ts'),
      'cli.ts → common/runtime.ts (import type) is missing',
    );
  });

  it('src/ has no import cycles', () => {
    const cycles = importCycles(importGraph(SRC));
    assert.deepEqual(
      cycles,
      [],
      `${cycles.length} import cycle(s) under src/ — move the shared piece into a module both import:\n${cycles.join('\n')}`,
    );
  });
});
