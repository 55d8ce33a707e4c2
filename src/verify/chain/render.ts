// How a verified release chain is shown to people: text for the CLI, and for the job summary
// Markdown with the failures first (each with its fix), Mermaid graphs (chart.ts) and a table.
// Pure.
//
// Failures come first, and only real ones count: a stage that was never checked because an
// earlier one failed reads "not checked", never ❌ or FAIL, so one wrong signer reads as one
// failure. Everything shown comes from untrusted data (artifact names, signers, sources, failure
// strings): in the text every such string goes through untrusted(), in the Markdown through
// markdownCode() (src/output/untrusted.ts), and in the graphs through chart.ts's labels.

import { shortSigner } from '../../output/short-signer.ts';
import { markdownCode, untrusted } from '../../output/untrusted.ts';
import type { CheckFailure } from '../types.ts';
import { sourceName } from '../../output/source-name.ts';
import { adviceFor } from '../report/advice.ts';
import { failureText } from '../report/report-failure-text.ts';
import { chainCharts, linkLabel } from './chart.ts';
import type { ChainVerdict, StageResult } from './types.ts';

/** Failing artifacts listed before the chart, each with its failing stages; the rest are in the table. */
export const FAILURES_LISTED = 10;
/** Failed checks shown in one table cell; the JSON report has them all. */
const CHECKS_PER_CELL = 3;
/** A quoted value in the summary: long enough for a digest or a workflow path, short enough for a narrow column. */
const CELL_VALUE_MAX = 200;

const firstDigest = (d: Record<string, string>): string => {
  const [alg, hex] = Object.entries(d)[0] ?? ['', ''];
  return `${alg}:${hex}`;
};

/** The title, and the label as written in the policy when it says something else. */
const stageName = (s: StageResult): string => (s.label !== s.title ? `${s.title} [${s.label}]` : s.title);

/** Failing artifacts first, each group in its own order. */
const failingFirst = (verdicts: readonly ChainVerdict[]): ChainVerdict[] => [
  ...verdicts.filter((v) => !v.passed),
  ...verdicts.filter((v) => v.passed),
];

/** What to do about a stage's failures: each distinct piece of advice once, in the order of its checks. */
const fixes = (failures: readonly CheckFailure[]): string[] => [...new Set(failures.map((f) => adviceFor(f).fix))];

/** Whether a stage failed in its own right (an unreached stage was only not checked). */
const failedItself = (s: StageResult): boolean => s.status !== 'pass' && s.status !== 'unreached';

/** Why a stage was not checked: the number of the stage whose failure stopped the chain. */
const stoppedAt = (v: ChainVerdict): number => v.stages.findIndex(failedItself) + 1;

// ---------------------------------------------------------------------------------------------
// Text (CLI)

/**
 * Per artifact PASS or FAIL, failing artifacts first, then each stage in order with, between
 * stages, whether the link holds; a failing stage's checks, then what to do about them.
 */
/** A passing stage's content verdict, when it has a content policy: how many expressions held. */
const contentNote = (s: StageResult): string =>
  s.content === undefined || s.content.length === 0
    ? ''
    : `content: ${s.content.filter((c) => c.result === true).length} of ${s.content.length} CEL expression(s) true`;

export function chainText(verdicts: readonly ChainVerdict[]): string {
  const lines: string[] = [];
  for (const v of failingFirst(verdicts)) {
    lines.push(
      `${v.passed ? 'PASS' : 'FAIL'} ${untrusted(v.artifact.name)} (${untrusted(firstDigest(v.artifact.digest))})`,
    );
    v.stages.forEach((s, i) => {
      if (i > 0)
        lines.push(
          `     ${s.status === 'pass' ? '↓' : s.status === 'unreached' ? '⋮' : '✗'} ${linkLabel(s.status, false)}`,
        );
      const head = `  ${i + 1}. ${untrusted(stageName(s))}`;
      switch (s.status) {
        case 'pass':
          lines.push(
            `${head}: pass — ${s.attestation ? untrusted(s.attestation.signer ?? 'a trusted key') : 'no attestation shown'}${contentNote(s) ? ` (${contentNote(s)})` : ''}`,
          );
          break;
        case 'unreached':
          lines.push(`${head}: not checked (stage ${stoppedAt(v)} failed)`);
          break;
        case 'missing':
        case 'rejected':
        case 'unlinked': {
          const why = s.failures.map(failureText).join('; ');
          lines.push(`${head}: FAIL (${s.status})${why ? ` — ${why}` : ''}`);
          for (const fix of fixes(s.failures)) lines.push(`     To fix: ${fix}`);
        }
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown (job summary)

const code = (s: string): string => markdownCode(s, CELL_VALUE_MAX);

/** One failed check: its name, and what was expected and found. */
const checkText = (f: CheckFailure): string => `${code(f.check)}: expected ${code(f.expected)}, found ${code(f.found)}`;

// In the table the check's name, with what was expected and found one click away: those are long
// unbreakable values (URIs) that would widen the table past GitHub's column, and the failure lines
// above the table give them in full.
const checkCell = (f: CheckFailure): string =>
  `${code(f.check)}<details><summary>expected, found</summary>expected ${code(f.expected)}, found ${code(f.found)}</details>`;

/** The signer as release.yml@v1.2.0, the full identity one click away. */
function signerCell(s: StageResult): string {
  const signer = s.attestation?.signer;
  if (s.attestation === undefined) return '';
  if (signer === undefined) return 'a trusted key';
  const short = shortSigner(signer);
  return short === signer ? code(signer) : `<details><summary>${code(short)}</summary>${code(signer)}</details>`;
}

/** The second column: the result and, for a stage that failed, why. */
function resultCell(v: ChainVerdict, s: StageResult): string {
  switch (s.status) {
    case 'pass':
      return contentNote(s) ? `✅ pass<br>${contentNote(s)}` : '✅ pass';
    case 'unreached':
      return `⚪ not checked: stage ${stoppedAt(v)} failed`;
    case 'missing':
    case 'rejected':
    case 'unlinked': {
      const shown = s.failures.slice(0, CHECKS_PER_CELL).map(checkCell);
      const more = s.failures.length - shown.length;
      return [
        `❌ ${s.status === 'unlinked' ? 'broken link' : s.status}`,
        ...shown,
        ...(more > 0 ? [`+${more} more in the JSON report`] : []),
      ].join('<br>');
    }
  }
}

/** One row per stage; the artifact's name heads its first row. */
function artifactRows(v: ChainVerdict): string[] {
  if (v.stages.length === 0) return [`| ${code(v.artifact.name)} | ${v.passed ? '✅ pass' : '❌ FAIL'} | | |`];
  return v.stages.map((s, i) => {
    const stage = `${i === 0 ? `${code(v.artifact.name)}<br>` : ''}${i + 1}. ${code(s.title)}`;
    return `| ${stage} | ${resultCell(v, s)} | ${signerCell(s)} | ${code(sourceName(s.attestation?.source ?? ''))} |`;
  });
}

const TABLE_HEAD = ['| Artifact and stage | Result | Signer | Attestation |', '| --- | --- | --- | --- |'];

/** Before any chart or table: one line per failing stage, what failed and what to do. */
function failureLines(failed: readonly ChainVerdict[]): string[] {
  const lines: string[] = [];
  for (const v of failed.slice(0, FAILURES_LISTED)) {
    v.stages.forEach((s, i) => {
      if (!failedItself(s)) return;
      const first = s.failures[0];
      const others = s.failures.length - 1;
      // What failed in words first, then the check's own expected and found.
      const why = first
        ? `: **${adviceFor(first).what}** (${checkText(first)}${others > 0 ? `, and ${others} more` : ''})`
        : '';
      const fix = fixes(s.failures).join('; ');
      lines.push(
        `- ❌ ${code(v.artifact.name)}, stage ${i + 1} ${code(s.title)} ${s.status === 'unlinked' ? 'has a broken link' : s.status}${why}.${fix ? ` **To fix:** ${fix}.` : ''}`,
      );
    });
  }
  const rest = failed.length - Math.min(failed.length, FAILURES_LISTED);
  if (rest > 0) lines.push(`- … and ${rest} more failing artifact(s), in the table below.`);
  return lines;
}

/**
 * Heading, the failures with their fixes, the graphs, then the table: failing artifacts' stages
 * first, passing ones folded into a <details>; at most maxRows rows in all.
 */
export function chainMarkdown(verdicts: readonly ChainVerdict[], maxRows = 200): string {
  const failed = verdicts.filter((v) => !v.passed);
  const passed = verdicts.filter((v) => v.passed);
  const title =
    verdicts.length === 0
      ? '## Release chain not verified: no artifacts'
      : failed.length === 0
        ? `## Release chain verified: ${verdicts.length} artifact(s)`
        : `## Release chain broken for ${failed.length} of ${verdicts.length} artifact(s)`;

  let budget = maxRows;
  let listed = 0;
  const take = (group: readonly ChainVerdict[]): string[] => {
    const rows: string[] = [];
    for (const v of group) {
      const mine = artifactRows(v);
      if (listed > 0 && mine.length > budget) break;
      rows.push(...mine);
      budget -= mine.length;
      listed += 1;
    }
    return rows;
  };
  const failingRows = take(failed);
  const passingRows = take(passed);
  const rest = verdicts.length - listed;

  const charts = chainCharts(verdicts);
  return [
    title,
    '',
    ...(failed.length > 0 ? [...failureLines(failed), ''] : []),
    ...charts.graphs.flatMap((g) => ['```mermaid', g.trimEnd(), '```', '']),
    `Solid arrows: the stage builds on the one before. Red: missing, rejected or not verified; orange: a broken link; grey dashed: not checked, because an earlier stage failed.${charts.hidden > 0 ? ` The charts show ${charts.shown} artifact(s), failing ones first; ${charts.hidden} more are in the table.` : ''}`,
    '',
    ...(failingRows.length > 0 ? [...TABLE_HEAD, ...failingRows, ''] : []),
    ...(passingRows.length > 0
      ? [
          ...(failed.length > 0
            ? [`<details><summary>${passed.length} artifact(s) passed every stage</summary>`, '']
            : []),
          ...TABLE_HEAD,
          ...passingRows,
          '',
          ...(failed.length > 0 ? ['</details>', ''] : []),
        ]
      : []),
    ...(rest > 0 ? [`… ${rest} more artifact(s) not listed: see the JSON report.`, ''] : []),
  ].join('\n');
}
