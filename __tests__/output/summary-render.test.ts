// Every job summary the project writes, rendered as github.com renders it (GitHub-flavoured
// Markdown, GitHub's stylesheet and sanitizing, Mermaid) in headless Chromium in the 850 px
// column of a run page, and held to what a reader needs (issue 16):
// - no table wider than the column (a wider one scrolls sideways, hiding what is past 850 px);
// - the first failure's reason and its fix in view without scrolling sideways;
// - chart text at 10 px or more once the chart is scaled down to the column;
// - the Markdown under GitHub's 1 MiB step-summary limit (over it GitHub shows nothing).
// Chromium is required, never skipped: testkit/chromium.ts says how to install it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requireChromium } from '../../testkit/chromium.ts';
import { summaryCases } from '../../testkit/summary-cases.ts';
import {
  GITHUB_SUMMARY_LIMIT_BYTES,
  measureSummaries,
  SUMMARY_COLUMN_PX,
  type SummaryMeasurement,
} from '../../testkit/summary-render.ts';

/** Smallest chart text a reader can make out on a run page. */
const MIN_CHART_TEXT_PX = 10;

/** What is wrong with a summary as rendered: one line each, with the numbers measured. */
function problems(m: SummaryMeasurement, failing: boolean): string[] {
  const out: string[] = [...m.errors.map((e) => `page error: ${e}`)];
  if (m.markdownBytes >= GITHUB_SUMMARY_LIMIT_BYTES)
    out.push(
      `${m.markdownBytes} bytes of Markdown (${(m.markdownBytes / 1024 / 1024).toFixed(2)} MiB), over GitHub's 1 MiB limit`,
    );
  for (const t of m.tables) {
    if (t.scrollWidth > SUMMARY_COLUMN_PX + 1)
      out.push(`table ${t.index} (${t.header}) is ${t.scrollWidth} px wide, over the ${SUMMARY_COLUMN_PX} px column`);
  }
  if (m.columnScrollWidth > SUMMARY_COLUMN_PX + 1)
    out.push(`something other than a table makes the column ${m.columnScrollWidth} px wide`);
  if (failing) {
    for (const name of ['reason', 'fix']) {
      const p = m.probes[name];
      if (p === undefined || !p.found) out.push(`the first failure's ${name} is not in the summary`);
      else if (!p.rendered) out.push(`the first failure's ${name} is only where it is not shown (a closed <details>)`);
      else if (!p.visible)
        out.push(
          `the first failure's ${name} ("${p.needle ?? ''}") is at ${p.left}–${p.right} px, past the visible ${p.visibleRight} px: it needs scrolling sideways`,
        );
    }
  }
  for (const c of m.charts) {
    if (c.texts > 0 && c.minFontPx < MIN_CHART_TEXT_PX) {
      out.push(
        `chart ${c.index} is ${c.intrinsicWidth} px wide, drawn at ${c.renderedWidth} px (×${c.scale}): its smallest text is ${c.minFontPx} px ("${c.minText}")`,
      );
    }
  }
  return out;
}

const brief = (m: SummaryMeasurement): string =>
  [
    `${m.markdownBytes} B`,
    `tables ${m.tables.map((t) => `${t.scrollWidth}px`).join(',') || 'none'}`,
    ...Object.entries(m.probes).map(
      ([n, p]) =>
        `${n} ${p.rendered ? `${p.left}-${p.right}px${p.visible ? '' : ' (hidden)'}` : p.found ? 'not rendered' : 'absent'}`,
    ),
    ...m.charts.map((c) => `chart ${c.intrinsicWidth}→${c.renderedWidth}px ×${c.scale} min ${c.minFontPx}px`),
  ].join('; ');

describe('job summaries as github.com renders them (850 px column)', () => {
  const cases = summaryCases();
  // One Chromium renders the whole set (a start costs seconds); each case then reads its numbers.
  let measured: Promise<SummaryMeasurement[]> | undefined;
  const measurementOf = async (i: number): Promise<SummaryMeasurement> => {
    requireChromium();
    measured ??= measureSummaries(cases);
    const m = (await measured)[i];
    if (m === undefined) throw new Error(`no measurement for case ${i}`);
    return m;
  };
  cases.forEach((c, i) => {
    it(c.title, async (t) => {
      const m = await measurementOf(i);
      t.diagnostic(brief(m));
      const found = problems(m, Object.keys(c.probes).length > 0);
      assert.deepEqual(found, [], `${c.id}:\n  ${found.join('\n  ')}`);
    });
  });
});

// The harness itself: GitHub's sanitizing, the measurements, the Mermaid scale.
describe('the summary rendering harness', () => {
  it('sanitizes as GitHub does and measures tables, hidden text and charts', async () => {
    requireChromium();
    const wide = 'x'.repeat(400);
    const markdown = [
      '<script>document.getElementById("summaries").remove()</script>',
      '<img src="missing.png" onerror="document.getElementById(\'summaries\').remove()">',
      '<p style="display:none" class="hidden">styled-away</p>',
      '<details><summary>more</summary>inside-details</details>',
      '',
      '| A | B |',
      '| --- | --- |',
      '| narrow | cell |',
      '',
      '| A | B |',
      '| --- | --- |',
      `| \`${wide}\` | past-the-edge |`,
      '',
      '```mermaid',
      'flowchart LR',
      '  a[hello] --> b[world]',
      '```',
      '',
    ].join('\n');
    const [m] = await measureSummaries([
      { markdown, probes: { styled: ['styled-away'], folded: ['inside-details'], edge: ['past-the-edge'] } },
    ]);
    assert.ok(m);
    assert.deepEqual(m.errors, []);
    assert.equal(m.probes['styled']?.visible, true, 'style and class are dropped, as GitHub drops them');
    assert.deepEqual(
      [m.probes['folded']?.found, m.probes['folded']?.rendered],
      [true, false],
      'text in a closed <details> is not shown',
    );
    assert.equal(m.probes['edge']?.visible, false, 'a cell past 850 px needs scrolling');
    assert.deepEqual(
      m.tables.map((t) => t.scrollWidth <= SUMMARY_COLUMN_PX),
      [true, false],
    );
    assert.equal(m.charts.length, 1);
    assert.equal(m.charts[0]?.scale, 1, 'a chart narrower than the column is not scaled');
    assert.ok((m.charts[0]?.minFontPx ?? 0) >= MIN_CHART_TEXT_PX);
  });
});
