import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { chainMarkdown, chainMermaid, chainText, MERMAID_MAX_SOURCE, mermaidLabelText, shortSigner } from '../../src/verify/chain/render.ts';
import type { ChainVerdict, StageResult, StageStatus } from '../../src/verify/chain/types.ts';
import type { CheckFailure } from '../../src/verify/types.ts';
import { mermaidInstance, parseFlowchart, validateMermaid, type Flowchart } from '../../testkit/mermaid.ts';

const HEX = '0123456789abcdef'.repeat(4);
const signer = (workflow: string): string => `https://github.com/acme/app/.github/workflows/${workflow}@refs/tags/v1.0.0`;
const STAGES = [
  { label: 'provenance', title: 'SLSA provenance', workflow: 'build.yml' },
  { label: 'sbom', title: 'SBOM', workflow: 'sbom.yml' },
  { label: 'vulns', title: 'vulnerability scan', workflow: 'scan.yml' },
  { label: 'vex', title: 'VEX', workflow: 'vex.yml' },
  { label: 'approval', title: 'approval', workflow: 'approve.yml' },
] as const;

const linkFailure: CheckFailure = { check: 'chain-link', expected: 'stage 3 "vulns" to link to stage 2 "sbom": sha256:1111', found: 'links to sha256:2222' };
const missingFailure: CheckFailure = { check: 'chain-stage', expected: 'stage 3 "vulns": an attestation of https://cosign.sigstore.dev/attestation/vuln/v1 for app.tar.gz', found: 'none among the 4 bundle(s) read' };
const unreachedFailure = (n: number): CheckFailure => ({ check: 'chain-link', expected: `stage ${n} to build on a passing stage ${n - 1}`, found: `stage ${n - 1} failed, so there is nothing to link to` });

/** Five stages, each passing unless `statuses` says otherwise. */
function chain(name: string, statuses: Partial<Record<number, StageStatus>> = {}, failures: Partial<Record<number, CheckFailure[]>> = {}): ChainVerdict {
  const stages: StageResult[] = STAGES.map((s, i) => {
    const status = statuses[i] ?? 'pass';
    return {
      label: s.label,
      title: s.title,
      status,
      attestation: status === 'missing' ? undefined : { source: `dist/${s.label}.sigstore.json`, digest: `sha256:${String(i + 1).repeat(64)}`, predicateType: `https://example.com/${s.label}/v1`, signer: signer(s.workflow) },
      failures: status === 'pass' ? [] : (failures[i] ?? [unreachedFailure(i + 1)]),
    };
  });
  return { artifact: { name, digest: { sha256: HEX } }, passed: stages.every((s) => s.status === 'pass'), stages };
}

const passing = chain('app.tar.gz');
const withMissing = chain('app.tar.gz', { 2: 'missing', 3: 'unreached', 4: 'unreached' }, { 2: [missingFailure] });
const withUnlinked = chain('app.tar.gz', { 2: 'unlinked', 3: 'unreached', 4: 'unreached' }, { 2: [linkFailure] });
const rejectedFailures: CheckFailure[] = [
  { check: 'signature', expected: 'stage 2 "sbom" (dist/sbom.json): a valid DSSE signature', found: 'a signature that does not verify' },
  { check: 'signer-workflow', expected: 'acme/app/.github/workflows/sbom.yml', found: 'evil/app/.github/workflows/sbom.yml' },
  { check: 'max-age', expected: 'at most 30 days', found: '41 days' },
];
const withRejected = chain('app.tar.gz', { 1: 'rejected', 2: 'unreached', 3: 'unreached', 4: 'unreached' }, { 1: rejectedFailures });
const many: ChainVerdict[] = Array.from({ length: 25 }, (_, i) => (i % 6 === 5 ? chain(`pkg-${i}.tgz`, { 3: 'unlinked', 4: 'unreached' }, { 3: [linkFailure] }) : chain(`pkg-${i}.tgz`)));

/** The nodes and edges the graph of `verdicts` must have, and nothing else. */
function expectedGraph(verdicts: readonly ChainVerdict[], hidden = 0): { nodes: string[]; edges: { start: string; end: string; stroke: string }[] } {
  const nodes: string[] = [];
  const edges: { start: string; end: string; stroke: string }[] = [];
  verdicts.forEach((v, a) => {
    nodes.push(`a${a}`);
    v.stages.forEach((s, i) => {
      nodes.push(`a${a}s${i + 1}`);
      edges.push({ start: i === 0 ? `a${a}` : `a${a}s${i}`, end: `a${a}s${i + 1}`, stroke: s.status === 'pass' ? 'normal' : 'dotted' });
    });
  });
  if (hidden > 0) nodes.push('more');
  if (verdicts.length === 0 && hidden === 0) nodes.push('none');
  return { nodes, edges };
}

function assertGraph(graph: Flowchart, verdicts: readonly ChainVerdict[], hidden = 0): void {
  const want = expectedGraph(verdicts, hidden);
  assert.equal(graph.diagramType, 'flowchart-v2');
  assert.deepEqual(graph.nodes.map((n) => n.id).sort(), [...want.nodes].sort(), 'exactly the generated nodes');
  assert.deepEqual(
    graph.edges.map(({ start, end, stroke }) => ({ start, end, stroke })),
    want.edges,
    'exactly the generated edges',
  );
  assert.deepEqual([...graph.classDefs].sort(), ['fail', 'pass', 'skip']);
  assert.deepEqual(graph.config, {}, 'no directive or front matter');
  for (const n of graph.nodes) {
    assert.equal(n.classes.length, 1, `${n.id} has one class`);
    assert.deepEqual(n.styles, [], `${n.id} has no inline style`);
  }
}

/** What a label field shows for `raw`: as mermaidLabelText promises, before escaping. */
const shown = (raw: string): string => raw.replace(/\s+/gu, ' ').trim().replace(/[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '\ufffd');

before(async () => {
  await mermaidInstance(); // one import of Mermaid (and jsdom) for the whole file
});

describe('validateMermaid', () => {
  it('accepts a flowchart and names its type', async () => {
    assert.deepEqual(await validateMermaid('flowchart LR\n  a["x"] --> b["y"]\n'), { ok: true, diagramType: 'flowchart-v2' });
  });

  it('rejects broken graphs, so passing it means something', async () => {
    for (const broken of ['flowchart LR\n  a["x" --> b["y"]\n', 'flowchart LR\n  a["x"]] --> b\n', 'flowchart LR\n  a["x\n', 'flowchart LR\n  a --> \n  --> b\n', 'not a diagram at all']) {
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
    assert.deepEqual(injected.nodes.map((n) => n.id), ['a0', 'y']);
    assert.deepEqual((await parseFlowchart('%%{init: {"theme": "dark"}}%%\nflowchart LR\n  a0["x"]\n')).config, { theme: 'dark' });
  });
});

describe('chainText', () => {
  it('shows each stage in order, the links between them, and every failure', () => {
    const key = chain('lib.tgz');
    key.stages = key.stages.slice(0, 2).map((s) => ({ ...s, attestation: s.attestation && { ...s.attestation, signer: undefined } }));
    const failing = chain('app.tar.gz', { 1: 'rejected', 2: 'unlinked', 3: 'missing', 4: 'unreached' }, { 1: rejectedFailures.slice(1), 2: [linkFailure], 3: [missingFailure] });
    assert.equal(
      chainText([key, failing]),
      [
        `PASS lib.tgz (sha256:${HEX})`,
        '  1. SLSA provenance [provenance]: pass — a trusted key',
        '     ↓ linked',
        '  2. SBOM [sbom]: pass — a trusted key',
        `FAIL app.tar.gz (sha256:${HEX})`,
        '  1. SLSA provenance [provenance]: pass — https://github.com/acme/app/.github/workflows/build.yml@refs/tags/v1.0.0',
        '     ✗ not verified',
        '  2. SBOM [sbom]: FAIL (rejected) — signer-workflow: expected acme/app/.github/workflows/sbom.yml, found evil/app/.github/workflows/sbom.yml; max-age: expected at most 30 days, found 41 days',
        '     ✗ broken link',
        '  3. vulnerability scan [vulns]: FAIL (unlinked) — chain-link: expected stage 3 "vulns" to link to stage 2 "sbom": sha256:1111, found links to sha256:2222',
        '     ✗ missing',
        '  4. VEX [vex]: FAIL (missing) — chain-stage: expected stage 3 "vulns": an attestation of https://cosign.sigstore.dev/attestation/vuln/v1 for app.tar.gz, found none among the 4 bundle(s) read',
        '     ✗ unreached',
        '  5. approval: FAIL (unreached) — chain-link: expected stage 5 to build on a passing stage 4, found stage 4 failed, so there is nothing to link to',
        '',
      ].join('\n'),
    );
  });

  it('keeps one line per stage whatever the names hold', () => {
    const v = chain('evil\nPASS forged.tgz (sha256:00)\u001b[2J\u202e', { 1: 'rejected', 2: 'unreached', 3: 'unreached', 4: 'unreached' }, { 1: [{ check: 'signature', expected: 'a\r\nb', found: 'c' }] });
    const lines = chainText([v]).split('\n');
    assert.equal(lines.length, 1 + 5 + 4 + 1);
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
    ['all of them', [passing, withMissing, withUnlinked, withRejected]],
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

  it('labels nodes and links, and styles them by status', async () => {
    const graph = await parseFlowchart(chainMermaid([withUnlinked]));
    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    assert.equal(node('a0')?.text, 'app.tar.gz<br>sha256:0123456789ab');
    assert.deepEqual(node('a0')?.classes, ['fail']);
    assert.equal(node('a0s1')?.text, '1. SLSA provenance<br>pass<br>acme/app/.github/workflows/build.yml@refs/tags/v1.0.0<br>sha256:111111111111');
    assert.deepEqual(node('a0s1')?.classes, ['pass']);
    assert.equal(node('a0s3')?.text, '3. vulnerability scan<br>FAIL (unlinked)<br>acme/app/.github/workflows/scan.yml@refs/tags/v1.0.0<br>sha256:333333333333');
    assert.deepEqual(node('a0s3')?.classes, ['fail']);
    assert.deepEqual(node('a0s4')?.classes, ['skip']);
    assert.deepEqual(
      graph.edges.map((e) => e.text),
      ['attested', 'linked', 'broken link', 'unreached', 'unreached'],
    );
    const missing = await parseFlowchart(chainMermaid([withMissing]));
    assert.equal(missing.nodes.find((n) => n.id === 'a0s3')?.text, '3. vulnerability scan<br>FAIL (missing)');
    assert.deepEqual(missing.nodes.find((n) => n.id === 'a0s3')?.classes, ['skip']);
    assert.equal(missing.edges[2]?.text, 'missing');
    const rejected = await parseFlowchart(chainMermaid([withRejected]));
    assert.deepEqual(rejected.nodes.find((n) => n.id === 'a0s2')?.classes, ['fail']);
    assert.equal(rejected.edges[1]?.text, 'not verified');
    assert.match(chainMermaid([withUnlinked]), /^ {2}linkStyle 2,3,4 stroke:#cf222e,color:#cf222e$/m);
  });

  it('over maxArtifacts shows the failing artifacts first and counts the rest in one node', async () => {
    const source = chainMermaid(many);
    const failing = many.filter((v) => !v.passed);
    const shownList = [...failing, ...many.filter((v) => v.passed)].slice(0, 20);
    const graph = await parseFlowchart(source);
    assertGraph(graph, shownList, 5);
    assert.equal(graph.nodes.find((n) => n.id === 'a0')?.text.split('<br>')[0], failing[0]?.artifact.name);
    assert.equal(graph.nodes.find((n) => n.id === 'more')?.text, '… 5 more artifact(s)');
    const few = await parseFlowchart(chainMermaid(many, 2));
    assertGraph(few, failing.slice(0, 2), 23);
    assert.equal(few.nodes.find((n) => n.id === 'more')?.text, `… 23 more artifact(s), ${failing.length - 2} failing`);
    // Under the cap the order is kept.
    assert.match(chainMermaid(many.slice(0, 6)), /^ {2}a0\(\["pkg-0\.tgz<br>/m);
  });

  it('stays under Mermaid\'s text size limit however long the labels', async () => {
    const huge = Array.from({ length: 25 }, (_, i) => {
      const v = chain(`${'😀'.repeat(200)}${i}`, i % 2 ? { 4: 'rejected' } : {});
      for (const s of v.stages) if (s.attestation) s.attestation.signer = '🔥'.repeat(500);
      return v;
    });
    const source = chainMermaid(huge);
    assert.ok(source.length <= MERMAID_MAX_SOURCE, `${source.length}`);
    const graph = await parseFlowchart(source);
    const drawn = graph.nodes.filter((n) => /^a\d+$/.test(n.id)).length;
    assert.ok(drawn >= 1 && drawn < 20, `${drawn} artifacts drawn`);
    const hiddenFailing = 12 - Math.min(drawn, 12); // the 12 failing ones come first
    assert.equal(graph.nodes.find((n) => n.id === 'more')?.text, `… ${25 - drawn} more artifact(s)${hiddenFailing > 0 ? `, ${hiddenFailing} failing` : ''}`);
    assert.match(graph.nodes.find((n) => n.id === 'a0')?.text ?? '', /^😀{30,80}…<br>/u, 'failing first, name cut short');
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
    'line one\nline two\r\n\tthree\u2028four',
    '#quot;#35;&quot;&#34;&lt;#60;',
    'x:::cls\nclassDef cls fill:#f00;',
    '|edge| end\nstyle a0 fill:#f00;',
    'click a0 "javascript:alert(1)"',
    '🚀 emoji 👩‍👩‍👧‍👦 and e\u0301 and \u202eevil\u202c and \u0000\u001b[31m',
    '\ufb02\u00b0\u00b060\u00b6\u00dfscript\ufb02\u00b0\u00b062\u00b6\u00df',
    '}; subgraph X; end; a0 --> X; {',
    `${'A'.repeat(5000)}"]`,
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

  for (const h of HOSTILE) {
    it(`keeps ${JSON.stringify(h.slice(0, 40))} in its labels`, async () => {
      const verdicts = [hostileChain(h), { ...passing, stages: passing.stages.slice(0, 1) }];
      const source = chainMermaid(verdicts);
      const graph = await parseFlowchart(source); // validateMermaid's check, then the parser's database
      assertGraph(graph, verdicts);
      const name = graph.nodes.find((n) => n.id === 'a0')?.text ?? '';
      const expected = shown(h);
      if ([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(expected)].length <= 80) assert.ok(name.startsWith(`${expected}<br>`), `${name} shows ${expected}`);
      else assert.ok(name.startsWith(expected.slice(0, 40)) && name.includes('…'), name);
      // The source itself holds no character that means anything to Mermaid, HTML or Markdown outside the label.
      for (const line of source.split('\n').filter((l) => /^ {2}a\d+s?\d*[[(]/.test(l))) {
        assert.match(line, /^ {2}a\d+(s\d+)?(\["|\(\[")(?:[A-Za-z0-9 .,_/@+=()-]|#\d+;|<br>)*("\]|"\]\))$/, line);
      }
      // And the job summary keeps its fence and its table.
      const md = chainMarkdown(verdicts);
      assert.equal(md.split('```').length, 3, 'one mermaid fence');
      for (const row of md.split('\n').filter((l) => l.startsWith('| '))) assert.equal(row.replace(/\\\|/g, '').split('|').length, 8, row);
    });
  }

  it('escapes every label to the safe alphabet and entity codes', () => {
    for (const h of HOSTILE) assert.match(mermaidLabelText(h), /^(?:[A-Za-z0-9 .,_/@+=()-]|#\d+;)*$/);
    assert.equal(mermaidLabelText('a"b'), 'a#34;b');
    assert.equal(mermaidLabelText('#quot;'), '#35;quot#59;');
    assert.equal(mermaidLabelText('😀'), '#128512;');
    assert.equal(mermaidLabelText(' a \n\t b '), 'a b');
  });

  it('parses 200 random strings over a hostile alphabet', async () => {
    const alphabet = ['"', "'", '`', '[', ']', '(', ')', '{', '}', '<', '>', '|', ';', ':', '%', '#', '&', '-', '.', '=', '!', '*', '/', '\\', '\n', '\r', '\t', ' ', 'a', 'b', '0', '9', '-->', '%%', ':::', '#quot;', '&lt;', 'end', 'style', 'classDef', 'subgraph', '<br>', '\ufb02', '\u00b0', '\u00b6', '\u00df', '😀', '\u200d', '\u202e', '\u0000', 'é', '\u0301'];
    let seed = 0x2f6b1d3;
    const random = (): number => {
      // mulberry32: the same strings on every run
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const strings = Array.from({ length: 200 }, () => Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)] ?? '').join(''));
    // Three strings to a chain (the artifact's name, the stage's title and its signer: the
    // fields a graph shows whole) and seven chains to a graph, so the 200 cost 10 parses.
    // parseFlowchart runs validateMermaid's check first; a graph that fails is retried chain by
    // chain to name the culprit.
    const chains: ChainVerdict[] = [];
    for (let i = 0; i < strings.length; i += 3) {
      const [name = '', title = '', signer = ''] = strings.slice(i, i + 3);
      const attestation = { source: signer, digest: `sha256:${title}`, predicateType: title, signer };
      chains.push({ artifact: { name, digest: { sha256: name } }, passed: false, stages: [{ label: title, title, status: 'rejected', attestation, failures: [] }] });
    }
    for (let i = 0; i < chains.length; i += 7) {
      const batch = chains.slice(i, i + 7);
      const graph = await parseFlowchart(chainMermaid(batch)).catch(async (e: unknown) => {
        for (const v of batch) {
          const r = await validateMermaid(chainMermaid([v]));
          assert.ok(r.ok, `${JSON.stringify([v.artifact.name, v.stages[0]?.title, v.stages[0]?.attestation?.signer])}: ${r.ok ? '' : r.error}`);
        }
        throw e;
      });
      assertGraph(graph, batch);
      batch.forEach((v, k) => {
        const text = graph.nodes.find((n) => n.id === `a${k}`)?.text ?? '';
        const full = !mermaidLabelText(v.artifact.name).endsWith('#8230;');
        assert.ok(full ? text.startsWith(`${shown(v.artifact.name)}<br>`) : text.includes('…<br>'), `${JSON.stringify(v.artifact.name)} shown as ${JSON.stringify(text)}`);
      });
    }
  });
});

/** A table row below the header. */
const isRow = (line: string): boolean => line.startsWith('| ') && !line.startsWith('| Artifact') && !line.startsWith('| ---');

describe('chainMarkdown', () => {
  it('heads, draws and tabulates a verified chain', async () => {
    const md = chainMarkdown([passing]);
    const lines = md.split('\n');
    assert.equal(lines[0], '## Release chain verified: 1 artifact(s)');
    const graph = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1] ?? '';
    assert.equal(graph, chainMermaid([passing]));
    assert.deepEqual(await validateMermaid(graph), { ok: true, diagramType: 'flowchart-v2' });
    assert.ok(lines.includes('| Artifact | Stage | Result | Attestation (source) | Signer | Failed checks |'));
    assert.ok(lines.includes('| `app.tar.gz` | 1. `SLSA provenance` (`provenance`) | ✅ pass | `dist/provenance.sigstore.json` | `https://github.com/acme/app/.github/workflows/build.yml@refs/tags/v1.0.0` |  |'));
    assert.ok(lines.includes('|  | 5. `approval` | ✅ pass | `dist/approval.sigstore.json` | `https://github.com/acme/app/.github/workflows/approve.yml@refs/tags/v1.0.0` |  |'));
    assert.equal(lines.filter(isRow).length, 5);
  });

  it('puts broken chains first and lists every failed check', () => {
    const md = chainMarkdown([passing, withRejected, withMissing]);
    const lines = md.split('\n');
    assert.equal(lines[0], '## Release chain broken for 2 of 3 artifact(s)');
    const rows = lines.filter(isRow);
    assert.equal(rows.length, 15);
    assert.equal(
      rows[1],
      '|  | 2. `SBOM` (`sbom`) | ❌ rejected | `dist/sbom.sigstore.json` | `https://github.com/acme/app/.github/workflows/sbom.yml@refs/tags/v1.0.0` | ' +
        '`signature`: expected `stage 2 "sbom" (dist/sbom.json): a valid DSSE signature`, found `a signature that does not verify`<br>' +
        '`signer-workflow`: expected `acme/app/.github/workflows/sbom.yml`, found `evil/app/.github/workflows/sbom.yml`<br>' +
        '`max-age`: expected `at most 30 days`, found `41 days` |',
    );
    assert.match(rows[7] ?? '', /^\| {2}\| 3\. `vulnerability scan` \(`vulns`\) \| ❌ missing \| {2}\| {2}\| `chain-stage`: /);
    assert.match(rows[10] ?? '', /^\| `app.tar.gz` \| 1\. .* ✅ pass /);
  });

  it('caps the table and says how many artifacts it left out', () => {
    const md = chainMarkdown(many, 50);
    const rows = md.split('\n').filter(isRow);
    assert.equal(rows.length, 10 * 5 + 1);
    assert.equal(rows.at(-1), '| … 15 more artifact(s) | | | | | see the JSON report |');
    assert.ok((rows[0] ?? '').includes('`pkg-5.tgz`'), 'failing artifacts first');
    assert.equal(chainMarkdown([]).split('\n')[0], '## Release chain not verified: no artifacts');
  });
});

describe('shortSigner', () => {
  it('shortens a GitHub Actions workflow identity to path@ref and leaves anything else', () => {
    assert.equal(shortSigner('https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1'), 'acme/app/.github/workflows/release.yml@refs/tags/v1');
    assert.equal(shortSigner('https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main'), 'https://gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main');
    assert.equal(shortSigner('someone@example.com'), 'someone@example.com');
  });
});
