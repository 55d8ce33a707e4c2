// A job summary as github.com shows it on a run page, rendered in headless Chromium so tests can
// measure what a reader sees (does a table fit the column, is the first failure's reason in view,
// can the chart's text be read) and scripts can take screenshots of it.
//
// The page: GitHub-flavoured Markdown rendered by `marked` (a real GFM renderer beats a
// hand-written subset: tables, autolinks, raw HTML and escapes behave as on GitHub), sanitized in
// the page by GitHub's allowlist (testkit/summary-page-script.ts), styled like GitHub's
// `.markdown-body` (14px system font, table cells 6px 13px, code at 85% monospace, tables as
// scrolling blocks at most the column wide) in an 850 px column, and ```mermaid blocks drawn by
// the `mermaid` package, each SVG scaled down to the column when wider, as GitHub does.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { dumpDom, screenshot } from './chromium.ts';
import { PAGE_SCRIPT } from './summary-page-script.ts';

/** The width of a run page's summary column on github.com at a common 1280 px window. */
export const SUMMARY_COLUMN_PX = 850;
/** GitHub refuses a step summary over 1 MiB (and shows an error instead). */
export const GITHUB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * Texts to look for in the rendered page, by name: for each, the first rendered occurrence of
 * any of the alternatives is located and checked for being in view (e.g. `reason` → the check
 * name or the value found, `fix` → the start of the advice).
 */
export type Probes = Readonly<Record<string, readonly string[]>>;

export interface Visibility {
  rendered: boolean;
  /** Every line box of it lies inside the column and inside every scrolling ancestor, scrolled to the start. */
  visible: boolean;
  /** px from the column's left edge. */
  left: number;
  right: number;
  /** px from the top of the summary. */
  top: number;
  /** Where the visible area ends (px from the column's left edge). */
  visibleRight: number;
}

export interface ProbeResult extends Visibility {
  /** Some alternative occurs in the rendered text (maybe only where it is not rendered, e.g. a closed <details>). */
  found: boolean;
  /** The alternative whose occurrence was measured (null when none renders). */
  needle: string | null;
}

export interface SummaryMeasurement {
  markdownBytes: number;
  column: number;
  /** The column's scrollWidth: over `column`, something other than a table sticks out. */
  columnScrollWidth: number;
  /** The summary's height in px. */
  pageHeight: number;
  /** The browser window's inner size, for the record. */
  viewport: { width: number; height: number };
  tables: { index: number; header: string; rows: number; scrollWidth: number; clientWidth: number }[];
  probes: Record<string, ProbeResult>;
  firstRowSecondCell: (Visibility & { text: string }) | null;
  charts: {
    index: number;
    intrinsicWidth: number;
    renderedWidth: number;
    renderedHeight: number;
    scale: number;
    texts: number;
    minFontPx: number;
    minText: string;
  }[];
  /** Script errors and Mermaid parse errors: any is a failure of the page, not of the summary's layout. */
  errors: string[];
}

const require = createRequire(import.meta.url);
const MERMAID_JS = pathToFileURL(
  path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js'),
).href;

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// GitHub writes a fenced block as <pre lang="x"><code>; the page finds ```mermaid by that attribute.
const markdown = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      return `<pre${language ? ` lang="${escapeHtml(language)}"` : ''}><code>${escapeHtml(text)}</code></pre>\n`;
    },
  },
});

/** Close to github-markdown-css (light theme), as a run page's summary box uses it. */
const STYLESHEET = `
html, body { margin: 0; padding: 0; background: #ffffff; }
.markdown-body { box-sizing: border-box; margin-bottom: 48px; width: ${SUMMARY_COLUMN_PX}px; color: #1f2328; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji";
  font-size: 14px; line-height: 1.5; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body h1, .markdown-body h2, .markdown-body h3, .markdown-body h4 { margin-top: 24px; margin-bottom: 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h1 { font-size: 2em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body h4 { font-size: 1em; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body ol, .markdown-body dl, .markdown-body table, .markdown-body pre, .markdown-body details { margin-top: 0; margin-bottom: 16px; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body a { color: #0969da; text-decoration: none; }
.markdown-body details summary { cursor: pointer; display: list-item; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; font-variant: tabular-nums; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr { background-color: #ffffff; border-top: 1px solid #d1d9e0b3; }
.markdown-body table tr:nth-child(2n) { background-color: #f6f8fa; }
.markdown-body code, .markdown-body tt { padding: .2em .4em; margin: 0; font-size: 85%; white-space: break-spaces; background-color: #818b981f; border-radius: 6px; }
.markdown-body code, .markdown-body tt, .markdown-body pre, .markdown-body kbd, .markdown-body samp { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background-color: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { display: inline; padding: 0; margin: 0; overflow: visible; line-height: inherit; word-wrap: normal; background-color: transparent; border: 0; font-size: 100%; white-space: pre; }
.markdown-body img { max-width: 100%; box-sizing: content-box; }
.markdown-body hr { height: .25em; padding: 0; margin: 24px 0; background-color: #d1d9e0; border: 0; }
.markdown-body .mermaid-chart { margin-bottom: 16px; }
.markdown-body .mermaid-chart svg { display: block; max-width: 100%; height: auto; }
.markdown-body .mermaid-error { color: #d1242f; margin-bottom: 16px; }
`;

export interface SummaryInput {
  markdown: string;
  probes?: Probes;
}

/**
 * The HTML page: each summary in an 850 px column of its own, one under the other (one Chromium
 * run measures a whole set). `probes` names texts whose first rendered occurrence is measured.
 */
export function summaryPage(summaries: readonly SummaryInput[]): string {
  const data = {
    summaries: summaries.map((s) => ({ html: markdown.parse(s.markdown, { async: false }), probes: s.probes ?? {} })),
  };
  // As JSON in a data block: `<` escaped, so nothing in it can end the block or run as markup.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>job summary</title>',
    `<style>${STYLESHEET}</style>`,
    `<script src="${escapeHtml(MERMAID_JS)}"></script>`,
    '</head><body>',
    '<div id="summaries"></div>',
    '<pre id="measure" hidden></pre>',
    `<script type="application/json" id="summary-data">${json}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Renders the summaries in one Chromium at the column width; what the page measured, in order. */
export async function measureSummaries(summaries: readonly SummaryInput[]): Promise<SummaryMeasurement[]> {
  return withPage(summaries, async (file) => {
    const dom = await dumpDom(file, { width: SUMMARY_COLUMN_PX, height: 1000 });
    const json = /<pre id="measure"[^>]*>([^<]*)<\/pre>/.exec(dom)?.[1];
    if (json === undefined || json === '')
      throw new Error(`the summary page wrote no measurements; its DOM began: ${dom.slice(0, 500)}`);
    const parsed = JSON.parse(json) as Omit<SummaryMeasurement, 'markdownBytes'>[];
    if (parsed.length !== summaries.length)
      throw new Error(`the summary page measured ${parsed.length} of ${summaries.length} summaries`);
    return parsed.map((m, i) => ({ markdownBytes: Buffer.byteLength(summaries[i]?.markdown ?? '', 'utf8'), ...m }));
  });
}

/** One summary, measured on a page of its own. */
export async function measureSummary(summaryMarkdown: string, probes: Probes = {}): Promise<SummaryMeasurement> {
  const [measured] = await measureSummaries([{ markdown: summaryMarkdown, probes }]);
  if (measured === undefined) throw new Error('the summary page measured nothing');
  return measured;
}

/**
 * A PNG of the summary as a reader sees it at the column width: the whole summary, or its top
 * `maxHeight` px (a summary of hundreds of rows is read from the top). `height` is the summary's
 * height when known (from measureSummaries), which saves a run.
 */
export async function screenshotSummary(
  summaryMarkdown: string,
  pngFile: string,
  options: { maxHeight?: number; height?: number } = {},
): Promise<void> {
  const height = options.height ?? (await measureSummary(summaryMarkdown)).pageHeight;
  const shown = Math.min(options.maxHeight ?? 2400, Math.max(200, height));
  await withPage([{ markdown: summaryMarkdown }], (file) =>
    screenshot(file, pngFile, { width: SUMMARY_COLUMN_PX, height: shown }),
  );
}

async function withPage<T>(summaries: readonly SummaryInput[], use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'summary-page-'));
  try {
    const file = path.join(dir, 'summary.html');
    await writeFile(file, summaryPage(summaries));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
