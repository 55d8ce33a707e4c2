// The release chain as Mermaid flowcharts for the job summary (GitHub renders ```mermaid blocks).
// Pure: graph source only, no code fence.
//
// Legible in GitHub's ~850 px column: GitHub scales a wider SVG down to fit, so each graph runs
// top to bottom (one column per artifact, its stages below it) with at most ARTIFACTS_PER_GRAPH
// columns, and each label line holds at most LABEL_CHARS characters: the workflow file and ref
// (release.yml@v1.2.0), never a digest or a full signer URI. Three columns of ~28 characters at
// Mermaid's 16 px are about 900 px, so the text stays near full size (and above 10 px even for
// five columns). More artifacts make more graphs, up to CHART_MAX_ARTIFACTS; the table lists all.
//
// Everything shown comes from untrusted data: artifact names, signer URIs and stage titles are
// written by whoever made the bundles or the policy. Every such string is reduced to a short
// label whose characters outside a small safe set are written as Mermaid entity codes (#60; for
// <), so no input can end a label, start a directive (%%{init}%%), add a node, edge or class,
// close the Markdown fence, or reach the page as HTML. Node ids are generated (a0, a0s1, ...),
// never derived from names.
//
// A chain that starts with a `source` stage (a Source VSA about the commit, not the artifact)
// starts at the commit: the first node reads "commit 1a2b3c4" over the artifact's name, so the
// column runs commit → source → build provenance → … → deployment. The commit is the verdict's
// (from the verified build provenance); stage labels are matched as written, so the chart needs
// no preset for a stage it does not know.

import { shortSigner } from '../../output/short-signer.ts';
import type { ChainVerdict, StageResult, StageStatus } from './types.ts';

/** Artifacts side by side in one graph. */
export const ARTIFACTS_PER_GRAPH = 3;
/** Artifacts drawn at all (failing ones first); the rest are only in the table. */
export const CHART_MAX_ARTIFACTS = 9;
/** Characters (graphemes) per label line: about 230 px at Mermaid's default 16 px font. */
export const LABEL_CHARS = 28;
/**
 * The largest graph source written: Mermaid refuses to draw more than its maxTextSize (50,000 by
 * default), so a graph over this is split, or left to the table.
 */
export const MERMAID_MAX_SOURCE = 40_000;

/** What the arrow into a stage means: whether it builds on what came before (the artifact, for the first stage). */
export function linkLabel(status: StageStatus, first: boolean): string {
  switch (status) {
    case 'pass':
      return first ? 'attested' : 'linked';
    case 'unlinked':
      return 'broken link';
    case 'missing':
      return 'missing';
    case 'rejected':
      return 'not verified';
    case 'unreached':
      return 'not checked';
  }
}

// ---------------------------------------------------------------------------------------------
// Labels

/** Kept as they are in a label; every other character becomes an entity code. */
const SAFE = /^[A-Za-z0-9 .,_/@+=()-]$/;
/** A label field takes at most this much source once escaped (emoji and combining marks are long). */
const FIELD_SOURCE = 300;
/** Control characters (newlines, ANSI escapes) and bidi overrides: in a Mermaid label they become U+FFFD. */
const UNPRINTABLE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const entity = (c: string): string =>
  [...c].map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0) ?? 63};`)).join('');
const ELLIPSIS = entity('…');

/**
 * One field of a label, escaped for a quoted Mermaid label ("..."): whitespace runs become one
 * space, control and bidi characters U+FFFD, and the text is cut to `max` characters (from the
 * end, or with keep: 'end' from the start, for URIs whose end says the most). The result holds
 * only [A-Za-z0-9 .,_/@+=()-] and entity codes (#<decimal>;), none of which a quoted label,
 * Mermaid's directive, comment and entity preprocessing, HTML or Markdown reads as anything but
 * text. Exported for tests.
 */
export function mermaidLabelText(raw: string, max: number = LABEL_CHARS, keep: 'start' | 'end' = 'start'): string {
  const text = raw.replace(/\s+/gu, ' ').trim().replace(UNPRINTABLE, '\ufffd');
  const pieces = [...segmenter.segment(text)].map(({ segment }) => entity(segment));
  if (keep === 'end') pieces.reverse();
  const kept: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    if (kept.length === max || size + piece.length > FIELD_SOURCE - ELLIPSIS.length) {
      kept.push(ELLIPSIS);
      break;
    }
    kept.push(piece);
    size += piece.length;
  }
  if (keep === 'end') kept.reverse();
  return kept.join('');
}

/** The stage label that makes a chain start at the commit (its attestation is about the commit). */
export const SOURCE_STAGE = 'source';
/** Hex digits of a commit shown, as git abbreviates it. */
export const COMMIT_CHARS = 7;

/**
 * The first node's lines: the artifact's name, preceded by the commit when the chain starts with a
 * source stage ("commit not verified" when no verified provenance named one).
 */
function startText(v: ChainVerdict): string[] {
  const name = mermaidLabelText(v.artifact.name) || '(no name)';
  if (v.stages[0]?.label !== SOURCE_STAGE) return [name];
  // The commit is a hex digest (commit.ts); escaped all the same, as every label field is.
  const commit = v.commit === undefined ? 'not verified' : mermaidLabelText(v.commit.slice(0, COMMIT_CHARS));
  return [`commit ${commit}`, name];
}

/** A node's label from its (already escaped) fields, one per line. */
const label = (...fields: string[]): string => `"${fields.join('<br>')}"`;

/** A stage title; a predicate type URI keeps its end (…/attestation/vuln/v1), which names it. */
const titleText = (n: number, title: string): string =>
  `${n}. ${/^[a-z]+:\/\//i.test(title) ? mermaidLabelText(title.replace(/^[a-z]+:\/\//i, ''), LABEL_CHARS - 4, 'end') : mermaidLabelText(title, LABEL_CHARS - 4)}`;

/** The status line(s): failures in capitals so they read without colour; a rejection names its first check. */
function statusText(s: StageResult): string[] {
  switch (s.status) {
    case 'pass':
      return ['pass'];
    case 'missing':
      return ['MISSING'];
    case 'unlinked':
      return ['BROKEN LINK'];
    case 'unreached':
      return ['not checked'];
    case 'rejected': {
      const checks = [...new Set(s.failures.map((f) => f.check))];
      const first = checks[0];
      return [
        'REJECTED',
        ...(first === undefined
          ? []
          : [mermaidLabelText(checks.length > 1 ? `${first} +${checks.length - 1}` : first)]),
      ];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Graphs

type NodeClass = 'pass' | 'fail' | 'missing' | 'unlinked' | 'unchecked';
const NODE_CLASSES: Readonly<Record<NodeClass, string>> = {
  pass: 'fill:#dcffe4,stroke:#2da44e,color:#116329',
  fail: 'fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-width:2px',
  missing: 'fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-width:2px,stroke-dasharray:6 3',
  unlinked: 'fill:#fff1e5,stroke:#bc4c00,color:#762c00,stroke-width:2px',
  unchecked: 'fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
};

function stageClass(s: StageStatus): NodeClass {
  switch (s) {
    case 'pass':
      return 'pass';
    case 'rejected':
      return 'fail';
    case 'missing':
      return 'missing';
    case 'unlinked':
      return 'unlinked';
    case 'unreached':
      return 'unchecked';
  }
}

/** The colour of the arrow into a stage that is not passing: red where the chain breaks, grey after. */
const edgeColour = (s: StageStatus): string | undefined =>
  s === 'pass' ? undefined : s === 'unreached' ? '#8c959f' : s === 'unlinked' ? '#bc4c00' : '#cf222e';

/**
 * One top-to-bottom graph of `verdicts`: per artifact a node, then its stages below it; solid
 * arrows where a link holds, dashed where it does not. Node ids count from `first`, so graphs of
 * one summary never share an id.
 */
export function chainMermaid(verdicts: readonly ChainVerdict[], first = 0): string {
  const nodes: string[] = [];
  const edges: string[] = [];
  const styled: Partial<Record<string, number[]>> = {};
  const classes: Record<NodeClass, string[]> = { pass: [], fail: [], missing: [], unlinked: [], unchecked: [] };
  verdicts.forEach((v, k) => {
    const id = `a${first + k}`;
    // Mermaid refuses an empty label, and a name may be empty or only spaces.
    nodes.push(`  ${id}([${label(...startText(v))}])`);
    classes[v.passed ? 'pass' : 'fail'].push(id);
    let from = id;
    v.stages.forEach((s, i) => {
      const sid = `${id}s${i + 1}`;
      const signer =
        s.attestation === undefined
          ? []
          : [
              s.attestation.signer === undefined
                ? 'signed by a key'
                : mermaidLabelText(shortSigner(s.attestation.signer)),
            ];
      nodes.push(`  ${sid}[${label(titleText(i + 1, s.title), ...statusText(s), ...signer)}]`);
      classes[stageClass(s.status)].push(sid);
      const colour = edgeColour(s.status);
      if (colour !== undefined) (styled[colour] ??= []).push(edges.length);
      edges.push(`  ${from} ${s.status === 'pass' ? '-->' : '-.->'}|${linkLabel(s.status, i === 0)}| ${sid}`);
      from = sid;
    });
  });
  if (verdicts.length === 0) {
    nodes.push(`  none[${label('no artifacts')}]`);
    classes.unchecked.push('none');
  }
  return [
    'flowchart TB',
    ...nodes,
    ...edges,
    ...Object.entries(NODE_CLASSES).map(([name, style]) => `  classDef ${name} ${style}`),
    ...Object.entries(classes)
      .filter(([, ids]) => ids.length > 0)
      .map(([name, ids]) => `  class ${ids.join(',')} ${name}`),
    ...Object.entries(styled).map(
      ([colour, ids = []]) => `  linkStyle ${ids.join(',')} stroke:${colour},color:${colour}`,
    ),
    '',
  ].join('\n');
}

export interface ChainCharts {
  /** Graph sources, each small enough to read at 850 px and for Mermaid to draw. */
  graphs: string[];
  /** How many artifacts the graphs show (failing ones first), and how many are left to the table. */
  shown: number;
  hidden: number;
}

/**
 * The graphs for a summary: failing artifacts first, ARTIFACTS_PER_GRAPH to a graph, at most
 * maxArtifacts in all; a graph whose source would pass MERMAID_MAX_SOURCE is split, and an
 * artifact too large to draw alone is left to the table.
 */
export function chainCharts(verdicts: readonly ChainVerdict[], maxArtifacts = CHART_MAX_ARTIFACTS): ChainCharts {
  const ordered = [...verdicts.filter((v) => !v.passed), ...verdicts.filter((v) => v.passed)];
  const candidates = ordered.slice(0, Math.max(0, Math.floor(maxArtifacts)));
  if (verdicts.length === 0) return { graphs: [chainMermaid([])], shown: 0, hidden: 0 };
  const graphs: string[] = [];
  let shown = 0;
  let i = 0;
  while (i < candidates.length) {
    let take = Math.min(ARTIFACTS_PER_GRAPH, candidates.length - i);
    let source = chainMermaid(candidates.slice(i, i + take), shown);
    while (source.length > MERMAID_MAX_SOURCE && take > 1) {
      take -= 1;
      source = chainMermaid(candidates.slice(i, i + take), shown);
    }
    if (source.length <= MERMAID_MAX_SOURCE) {
      graphs.push(source);
      shown += take;
    }
    i += take;
  }
  return { graphs, shown, hidden: verdicts.length - shown };
}
