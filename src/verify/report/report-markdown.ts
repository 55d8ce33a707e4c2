// The verify job summary, in the order a person needs it: the verdict, then one line per failing
// artifact saying what failed and how to fix it, then the failing artifacts' table (the reason in
// the second column, at most MAX_BUNDLE_ROWS bundles each), then the passing ones folded into a
// <details>. The whole stays within SUMMARY_MAX_BYTES (GitHub refuses a summary over 1 MiB), and
// a closing line says what was left out and where the rest is. Pure. Every value from a bundle,
// registry or API is shown through markdownCode/markdownText (src/output/untrusted.ts); links are
// only those report-links.ts builds from strict patterns.

import { sourceName } from '../../output/source-name.ts';
import { ByteBudget, byteLength, SUMMARY_MAX_BYTES } from '../../output/byte-budget.ts';
import { FAILURE_FIELD_MAX, markdownCode, markdownText } from '../../output/untrusted.ts';
import { adviceFor } from './advice.ts';
import { chainMarkdown } from '../chain/render.ts';
import { failingArtifacts, FAILURES_FIRST_MAX, type FailingArtifact } from './report-failures.ts';
import { shortSignerName } from '../../output/signer-name.ts';
import { bundleLinks, linksMarkdown } from './report-links.ts';
import type { ReportArtifact, ReportBundle, VerifyReport } from './report.types.ts';

/** Bundle rows shown per failing artifact; the rest are counted ("+N more"). */
export const MAX_BUNDLE_ROWS = 3;

export interface MarkdownOptions {
  /** Artifacts listed per table (and chain rows); the rest are counted. */
  maxRows?: number;
  maxBytes?: number;
  /** Where a reader finds everything left out, e.g. "the JSON report in the workflow artifact provenance-report". */
  fullReport?: string;
}

const DEFAULT_FULL_REPORT =
  "the JSON report (the step's `report-path` output, in the runner's temp directory: upload it with actions/upload-artifact to keep it after the job)";

/** Room kept for the closing line and the tags that close an open block. */
const CLOSING_RESERVE = 2048;

const code = (s: string): string => markdownCode(s);
const field = (s: string): string => markdownCode(s, FAILURE_FIELD_MAX);

const digestText = (d: Record<string, string>): string => {
  const [alg, hex] = Object.entries(d)[0] ?? ['', ''];
  return `${alg}:${hex}`;
};

/** A signer, short (`release.yml@v1.2.0`) with the full identity one click away. */
export function signerCell(signer: string | null): string {
  if (signer === null) return 'a trusted key';
  const short = shortSignerName(signer);
  return short === signer ? code(signer) : `<details><summary>${code(short)}</summary>${code(signer)}</details>`;
}

/** One failing artifact, in words, with the evidence and the fix. */
export function failureItem(p: FailingArtifact): string {
  const stage = p.stage === undefined ? '' : ` (stage ${code(p.stage)})`;
  const f = p.failure;
  let evidence = '';
  if (f?.check === 'artifact-changed') evidence = ` ${field(f.found)}, but the file is ${code(digestText(p.digest))}.`;
  else if (f !== undefined) evidence = ` Expected ${field(f.expected)}, found ${field(f.found)}.`;
  return `- ${code(p.name)}${stage}: **${p.advice.what}**.${evidence} **Fix:** ${p.advice.fix}.`;
}

/** Why one bundle failed: the first reason in words, the checks by name, expected and found folded. */
function whyCell(b: ReportBundle): string {
  const [first] = b.failures;
  if (first === undefined) return '✅ passed';
  const checks = b.failures.map((f) => code(f.check)).join(', ');
  const detail = b.failures
    .map((f) => `${code(f.check)}: expected ${field(f.expected)}, found ${field(f.found)}`)
    .join('<br>');
  return `❌ ${adviceFor(first).what}<details><summary>${checks}</summary>${detail}</details>`;
}

function bundleCell(b: ReportBundle): string {
  const links = linksMarkdown(bundleLinks(b));
  return `${code(sourceName(b.source))}${links === '' ? '' : `<br>${links}`}`;
}

/** A failing artifact's rows: its closest bundles first (as failingArtifacts chose), then "+N more". */
function failingRows(a: ReportArtifact): string[] {
  const tried = [...a.bundles].sort((x, y) => x.failures.length - y.failures.length);
  const rows = tried
    .slice(0, MAX_BUNDLE_ROWS)
    .map(
      (b, i) =>
        `| ${i === 0 ? code(a.name) : ''} | ${whyCell(b)} | ${bundleCell(b)} | ${b.signer === null ? '' : signerCell(b.signer)} |`,
    );
  if (tried.length > MAX_BUNDLE_ROWS)
    rows.push(`| | +${tried.length - MAX_BUNDLE_ROWS} more bundle(s) tried, all failing: see the full report | | |`);
  return rows;
}

function passingRow(a: ReportArtifact): string {
  const b = a.bundles.find((x) => x.result === 'PASS');
  if (b === undefined) return `| ${code(a.name)} | | | |`;
  return `| ${code(a.name)} | ${code(sourceName(b.source))} | ${signerCell(b.signer)} | ${linksMarkdown(bundleLinks(b))} |`;
}

/** The failing-first lines; a title line and the trusted root. */
function head(
  r: VerifyReport,
  failing: readonly FailingArtifact[],
  budget: ByteBudget,
): { lines: string[]; cut: number } {
  const lines: string[] = [];
  let omitted = 0;
  let cut = 0; // left out for want of bytes, not by the FAILURES_FIRST_MAX cap
  if (failing.length > 0) {
    lines.push('**What failed, and how to fix it**', '');
    for (const [i, p] of failing.entries()) {
      const item = `${failureItem(p)}\n`;
      if (i < FAILURES_FIRST_MAX && budget.take(item, CLOSING_RESERVE)) {
        lines.push(item.trimEnd());
        continue;
      }
      omitted += 1;
      if (i < FAILURES_FIRST_MAX) cut += 1;
    }
    if (omitted > 0)
      lines.push(`- … and ${omitted} more failing artifact(s): see the table below and the full report.`);
    lines.push('');
  }
  lines.push(`Trusted root: ${markdownText(r.trustedRoot)}. Checked at ${markdownText(r.time)}.`, '');
  return { lines, cut };
}

/** A table whose rows are taken per artifact while they fit; returns the lines and how many artifacts were left out. */
function table(
  header: string[],
  groups: readonly string[][],
  maxRows: number,
  budget: ByteBudget,
  reserve: number,
): { lines: string[]; left: number } {
  const lines: string[] = [];
  let shown = 0;
  for (const rows of groups) {
    if (shown >= maxRows) break;
    const text = `${(shown === 0 ? header : []).concat(rows).join('\n')}\n`;
    if (!budget.take(text, reserve)) break;
    if (shown === 0) lines.push(...header);
    lines.push(...rows);
    shown += 1;
  }
  return { lines, left: groups.length - shown };
}

function artifactsMarkdown(r: VerifyReport, budget: ByteBudget, maxRows: number): { lines: string[]; left: string[] } {
  const failed = r.artifacts.filter((a) => a.result === 'FAIL');
  const passed = r.artifacts.filter((a) => a.result === 'PASS');
  const lines: string[] = [];
  const left: string[] = [];
  if (failed.length > 0) {
    const t = table(
      ['| Artifact | Why it failed | Bundle | Signer |', '| --- | --- | --- | --- |'],
      failed.map(failingRows),
      maxRows,
      budget,
      CLOSING_RESERVE,
    );
    lines.push(...t.lines, '');
    if (t.left > 0) left.push(`${t.left} of ${failed.length} failing artifact(s) in the table`);
  }
  if (passed.length > 0) {
    const open = `<details><summary>✅ ${passed.length} artifact(s) passed</summary>\n`;
    const close = '</details>';
    if (budget.take(`${open}\n${close}\n`, CLOSING_RESERVE)) {
      const t = table(
        ['| Artifact | Bundle | Signer | Links |', '| --- | --- | --- | --- |'],
        passed.map((a) => [passingRow(a)]),
        maxRows,
        budget,
        CLOSING_RESERVE,
      );
      lines.push(
        open,
        ...t.lines,
        ...(t.left > 0 ? ['', `… and ${t.left} more passing artifact(s).`] : []),
        '',
        close,
        '',
      );
      if (t.left > 0) left.push(`${t.left} of ${passed.length} passing artifact(s)`);
    } else {
      left.push(`all ${passed.length} passing artifact(s)`);
    }
  }
  return { lines, left };
}

/** The chain section (render.ts), with fewer rows until it fits; the failure lines go under its title. */
function chainSection(
  r: VerifyReport,
  chains: NonNullable<VerifyReport['chains']>,
  headLines: readonly string[],
  budget: ByteBudget,
  maxRows: number,
): { text: string; left: string[] } {
  let rows = maxRows;
  for (;;) {
    const md = chainMarkdown(chains, rows);
    const nl = md.indexOf('\n');
    const [title, rest] = md.startsWith('## ') && nl > 0 ? [md.slice(0, nl), md.slice(nl + 1)] : ['', md];
    const text = `${title === '' ? '' : `${title}\n\n`}${headLines.join('\n')}\n${rest}`;
    // The head was already counted against the budget; only the chain itself is new.
    if (budget.take(text, CLOSING_RESERVE - byteLength(`${headLines.join('\n')}\n`)))
      return { text, left: rows < maxRows ? [`the chain table's rows after the first ${rows}`] : [] };
    if (rows === 0) return { text: `${headLines.join('\n')}\n`, left: ['the chain chart and table'] };
    rows = Math.floor(rows / 2);
  }
}

/** Markdown for the job summary: failures first, tables that fit the page, within the byte cap. */
export function reportMarkdown(r: VerifyReport, options: MarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  const budget = new ByteBudget(options.maxBytes ?? SUMMARY_MAX_BYTES);
  const failing = failingArtifacts(r);
  const failedCount = r.artifacts.filter((a) => a.result === 'FAIL').length;
  const title = r.verified
    ? `## ✅ Provenance verified: ${r.artifacts.length} artifact(s) passed`
    : `## ❌ Provenance verification failed: ${failedCount} of ${r.artifacts.length} artifact(s)`;
  budget.force(`${title}\n\n`);
  // A chain's section lists its failing stages first itself (render.ts), per stage; here only the trusted root line.
  const { lines: headLines, cut } = head(r, r.chains === undefined ? failing : [], budget);
  const out: string[] = [];
  const left: string[] = [];
  if (cut > 0) left.push(`the reasons of ${cut} failing artifact(s)`);
  if (r.chains !== undefined) {
    const chain = chainSection(r, r.chains, headLines, budget, maxRows);
    out.push(chain.text.trimEnd(), '');
    left.push(...chain.left);
  } else {
    const body = artifactsMarkdown(r, budget, maxRows);
    out.push(title, '', ...headLines, ...body.lines);
    left.push(...body.left);
  }
  if (left.length > 0)
    out.push(
      `_Left out of this summary (GitHub shows at most 1 MiB): ${left.join('; ')}. Every artifact, bundle and reason is in ${options.fullReport ?? DEFAULT_FULL_REPORT}._`,
      '',
    );
  // A report the reader can download (upload-artifact) is linked whatever the summary holds.
  else if (options.fullReport !== undefined) out.push(`Every artifact, bundle and reason: ${options.fullReport}.`, '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
