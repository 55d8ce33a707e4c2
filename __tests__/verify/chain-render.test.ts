import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  ARTIFACTS_PER_GRAPH,
  CHART_MAX_ARTIFACTS,
  chainCharts,
  chainMermaid,
  COMMIT_CHARS,
  LABEL_CHARS,
  MERMAID_MAX_SOURCE,
  mermaidLabelText,
} from '../../src/verify/chain/chart.ts';
import { chainMarkdown, chainText, FAILURES_LISTED } from '../../src/verify/chain/render.ts';
import { ADVICE } from '../../src/verify/report/advice.ts';

const remedy = (check: keyof typeof ADVICE): string => ADVICE[check].fix;
import type { ChainVerdict, StageResult, StageStatus } from '../../src/verify/chain/types.ts';
import type { CheckFailure } from '../../src/verify/types.ts';
import { mermaidInstance, parseFlowchart, validateMermaid, type Flowchart } from '../../testkit/mermaid.ts';

const HEX = '0123456789abcdef'.repeat(4);
const signer = (workflow: string): string =>
  `https://github.com/acme/app/.github/workflows/${workflow}@refs/tags/v1.0.0`;
const STAGES = [
  { label: 'provenance', title: 'SLSA provenance', workflow: 'build.yml' },
  { label: 'sbom', title: 'SBOM', workflow: 'sbom.yml' },
  { label: 'vulns', title: 'vulnerability scan', workflow: 'scan.yml' },
  { label: 'vex', title: 'VEX', workflow: 'vex.yml' },
  { label: 'approval', title: 'approval', workflow: 'approve.yml' },
] as const;

const linkFailure: CheckFailure = {
  check: 'chain-link',
  expected: 'stage 3 "vulns" to link to stage 2 "sbom": sha256:1111',
  found: 'links to sha256:2222',
};
const missingFailure: CheckFailure = {
  check: 'chain-stage',
  expected: 'stage 3 "vulns": an attestation of https://cosign.sigstore.dev/attestation/vuln/v1 for app.tar.gz',
  found: 'none among the 4 bundle(s) read',
};
const unreachedFailure = (n: number): CheckFailure => ({
  check: 'chain-link',
  expected: `stage ${n} to build on a passing stage ${n - 1}`,
  found: `stage ${n - 1} failed, so there is nothing to link to`,
});

/** Five stages, each passing unless `statuses` says otherwise. */
function chain(
  name: string,
  statuses: Partial<Record<number, StageStatus>> = {},
  failures: Partial<Record<number, CheckFailure[]>> = {},
): ChainVerdict {
  const stages: StageResult[] = STAGES.map((s, i) => {
    const status = statuses[i] ?? 'pass';
    return {
      label: s.label,
      title: s.title,
      status,
      attestation:
        status === 'missing'
          ? undefined
          : {
              source: `dist/${s.label}.sigstore.json`,
              digest: `sha256:${String(i + 1).repeat(64)}`,
              predicateType: `https://example.com/${s.label}/v1`,
              signer: signer(s.workflow),
            },
      failures: status === 'pass' ? [] : (failures[i] ?? [unreachedFailure(i + 1)]),
    };
  });
  return { artifact: { name, digest: { sha256: HEX } }, passed: stages.every((s) => s.status === 'pass'), stages };
}

const passing = chain('app.tar.gz');
const withMissing = chain('app.tar.gz', { 2: 'missing', 3: 'unreached', 4: 'unreached' }, { 2: [missingFailure] });
const withUnlinked = chain('app.tar.gz', { 2: 'unlinked', 3: 'unreached', 4: 'unreached' }, { 2: [linkFailure] });
const rejectedFailures: CheckFailure[] = [
  {
    check: 'signature',
    expected: 'stage 2 "sbom" (dist/sbom.json): a valid DSSE signature',
    found: 'a signature that does not verify',
  },
  {
    check: 'signer-workflow',
    expected: 'acme/app/.github/workflows/sbom.yml',
    found: 'evil/app/.github/workflows/sbom.yml',
  },
  { check: 'max-age', expected: 'at most 30 days', found: '41 days' },
];
const withRejected = chain(
  'app.tar.gz',
  { 1: 'rejected', 2: 'unreached', 3: 'unreached', 4: 'unreached' },
  { 1: rejectedFailures },
);
const many: ChainVerdict[] = Array.from({ length: 25 }, (_, i) =>
  i % 6 === 5 ? chain(`pkg-${i}.tgz`, { 3: 'unlinked', 4: 'unreached' }, { 3: [linkFailure] }) : chain(`pkg-${i}.tgz`),
);

/** A chain with a wrong signer at the build stage: stage 1 rejected, the rest never checked. */
const wrongSigner = chain(
  'app.tar.gz',
  { 0: 'rejected', 1: 'unreached', 2: 'unreached', 3: 'unreached', 4: 'unreached' },
  {
    0: [
      {
        check: 'signer-workflow',
        expected: 'stage 1 "provenance" (dist/provenance.sigstore.json): acme/app/.github/workflows/release.yml',
        found: 'evil/app/.github/workflows/release.yml',
      },
    ],
  },
);

const CLASSES = ['fail', 'missing', 'pass', 'unchecked', 'unlinked'];

/** The nodes and edges the graph of `verdicts` must have (ids counted from `first`), and nothing else. */
function expectedGraph(
  verdicts: readonly ChainVerdict[],
  first = 0,
): { nodes: string[]; edges: { start: string; end: string; stroke: string }[] } {
  const nodes: string[] = [];
  const edges: { start: string; end: string; stroke: string }[] = [];
  verdicts.forEach((v, k) => {
    const a = first + k;
    nodes.push(`a${a}`);
    v.stages.forEach((s, i) => {
      nodes.push(`a${a}s${i + 1}`);
      edges.push({
        start: i === 0 ? `a${a}` : `a${a}s${i}`,
        end: `a${a}s${i + 1}`,
        stroke: s.status === 'pass' ? 'normal' : 'dotted',
      });
    });
  });
  if (verdicts.length === 0) nodes.push('none');
  return { nodes, edges };
}

function assertGraph(graph: Flowchart, verdicts: readonly ChainVerdict[], first = 0): void {
  const want = expectedGraph(verdicts, first);
  assert.equal(graph.diagramType, 'flowchart-v2');
  assert.deepEqual(graph.nodes.map((n) => n.id).sort(), [...want.nodes].sort(), 'exactly the generated nodes');
  assert.deepEqual(
    graph.edges.map(({ start, end, stroke }) => ({ start, end, stroke })),
    want.edges,
    'exactly the generated edges',
  );
  assert.deepEqual([...graph.classDefs].sort(), CLASSES);
  assert.deepEqual(graph.config, {}, 'no directive or front matter');
  for (const n of graph.nodes) {
    assert.equal(n.classes.length, 1, `${n.id} has one class`);
    assert.deepEqual(n.styles, [], `${n.id} has no inline style`);
  }
}

const graphemes = (s: string): number => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].length;

/** What a label field shows for `raw`: as mermaidLabelText promises, before escaping. */
const shown = (raw: string): string =>
  raw
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '\ufffd');

before(async () => {
  await mermaidInstance(); // one import of Mermaid (and jsdom) for the whole file
});

describe('validateMermaid', () => {
  it('accepts a flowchart and names its type', async () => {
    assert.deepEqual(await validateMermaid('flowchart LR\n  a["x"] --> b["y"]\n'), {
      ok: true,
      diagramType: 'flowchart-v2',
    });
  });

  it('rejects broken graphs, so passing it means something', async () => {
    for (const broken of [
      'flowchart LR\n  a["x" --> b["y"]\n',
      'flowchart LR\n  a["x"]] --> b\n',
      'flowchart LR\n  a["x\n',
      'flowchart LR\n  a --> \n  --> b\n',
      'not a diagram at all',
    ]) {
      const r = await validateMermaid(broken);
      assert.equal(r.ok, false, broken);
      if (!r.ok) assert.ok(r.error.length > 0);
    }
  });

  it('parseFlowchart sees injected nodes in naively built labels, so the counts below can catch an escape', async () => {
    // The first hostile string below, put in a label unescaped: rejected, or more than one node.
    const naive = `flowchart LR\n  a0["a"];b[("x"]\n`;
    const r = await validateMermaid(naive);
    assert.ok(!r.ok || (await parseFlowchart(naive)).nodes.length > 1);
    const styled = await parseFlowchart('flowchart LR\n  a0["x"]\n  style a0 fill:#f00\n');
    assert.deepEqual(styled.nodes[0]?.styles, ['fill:#f00']);
    const injected = await parseFlowchart('flowchart LR\n  a0["x"] --> y\n');
    assert.deepEqual(
      injected.nodes.map((n) => n.id),
      ['a0', 'y'],
    );
    assert.deepEqual((await parseFlowchart('%%{init: {"theme": "dark"}}%%\nflowchart LR\n  a0["x"]\n')).config, {
      theme: 'dark',
    });
  });
});

describe('chainText', () => {
  it('shows failing artifacts first, each stage in order, the links between them, every failure and its fix', () => {
    const key = chain('lib.tgz');
    key.stages = key.stages
      .slice(0, 2)
      .map((s) => ({ ...s, attestation: s.attestation && { ...s.attestation, signer: undefined } }));
    const failing = chain(
      'app.tar.gz',
      { 1: 'rejected', 2: 'unlinked', 3: 'missing', 4: 'unreached' },
      { 1: rejectedFailures.slice(1), 2: [linkFailure], 3: [missingFailure] },
    );
    assert.equal(
      chainText([key, failing]),
      [
        `FAIL app.tar.gz (sha256:${HEX})`,
        '  1. SLSA provenance [provenance]: pass — https://github.com/acme/app/.github/workflows/build.yml@refs/tags/v1.0.0',
        '     ✗ not verified',
        '  2. SBOM [sbom]: FAIL (rejected) — signer-workflow: expected acme/app/.github/workflows/sbom.yml, found evil/app/.github/workflows/sbom.yml; max-age: expected at most 30 days, found 41 days',
        `     To fix: ${remedy('signer-workflow')}`,
        `     To fix: ${remedy('max-age')}`,
        '     ✗ broken link',
        '  3. vulnerability scan [vulns]: FAIL (unlinked) — chain-link: expected stage 3 "vulns" to link to stage 2 "sbom": sha256:1111, found links to sha256:2222',
        `     To fix: ${remedy('chain-link')}`,
        '     ✗ missing',
        '  4. VEX [vex]: FAIL (missing) — chain-stage: expected stage 3 "vulns": an attestation of https://cosign.sigstore.dev/attestation/vuln/v1 for app.tar.gz, found none among the 4 bundle(s) read',
        `     To fix: ${remedy('chain-stage')}`,
        '     ⋮ not checked',
        '  5. approval: not checked (stage 2 failed)',
        `PASS lib.tgz (sha256:${HEX})`,
        '  1. SLSA provenance [provenance]: pass — a trusted key',
        '     ↓ linked',
        '  2. SBOM [sbom]: pass — a trusted key',
        '',
      ].join('\n'),
    );
  });

  it('a wrong signer at the build stage reads as one failure, the rest not checked', () => {
    const text = chainText([wrongSigner]);
    assert.equal(text.match(/FAIL \(/g)?.length, 1, text);
    assert.equal(text.match(/not checked \(stage 1 failed\)/g)?.length, 4, text);
    assert.match(text, /^ {2}1\. SLSA provenance \[provenance\]: FAIL \(rejected\) — signer-workflow: /m);
    assert.ok(text.includes(`To fix: ${remedy('signer-workflow')}`));
    assert.doesNotMatch(text, /unreached|❌/);
  });

  it('keeps one line per stage whatever the names hold', () => {
    const v = chain(
      'evil\nPASS forged.tgz (sha256:00)\u001b[2J\u202e',
      { 1: 'rejected', 2: 'unreached', 3: 'unreached', 4: 'unreached' },
      { 1: [{ check: 'signature', expected: 'a\r\nb', found: 'c' }] },
    );
    const lines = chainText([v]).split('\n');
    assert.equal(lines.length, 1 + 5 + 4 + 1 + 1);
    assert.equal(lines[0], `FAIL evil\\nPASS forged.tgz (sha256:00)\\u001b[2J\\u202e (sha256:${HEX})`);
    assert.equal(lines[3], '  2. SBOM [sbom]: FAIL (rejected) — signature: expected a\\r\\nb, found c');
  });
});

describe('chainMermaid', () => {
  const cases: [string, ChainVerdict[]][] = [
    ['a passing 5-stage chain', [passing]],
    ['a missing stage', [withMissing]],
    ['an unlinked stage', [withUnlinked]],
    ['a rejected stage with several failures', [withRejected]],
    ['a wrong signer at the build stage', [wrongSigner]],
    ['three of them', [passing, withMissing, withUnlinked]],
    ['no artifacts', []],
    ['an artifact with no stages', [{ artifact: { name: 'x', digest: {} }, passed: true, stages: [] }]],
  ];
  for (const [name, verdicts] of cases) {
    it(`parses with Mermaid: ${name}`, async () => {
      const source = chainMermaid(verdicts);
      assert.deepEqual(await validateMermaid(source), { ok: true, diagramType: 'flowchart-v2' }, source);
      assertGraph(await parseFlowchart(source), verdicts);
    });
  }

  it('runs top to bottom with short labels: the workflow file and ref, no digest, no owner/repo', async () => {
    const source = chainMermaid([withUnlinked]);
    assert.equal(source.split('\n')[0], 'flowchart TB');
    assert.doesNotMatch(source, /sha256|acme\/app|github\.com|refs\/|#10060;|#9989;/);
    const graph = await parseFlowchart(source);
    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    assert.equal(node('a0')?.text, 'app.tar.gz');
    assert.equal(node('a0s1')?.text, '1. SLSA provenance<br>pass<br>build.yml@v1.0.0');
    assert.equal(node('a0s3')?.text, '3. vulnerability scan<br>BROKEN LINK<br>scan.yml@v1.0.0');
    for (const n of graph.nodes)
      for (const line of n.text.split('<br>')) assert.ok(graphemes(line) <= LABEL_CHARS, `${n.id}: ${line}`);
    // A predicate type URI as a title keeps its end, which names it.
    const typed = chain('x');
    typed.stages = typed.stages
      .slice(0, 1)
      .map((s) => ({ ...s, title: 'https://cosign.sigstore.dev/attestation/vuln/v1' }));
    assert.equal(
      (await parseFlowchart(chainMermaid([typed]))).nodes.find((n) => n.id === 'a0s1')?.text.split('<br>')[0],
      '1. ….dev/attestation/vuln/v1',
    );
  });

  it('styles each stage by its status: pass green, rejected and missing red, a broken link orange, not checked grey', async () => {
    const classOf = async (v: ChainVerdict, id: string) =>
      (await parseFlowchart(chainMermaid([v]))).nodes.find((n) => n.id === id)?.classes;
    assert.deepEqual(await classOf(withUnlinked, 'a0'), ['fail']);
    assert.deepEqual(await classOf(passing, 'a0'), ['pass']);
    assert.deepEqual(await classOf(withUnlinked, 'a0s1'), ['pass']);
    assert.deepEqual(await classOf(withUnlinked, 'a0s3'), ['unlinked']);
    assert.deepEqual(await classOf(withUnlinked, 'a0s4'), ['unchecked']);
    assert.deepEqual(await classOf(withMissing, 'a0s3'), ['missing']);
    assert.deepEqual(await classOf(withRejected, 'a0s2'), ['fail']);
    const source = chainMermaid([withMissing]);
    assert.match(source, /^ {2}classDef missing fill:#ffebe9,stroke:#cf222e,/m, 'missing is red');
    assert.match(source, /^ {2}classDef fail fill:#ffebe9,stroke:#cf222e,/m);
    assert.match(source, /^ {2}classDef pass fill:#dcffe4,stroke:#2da44e,/m);
    assert.match(source, /^ {2}classDef unlinked fill:#fff1e5,stroke:#bc4c00,/m);
    assert.match(source, /^ {2}classDef unchecked fill:#f6f8fa,stroke:#8c959f,/m);
    // The arrow into the break is red; the arrows after it grey.
    assert.match(source, /^ {2}linkStyle 2 stroke:#cf222e,color:#cf222e$/m);
    assert.match(source, /^ {2}linkStyle 3,4 stroke:#8c959f,color:#8c959f$/m);
    const graph = await parseFlowchart(source);
    assert.equal(graph.nodes.find((n) => n.id === 'a0s3')?.text, '3. vulnerability scan<br>MISSING');
    assert.equal(graph.nodes.find((n) => n.id === 'a0s4')?.text, '4. VEX<br>not checked<br>vex.yml@v1.0.0');
    assert.deepEqual(
      graph.edges.map((e) => e.text),
      ['attested', 'linked', 'missing', 'not checked', 'not checked'],
    );
    const rejected = await parseFlowchart(chainMermaid([withRejected]));
    assert.equal(
      rejected.nodes.find((n) => n.id === 'a0s2')?.text,
      '2. SBOM<br>REJECTED<br>signature +2<br>sbom.yml@v1.0.0',
    );
    assert.equal(rejected.edges[1]?.text, 'not verified');
  });

  it('a wrong signer at the build stage shows exactly one failing stage', async () => {
    const graph = await parseFlowchart(chainMermaid([wrongSigner]));
    const stages = graph.nodes.filter((n) => /s\d+$/.test(n.id));
    assert.deepEqual(
      stages.map((n) => n.classes[0]),
      ['fail', 'unchecked', 'unchecked', 'unchecked', 'unchecked'],
    );
    assert.equal(stages[0]?.text, '1. SLSA provenance<br>REJECTED<br>signer-workflow<br>build.yml@v1.0.0');
    assert.equal(stages.filter((n) => /REJECTED|MISSING|BROKEN/.test(n.text)).length, 1);
    assert.ok(stages.slice(1).every((n) => n.text.includes('not checked')));
  });
});

// The full chain from the commit to the running artifact, as issue #18 asks for: a source stage
// (a Source VSA about the commit; its label is not a preset here, so the chart must not need one),
// build, SBOM, scan, VEX, policy, approval and the deployment the gate let through.
const COMMIT = 'c0ffee1234567890abcdef1234567890abcdef12';
const EIGHT = [
  { label: 'source', title: 'source', workflow: 'source.yml' },
  { label: 'provenance', title: 'build provenance', workflow: 'release.yml' },
  { label: 'sbom', title: 'SBOM', workflow: 'release.yml' },
  { label: 'vulns', title: 'vulnerability scan', workflow: 'scan.yml' },
  { label: 'vex', title: 'VEX', workflow: 'scan.yml' },
  { label: 'policy', title: 'policy evaluation', workflow: 'gate.yml' },
  { label: 'approval', title: 'approval', workflow: 'deploy.yml' },
  { label: 'deployment', title: 'deployment', workflow: 'deploy.yml' },
] as const;

function eightStages(
  statuses: Partial<Record<number, StageStatus>> = {},
  commit: string | false = COMMIT,
): ChainVerdict {
  const stages: StageResult[] = EIGHT.map((s, i) => {
    const status = statuses[i] ?? 'pass';
    return {
      label: s.label,
      title: s.title,
      status,
      attestation:
        status === 'missing'
          ? undefined
          : {
              source: `dist/${s.label}.sigstore.json`,
              digest: `sha256:${String(i + 1).repeat(64)}`,
              predicateType: `https://example.com/${s.label}/v1`,
              signer: signer(s.workflow),
            },
      failures: status === 'pass' ? [] : [status === 'missing' ? missingFailure : unreachedFailure(i + 1)],
    };
  });
  return {
    artifact: { name: 'app.tar.gz', digest: { sha256: HEX } },
    passed: stages.every((s) => s.status === 'pass'),
    stages,
    ...(commit !== false && { commit }),
  };
}

describe('the eight-stage chain, from the commit to the deployment', () => {
  /** Every stage after `from` not checked. */
  const unchecked = (from: number): Partial<Record<number, StageStatus>> => {
    const statuses: Partial<Record<number, StageStatus>> = {};
    for (let i = from + 1; i < EIGHT.length; i++) statuses[i] = 'unreached';
    return statuses;
  };
  const cases: [string, ChainVerdict[]][] = [
    ['passing', [eightStages()]],
    ['the source stage rejected', [eightStages({ 0: 'rejected', ...unchecked(0) })]],
    ['the deployment missing', [eightStages({ 7: 'missing' })]],
    ['the deployment linked to the wrong thing', [eightStages({ 7: 'unlinked' })]],
    ['no verified commit', [eightStages({ 1: 'rejected', ...unchecked(1) }, false)]],
    ['three side by side', [eightStages(), eightStages({ 7: 'unlinked' }), eightStages({ 3: 'missing' })]],
  ];
  for (const [name, verdicts] of cases) {
    it(`parses with Mermaid: ${name}`, async () => {
      const source = chainMermaid(verdicts);
      assert.deepEqual(await validateMermaid(source), { ok: true, diagramType: 'flowchart-v2' }, source);
      assertGraph(await parseFlowchart(source), verdicts);
    });
  }

  it('starts at the commit, ends at the deployment, and every stage shows its verdict', async () => {
    const graph = await parseFlowchart(chainMermaid([eightStages({ 7: 'unlinked' })]));
    const text = (id: string): string | undefined => graph.nodes.find((n) => n.id === id)?.text;
    assert.equal(text('a0'), `commit ${COMMIT.slice(0, COMMIT_CHARS)}<br>app.tar.gz`);
    assert.equal(text('a0s1'), '1. source<br>pass<br>source.yml@v1.0.0');
    assert.equal(text('a0s2'), '2. build provenance<br>pass<br>release.yml@v1.0.0');
    assert.equal(text('a0s8'), '8. deployment<br>BROKEN LINK<br>deploy.yml@v1.0.0');
    assert.deepEqual(
      graph.edges.map((e) => [e.start, e.end, e.text]),
      [
        ['a0', 'a0s1', 'attested'],
        ...EIGHT.slice(1, 7).map((_, i) => [`a0s${i + 1}`, `a0s${i + 2}`, 'linked']),
        ['a0s7', 'a0s8', 'broken link'],
      ],
    );
    // Each stage's second line is its verdict: pass, a failure in capitals, or not checked.
    const rejected = await parseFlowchart(chainMermaid([eightStages({ 0: 'rejected', ...unchecked(0) })]));
    const verdicts = rejected.nodes.filter((n) => /s\d+$/.test(n.id)).map((n) => n.text.split('<br>')[1]);
    assert.deepEqual(verdicts, ['REJECTED', ...Array<string>(7).fill('not checked')]);
  });

  it('names the commit only for a chain that starts with a source stage, and says when none was verified', async () => {
    const unverified = await parseFlowchart(chainMermaid([eightStages({}, false)]));
    assert.equal(unverified.nodes.find((n) => n.id === 'a0')?.text, 'commit not verified<br>app.tar.gz');
    // A chain starting at the build shows the artifact alone, as before, whatever commit the verdict holds.
    const fromBuild = eightStages();
    fromBuild.stages = fromBuild.stages.slice(1);
    const graph = await parseFlowchart(chainMermaid([fromBuild]));
    assert.equal(graph.nodes.find((n) => n.id === 'a0')?.text, 'app.tar.gz');
    // A commit is shown as hex only, escaped like every label.
    const odd = await parseFlowchart(chainMermaid([eightStages({}, 'a"]-->x[b')]));
    assert.equal(odd.nodes.length, 9);
    assert.equal(odd.nodes.find((n) => n.id === 'a0')?.text, 'commit a"]-->x<br>app.tar.gz');
  });
});

describe('chainCharts', () => {
  it('draws failing artifacts first, three side by side to a graph, at most nine, ids unique across graphs', async () => {
    const charts = chainCharts(many);
    assert.equal(CHART_MAX_ARTIFACTS, 9);
    assert.deepEqual([charts.graphs.length, charts.shown, charts.hidden], [3, 9, 16]);
    const failing = many.filter((v) => !v.passed);
    const drawn = [...failing, ...many.filter((v) => v.passed)].slice(0, 9);
    for (const [g, source] of charts.graphs.entries()) {
      const graph = await parseFlowchart(source);
      const mine = drawn.slice(g * ARTIFACTS_PER_GRAPH, (g + 1) * ARTIFACTS_PER_GRAPH);
      assertGraph(graph, mine, g * ARTIFACTS_PER_GRAPH);
      assert.equal(graph.nodes.filter((n) => /^a\d+$/.test(n.id)).length, ARTIFACTS_PER_GRAPH, 'at most three columns');
      for (const n of graph.nodes)
        for (const line of n.text.split('<br>')) assert.ok(graphemes(line) <= LABEL_CHARS, line);
    }
    assert.equal(
      (await parseFlowchart(charts.graphs[0] ?? '')).nodes.find((n) => n.id === 'a0')?.text,
      failing[0]?.artifact.name,
    );
    assert.deepEqual(chainCharts([]), { graphs: [chainMermaid([])], shown: 0, hidden: 0 });
    assert.deepEqual(
      chainCharts(many.slice(0, 2)).graphs,
      [chainMermaid(many.slice(0, 2))],
      'under the cap the order is kept',
    );
  });

  it("keeps every graph under Mermaid's text size limit however long the labels", async () => {
    const huge = Array.from({ length: 25 }, (_, i) => {
      const v = chain(`${'👩‍👩‍👧‍👦'.repeat(200)}${i}`, i % 2 ? { 4: 'rejected' } : {});
      v.stages = [...v.stages, ...v.stages, ...v.stages, ...v.stages, ...v.stages, ...v.stages, ...v.stages].map(
        (s) => ({
          ...s,
          title: '🔥'.repeat(500),
          attestation: s.attestation && {
            ...s.attestation,
            signer: `https://github.com/o/r/.github/workflows/${'🔥'.repeat(500)}.yml@refs/tags/${'😀'.repeat(500)}`,
          },
        }),
      );
      return v;
    });
    const charts = chainCharts(huge);
    assert.ok(charts.graphs.length >= 3, `${charts.graphs.length} graphs`);
    let first = 0;
    for (const source of charts.graphs) {
      assert.ok(source.length <= MERMAID_MAX_SOURCE, `${source.length}`);
      const graph = await parseFlowchart(source);
      const columns = graph.nodes.filter((n) => /^a\d+$/.test(n.id)).length;
      assert.ok(columns >= 1 && columns <= ARTIFACTS_PER_GRAPH);
      assert.match(graph.nodes.find((n) => n.id === `a${first}`)?.text ?? '', /^(👩‍👩‍👧‍👦)+…$/u, 'name cut short');
      first += columns;
    }
    assert.equal(charts.shown, first);
    assert.equal(charts.hidden, 25 - first);
  });
});

describe('hostile text stays inside labels', () => {
  const HOSTILE = [
    'a"];b[("x',
    'x --> y',
    'x -.->|edge| y\n  z --> a0',
    '%%{init: {"theme": "dark", "securityLevel": "loose"}}%%',
    '%% a comment\nflowchart TD',
    '```\n</details><script>alert(1)</script>\n```',
    '<img src=x onerror=alert(1)>',
    '</summary></details><img src=x onerror=alert(1)>',
    'line one\nline two\r\n\tthree\u2028four',
    '#quot;#35;&quot;&#34;&lt;#60;',
    'x:::cls\nclassDef cls fill:#f00;',
    '|edge| end\nstyle a0 fill:#f00;',
    'click a0 "javascript:alert(1)"',
    '🚀 emoji 👩‍👩‍👧‍👦 and e\u0301 and \u202eevil\u202c and \u0000\u001b[31m',
    '\ufb02\u00b0\u00b060\u00b6\u00dfscript\ufb02\u00b0\u00b062\u00b6\u00df',
    '}; subgraph X; end; a0 --> X; {',
    `${'A'.repeat(5000)}"]`,
    // Shortened as a signer: what is left must be as inert as the whole.
    'https://github.com/o/r/.github/workflows/"]; x[("</summary>`|.yml@refs/tags/"]\n%%{init}%%',
  ];

  /** A chain whose every string is `h`: names, title, label, signer, source, digests, failures. */
  function hostileChain(h: string): ChainVerdict {
    const failure: CheckFailure = { check: 'signature', expected: h, found: h };
    const att = { source: h, digest: h, predicateType: h, signer: h };
    return {
      artifact: { name: h, digest: { [h]: h } },
      passed: false,
      stages: [
        { label: h, title: h, status: 'pass', attestation: att, failures: [] },
        { label: h, title: h, status: 'rejected', attestation: att, failures: [failure, failure] },
        { label: h, title: h, status: 'missing', attestation: undefined, failures: [failure] },
      ],
    };
  }

  /** Outside code spans the summary holds no tag but the few it writes itself. */
  const OWN_TAGS = /<(?:br|details|\/details|summary|\/summary)>/g;

  for (const h of HOSTILE) {
    it(`keeps ${JSON.stringify(h.slice(0, 40))} in its labels`, async () => {
      const verdicts = [hostileChain(h), { ...passing, stages: passing.stages.slice(0, 1) }];
      const source = chainMermaid(verdicts);
      const graph = await parseFlowchart(source); // validateMermaid's check, then the parser's database
      assertGraph(graph, verdicts);
      const name = graph.nodes.find((n) => n.id === 'a0')?.text ?? '';
      const expected = shown(h);
      if (graphemes(expected) <= LABEL_CHARS) assert.equal(name, expected);
      else assert.ok(name.startsWith(expected.slice(0, 10)) && name.endsWith('…'), name);
      // The source itself holds no character that means anything to Mermaid, HTML or Markdown outside the label.
      for (const line of source.split('\n').filter((l) => /^ {2}a\d+s?\d*[[(]/.test(l))) {
        assert.match(line, /^ {2}a\d+(s\d+)?(\["|\(\[")(?:[A-Za-z0-9 .,_/@+=()-]|#\d+;|<br>)*("\]|"\]\))$/, line);
      }
      // And the job summary keeps its fences, its tables and its own tags.
      const md = chainMarkdown(verdicts);
      assert.equal(md.split('```').length, 3, 'one mermaid fence');
      for (const row of md.split('\n').filter((l) => l.startsWith('| ')))
        assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, row);
      for (const line of md.split('\n'))
        assert.doesNotMatch(line.replace(/`[^`]*`/g, '').replace(OWN_TAGS, ''), /</, line);
      assert.doesNotMatch(chainText(verdicts), /\p{Cc}(?<!\n)|\u202e|::/u);
    });
  }

  it('escapes every label to the safe alphabet and entity codes', () => {
    for (const h of HOSTILE) assert.match(mermaidLabelText(h), /^(?:[A-Za-z0-9 .,_/@+=()-]|#\d+;)*$/);
    assert.equal(mermaidLabelText('a"b'), 'a#34;b');
    assert.equal(mermaidLabelText('#quot;'), '#35;quot#59;');
    assert.equal(mermaidLabelText('😀'), '#128512;');
    assert.equal(mermaidLabelText(' a \n\t b '), 'a b');
    assert.equal(mermaidLabelText('abcdef', 3), 'abc#8230;');
    assert.equal(mermaidLabelText('abcdef', 3, 'end'), '#8230;def');
  });

  it('parses 200 random strings over a hostile alphabet', async () => {
    const alphabet = [
      '"',
      "'",
      '`',
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      '<',
      '>',
      '|',
      ';',
      ':',
      '%',
      '#',
      '&',
      '-',
      '.',
      '=',
      '!',
      '*',
      '/',
      '\\',
      '\n',
      '\r',
      '\t',
      ' ',
      'a',
      'b',
      '0',
      '9',
      '-->',
      '%%',
      ':::',
      '#quot;',
      '&lt;',
      'end',
      'style',
      'classDef',
      'subgraph',
      '<br>',
      '\ufb02',
      '\u00b0',
      '\u00b6',
      '\u00df',
      '😀',
      '\u200d',
      '\u202e',
      '\u0000',
      'é',
      '\u0301',
      '@',
      'https://github.com/o/r/.github/workflows/',
      '@refs/tags/',
    ];
    let seed = 0x2f6b1d3;
    const random = (): number => {
      // mulberry32: the same strings on every run
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const strings = Array.from({ length: 200 }, () =>
      Array.from(
        { length: Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)] ?? '',
      ).join(''),
    );
    // Three strings to a chain (the artifact's name, the stage's title and its signer: the
    // fields a graph shows) and seven chains to a graph, so the 200 cost 10 parses.
    // parseFlowchart runs validateMermaid's check first; a graph that fails is retried chain by
    // chain to name the culprit.
    const chains: ChainVerdict[] = [];
    for (let i = 0; i < strings.length; i += 3) {
      const [name = '', title = '', signer = ''] = strings.slice(i, i + 3);
      const attestation = { source: signer, digest: `sha256:${title}`, predicateType: title, signer };
      chains.push({
        artifact: { name, digest: { sha256: name } },
        passed: false,
        stages: [{ label: title, title, status: 'rejected', attestation, failures: [] }],
      });
    }
    for (let i = 0; i < chains.length; i += 7) {
      const batch = chains.slice(i, i + 7);
      const graph = await parseFlowchart(chainMermaid(batch)).catch(async (e: unknown) => {
        for (const v of batch) {
          const r = await validateMermaid(chainMermaid([v]));
          assert.ok(
            r.ok,
            `${JSON.stringify([v.artifact.name, v.stages[0]?.title, v.stages[0]?.attestation?.signer])}: ${r.ok ? '' : r.error}`,
          );
        }
        throw e;
      });
      assertGraph(graph, batch);
      batch.forEach((v, k) => {
        const text = graph.nodes.find((n) => n.id === `a${k}`)?.text ?? '';
        const full = !mermaidLabelText(v.artifact.name).endsWith('#8230;');
        assert.ok(
          full ? text === (shown(v.artifact.name) || '(no name)') : text.endsWith('…'),
          `${JSON.stringify(v.artifact.name)} shown as ${JSON.stringify(text)}`,
        );
      });
    }
  });
});

/** A table row below a header. */
const isRow = (line: string): boolean =>
  line.startsWith('| ') && !line.startsWith('| Artifact and stage') && !line.startsWith('| ---');
const graphsOf = (md: string): string[] => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('chainMarkdown', () => {
  it('heads, draws and tabulates a verified chain, the signer short with the full value in a <details>', async () => {
    const md = chainMarkdown([passing]);
    const lines = md.split('\n');
    assert.equal(lines[0], '## Release chain verified: 1 artifact(s)');
    assert.equal(lines[2], '```mermaid', 'no failures to list');
    assert.deepEqual(graphsOf(md), [chainMermaid([passing])]);
    assert.deepEqual(await validateMermaid(graphsOf(md)[0] ?? ''), { ok: true, diagramType: 'flowchart-v2' });
    assert.ok(lines.includes('| Artifact and stage | Result | Signer | Attestation |'));
    assert.ok(
      lines.includes(
        '| `app.tar.gz`<br>1. `SLSA provenance` | ✅ pass | <details><summary>`build.yml@v1.0.0`</summary>`https://github.com/acme/app/.github/workflows/build.yml@refs/tags/v1.0.0`</details> | `dist/provenance.sigstore.json` |',
      ),
      md,
    );
    assert.ok(
      lines.includes(
        '| 5. `approval` | ✅ pass | <details><summary>`approve.yml@v1.0.0`</summary>`https://github.com/acme/app/.github/workflows/approve.yml@refs/tags/v1.0.0`</details> | `dist/approval.sigstore.json` |',
      ),
    );
    assert.equal(lines.filter(isRow).length, 5);
    assert.doesNotMatch(md, /❌|<details><summary>\d+ artifact/);
  });

  it('lists the failures with their fixes first, then broken chains, then the passing ones folded', () => {
    const md = chainMarkdown([passing, withRejected, withMissing]);
    const lines = md.split('\n');
    assert.equal(lines[0], '## Release chain broken for 2 of 3 artifact(s)');
    const fence = lines.indexOf('```mermaid');
    const failures = lines.slice(1, fence).filter((l) => l.startsWith('- '));
    assert.deepEqual(failures, [
      `- ❌ \`app.tar.gz\`, stage 2 \`SBOM\` rejected: **${ADVICE.signature.what}** (\`signature\`: expected \`stage 2 "sbom" (dist/sbom.json): a valid DSSE signature\`, found \`a signature that does not verify\`, and 2 more).` +
        ` **To fix:** ${remedy('signature')}; ${remedy('signer-workflow')}; ${remedy('max-age')}.`,
      `- ❌ \`app.tar.gz\`, stage 3 \`vulnerability scan\` missing: **${ADVICE['chain-stage'].what}** (\`chain-stage\`: expected \`${missingFailure.expected}\`, found \`${missingFailure.found}\`). **To fix:** ${remedy('chain-stage')}.`,
    ]);
    const rows = lines.filter(isRow);
    assert.equal(rows.length, 15);
    assert.equal(
      rows[1],
      '| 2. `SBOM` | ❌ rejected<br>' +
        '`signature`<details><summary>expected, found</summary>expected `stage 2 "sbom" (dist/sbom.json): a valid DSSE signature`, found `a signature that does not verify`</details><br>' +
        '`signer-workflow`<details><summary>expected, found</summary>expected `acme/app/.github/workflows/sbom.yml`, found `evil/app/.github/workflows/sbom.yml`</details><br>' +
        '`max-age`<details><summary>expected, found</summary>expected `at most 30 days`, found `41 days`</details> | <details><summary>`sbom.yml@v1.0.0`</summary>`https://github.com/acme/app/.github/workflows/sbom.yml@refs/tags/v1.0.0`</details> | `dist/sbom.sigstore.json` |',
    );
    assert.equal(rows[2]?.split(' | ')[1], '⚪ not checked: stage 2 failed');
    assert.match(
      rows[7] ?? '',
      /^\| 3\. `vulnerability scan` \| ❌ missing<br>`chain-stage`<details><summary>expected, found<\/summary>.* \| {2}\| {2}\|$/,
    );
    // The passing artifact comes last, folded.
    const fold = lines.indexOf('<details><summary>1 artifact(s) passed every stage</summary>');
    assert.ok(fold > lines.indexOf(rows[9] ?? ''), 'after the failing rows');
    assert.equal(lines[fold + 1], '');
    assert.match(lines[fold + 4] ?? '', /^\| `app.tar.gz`<br>1\. .* \| ✅ pass \|/);
    assert.ok(lines.includes('</details>'));
  });

  it('a wrong signer at the build stage reads as one failure: one line, one ❌ row, the rest not checked', () => {
    const md = chainMarkdown([wrongSigner]);
    const lines = md.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('- ❌')).length, 1);
    assert.match(
      lines.find((l) => l.startsWith('- ❌')) ?? '',
      /stage 1 `SLSA provenance` rejected: \*\*the artifact was signed by another workflow than the policy names\*\* \(`signer-workflow`: .*\)\. \*\*To fix:\*\* use the artifact built by the workflow the policy names/,
    );
    const rows = lines.filter(isRow);
    assert.equal(rows.filter((r) => r.includes('❌')).length, 1);
    assert.deepEqual(
      rows.slice(1).map((r) => r.split(' | ')[1]),
      [1, 2, 3, 4].map(() => '⚪ not checked: stage 1 failed'),
    );
    assert.equal(md.match(/❌/g)?.length, 2, 'the failure line and its row');
    assert.doesNotMatch(md, /unreached|FAIL/);
  });

  it('shows no absolute path, and caps the failed checks in a cell', () => {
    const v = chain(
      'app.tar.gz',
      { 0: 'rejected', 1: 'unreached', 2: 'unreached', 3: 'unreached', 4: 'unreached' },
      { 0: Array.from({ length: 5 }, () => rejectedFailures[2] ?? assert.fail()) },
    );
    for (const [i, s] of v.stages.entries())
      if (s.attestation)
        s.attestation.source =
          i % 2
            ? 'C:\\a\\runner\\_work\\dist\\x.sigstore.json'
            : `/home/runner/work/app/app/dist/${s.label}.sigstore.json`;
    const md = chainMarkdown([v]);
    assert.doesNotMatch(md, /\/home\/|C:\\\\|runner/);
    const rows = md.split('\n').filter(isRow);
    assert.match(rows[0] ?? '', / \| `provenance\.sigstore\.json` \|$/);
    assert.match(rows[1] ?? '', / \| `x\.sigstore\.json` \|$/);
    assert.equal(rows[0]?.match(/`max-age`/g)?.length, 3);
    assert.match(rows[0] ?? '', /<br>\+2 more in the JSON report \|/);
  });

  it('caps the table and says how many artifacts it left out', () => {
    const md = chainMarkdown(many, 50);
    const rows = md.split('\n').filter(isRow);
    assert.equal(rows.length, 10 * 5);
    assert.ok(md.includes('… 15 more artifact(s) not listed: see the JSON report.'));
    assert.ok((rows[0] ?? '').includes('`pkg-5.tgz`'), 'failing artifacts first');
    assert.ok(md.includes('The charts show 9 artifact(s), failing ones first; 16 more are in the table.'));
    assert.equal(chainMarkdown([]).split('\n')[0], '## Release chain not verified: no artifacts');
  });

  it('stays small for many artifacts with long, hostile failures', () => {
    const long = 'x'.repeat(2000);
    const all = Array.from({ length: 300 }, (_, i) =>
      chain(
        `${'<script>'.repeat(50)}${i}`,
        { 0: 'rejected', 1: 'unreached', 2: 'unreached', 3: 'unreached', 4: 'unreached' },
        { 0: Array.from({ length: 14 }, () => ({ check: 'signature', expected: long, found: long })) },
      ),
    );
    const md = chainMarkdown(all);
    const bytes = Buffer.byteLength(md);
    assert.ok(bytes < 256 * 1024, `${bytes} bytes`);
    assert.ok(graphsOf(md).length <= Math.ceil(CHART_MAX_ARTIFACTS / ARTIFACTS_PER_GRAPH));
    assert.equal(md.split('\n').filter((l) => l.startsWith('- ')).length, FAILURES_LISTED + 1);
    assert.ok(md.includes(`- … and ${300 - FAILURES_LISTED} more failing artifact(s), in the table below.`));
  });
});
