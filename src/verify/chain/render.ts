// How a verified release chain is shown to people: text for the CLI, and for the job summary
// Markdown with a Mermaid graph (GitHub renders ```mermaid blocks) and a table. Pure.
//
// Everything shown comes from untrusted data: artifact names, digests, signer URIs, sources and
// failure strings are written by whoever made the bundles. In the graph every such string is
// reduced to a short label whose characters outside a small safe set are written as Mermaid
// entity codes (#60; for <), so no input can end a label, start a directive (%%{init}%%), add a
// node, edge or class, close the Markdown fence, or reach the page as HTML. Node ids are
// generated (a0, a0s1, ...), never derived from names. In the text and the table every such
// string goes through untrusted() (src/output/untrusted.ts).

import { FAILURE_FIELD_MAX, markdownCode, untrusted } from '../../output/untrusted.ts';
import { failureText } from '../report.ts';
import type { ChainVerdict, StageResult, StageStatus } from './types.ts';

const firstDigest = (d: Record<string, string>): string => {
  const [alg, hex] = Object.entries(d)[0] ?? ['', ''];
  return `${alg}:${hex}`;
};

/** The title, and the label as written in the policy when it says something else. */
const stageName = (s: StageResult): string => (s.label !== s.title ? `${s.title} [${s.label}]` : s.title);

/** What the arrow into a stage means: whether it builds on what came before (the artifact, for the first stage). */
function linkLabel(status: StageStatus, first: boolean): string {
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
      return 'unreached';
  }
}

// ---------------------------------------------------------------------------------------------
// Text (CLI)

/** Control characters (newlines, ANSI escapes) and bidi overrides: in a Mermaid label they become U+FFFD. */
const UNPRINTABLE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Per artifact PASS or FAIL, then each stage in order with, between stages, whether the link holds. */
export function chainText(verdicts: readonly ChainVerdict[]): string {
  const lines: string[] = [];
  for (const v of verdicts) {
    lines.push(`${v.passed ? 'PASS' : 'FAIL'} ${untrusted(v.artifact.name)} (${untrusted(firstDigest(v.artifact.digest))})`);
    v.stages.forEach((s, i) => {
      if (i > 0) lines.push(`     ${s.status === 'pass' ? '↓' : '✗'} ${linkLabel(s.status, false)}`);
      const head = `  ${i + 1}. ${untrusted(stageName(s))}`;
      if (s.status === 'pass') {
        lines.push(`${head}: pass — ${s.attestation ? untrusted(s.attestation.signer ?? 'a trusted key') : 'no attestation shown'}`);
      } else {
        const why = s.failures.map(failureText).join('; ');
        lines.push(`${head}: FAIL (${s.status})${why ? ` — ${why}` : ''}`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/** Kept as they are in a label; every other character becomes an entity code. */
const SAFE = /^[A-Za-z0-9 .,_/@+=()-]$/;
/** A label field shows at most this many characters (graphemes) ... */
const FIELD_CHARS = 80;
/** ... and takes at most this much source once escaped (emoji and combining marks are long). */
const FIELD_SOURCE = 300;
/**
 * The largest graph source written: Mermaid refuses to draw more than its maxTextSize (50,000 by
 * default), so a graph over this shows fewer artifacts.
 */
export const MERMAID_MAX_SOURCE = 40_000;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const entity = (c: string): string => [...c].map((ch) => (SAFE.test(ch) ? ch : `#${ch.codePointAt(0) ?? 63};`)).join('');
const ELLIPSIS = entity('…');

/**
 * One field of a label, escaped for a quoted Mermaid label ("..."): whitespace runs become one
 * space, control and bidi characters U+FFFD, and the text is cut to FIELD_CHARS characters.
 * The result holds only [A-Za-z0-9 .,_/@+=()-] and entity codes (#<decimal>;), none of which a
 * quoted label, Mermaid's directive, comment and entity preprocessing, HTML or Markdown reads as
 * anything but text. Exported for tests.
 */
export function mermaidLabelText(raw: string): string {
  const text = raw.replace(/\s+/gu, ' ').trim().replace(UNPRINTABLE, '\ufffd');
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    const escaped = entity(segment);
    if (count === FIELD_CHARS || out.length + escaped.length > FIELD_SOURCE - ELLIPSIS.length) return out + ELLIPSIS;
    out += escaped;
    count += 1;
  }
  return out;
}

/** A node's label from its fields, one per line. */
const label = (...fields: string[]): string => `"${fields.map(mermaidLabelText).join('<br>')}"`;

const shortDigest = (algHex: string): string => {
  const colon = algHex.indexOf(':');
  return colon < 0 ? algHex.slice(0, 19) : `${algHex.slice(0, colon)}:${algHex.slice(colon + 1, colon + 13)}`;
};

/**
 * A GitHub Actions signer (https://github.com/OWNER/REPO/.github/workflows/FILE@REF) without the
 * host. OWNER/REPO stays: a workflow of the same name in another repository is another signer.
 */
export function shortSigner(signer: string): string {
  const m = /^https:\/\/github\.com\/([^/]+\/[^/]+\/\.github\/workflows\/[^@]+@.+)$/.exec(signer);
  return m?.[1] ?? signer;
}

type NodeClass = 'pass' | 'fail' | 'skip';
const stageClass = (s: StageStatus): NodeClass => (s === 'pass' ? 'pass' : s === 'missing' || s === 'unreached' ? 'skip' : 'fail');

function renderGraph(shown: readonly ChainVerdict[], hidden: readonly ChainVerdict[]): string {
  const nodes: string[] = [];
  const edges: string[] = [];
  const broken: number[] = [];
  const classes: Record<NodeClass, string[]> = { pass: [], fail: [], skip: [] };
  shown.forEach((v, a) => {
    const id = `a${a}`;
    nodes.push(`  ${id}([${label(v.artifact.name, shortDigest(firstDigest(v.artifact.digest)))}])`);
    classes[v.passed ? 'pass' : 'fail'].push(id);
    let from = id;
    v.stages.forEach((s, i) => {
      const sid = `${id}s${i + 1}`;
      const att = s.attestation;
      const fields = [`${i + 1}. ${s.title}`, s.status === 'pass' ? 'pass' : `FAIL (${s.status})`];
      if (att) fields.push(att.signer === undefined ? 'signed by a key' : shortSigner(att.signer), shortDigest(att.digest));
      nodes.push(`  ${sid}[${label(...fields)}]`);
      classes[stageClass(s.status)].push(sid);
      if (s.status !== 'pass') broken.push(edges.length);
      edges.push(`  ${from} ${s.status === 'pass' ? '-->' : '-.->'}|${linkLabel(s.status, i === 0)}| ${sid}`);
      from = sid;
    });
  });
  if (shown.length === 0 && hidden.length === 0) {
    nodes.push(`  none[${label('no artifacts')}]`);
    classes.skip.push('none');
  }
  if (hidden.length > 0) {
    const failing = hidden.filter((v) => !v.passed).length;
    nodes.push(`  more[${label(`… ${hidden.length} more artifact(s)${failing > 0 ? `, ${failing} failing` : ''}`)}]`);
    classes.skip.push('more');
  }
  return [
    'flowchart LR',
    ...nodes,
    ...edges,
    '  classDef pass fill:#dcffe4,stroke:#2da44e,color:#116329',
    '  classDef fail fill:#ffebe9,stroke:#cf222e,color:#82071e',
    '  classDef skip fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
    ...(['pass', 'fail', 'skip'] as const).filter((c) => classes[c].length > 0).map((c) => `  class ${classes[c].join(',')} ${c}`),
    ...(broken.length > 0 ? [`  linkStyle ${broken.join(',')} stroke:#cf222e,color:#cf222e`] : []),
    '',
  ].join('\n');
}

/**
 * The chain as a Mermaid flowchart (source only, no code fence): per artifact a node, then its
 * stages left to right; solid arrows where a link holds, dashed red ones where it does not. Over
 * maxArtifacts (or MERMAID_MAX_SOURCE) the failing artifacts come first and one node counts the rest.
 */
export function chainMermaid(verdicts: readonly ChainVerdict[], maxArtifacts = 20): string {
  const cap = Math.max(0, Math.floor(maxArtifacts));
  const failingFirst = [...verdicts.filter((v) => !v.passed), ...verdicts.filter((v) => v.passed)];
  let list = verdicts.length > cap ? failingFirst : verdicts;
  let count = Math.min(cap, verdicts.length);
  let source = renderGraph(list.slice(0, count), list.slice(count));
  while (source.length > MERMAID_MAX_SOURCE && count > 0) {
    count = Math.min(count - 1, Math.floor((count * MERMAID_MAX_SOURCE) / source.length));
    list = failingFirst;
    source = renderGraph(list.slice(0, count), list.slice(count));
  }
  return source;
}

// ---------------------------------------------------------------------------------------------
// Markdown (job summary)

const code = (s: string): string => markdownCode(s, FAILURE_FIELD_MAX);

/** Heading, the graph, and one table row per stage; failing artifacts first, at most maxRows rows. */
export function chainMarkdown(verdicts: readonly ChainVerdict[], maxRows = 200): string {
  const failed = verdicts.filter((v) => !v.passed);
  const title =
    verdicts.length === 0
      ? '## Release chain not verified: no artifacts'
      : failed.length === 0
        ? `## Release chain verified: ${verdicts.length} artifact(s)`
        : `## Release chain broken for ${failed.length} of ${verdicts.length} artifact(s)`;
  const ordered = [...failed, ...verdicts.filter((v) => v.passed)];
  const rows: string[] = [];
  let listed = 0;
  for (const v of ordered) {
    if (listed > 0 && rows.length + Math.max(1, v.stages.length) > maxRows) break;
    listed += 1;
    if (v.stages.length === 0) rows.push(`| ${code(v.artifact.name)} | | ${v.passed ? '✅ pass' : '❌ FAIL'} | | | |`);
    v.stages.forEach((s, i) => {
      const checks = s.failures.map((f) => `${code(f.check)}: expected ${code(f.expected)}, found ${code(f.found)}`).join('<br>');
      const stage = `${i + 1}. ${code(s.title)}${s.label !== s.title ? ` (${code(s.label)})` : ''}`;
      const signer = s.attestation ? (s.attestation.signer === undefined ? 'a trusted key' : code(s.attestation.signer)) : '';
      rows.push(`| ${i === 0 ? code(v.artifact.name) : ''} | ${stage} | ${s.status === 'pass' ? '✅ pass' : `❌ ${s.status}`} | ${code(s.attestation?.source ?? '')} | ${signer} | ${checks} |`);
    });
  }
  const rest = ordered.length - listed;
  return [
    title,
    '',
    '```mermaid',
    chainMermaid(verdicts).trimEnd(),
    '```',
    '',
    'Solid arrows: the stage builds on the one before. Dashed: the link is broken, or the stage is missing, not verified or unreached.',
    '',
    '| Artifact | Stage | Result | Attestation (source) | Signer | Failed checks |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(rest > 0 ? [`| … ${rest} more artifact(s) | | | | | see the JSON report |`] : []),
    '',
  ].join('\n');
}
