// Renders benchmark results as one aligned text table. Each figure is a row comparing our time
// (or throughput) with a named baseline, so new figures are one more row, not new code.
export interface BenchRow {
  figure: string;
  ours: number;
  baseline: number;
  baselineName: string;
  /** Unit of `ours` and `baseline`, e.g. 'ms' or 'MiB/s'. */
  unit: string;
  /** Bytes processed, for time rows: adds the throughput beside each time. */
  bytes?: number;
}

/** ", 1,313 MiB/s" for a time in ms over `bytes`; empty for other rows. */
function rate(row: BenchRow, value: number): string {
  if (row.bytes === undefined || row.unit !== 'ms' || value <= 0) return '';
  return `, ${Math.round(row.bytes / 2 ** 20 / (value / 1000)).toLocaleString('en-US')} MiB/s`;
}

export function renderTable(rows: readonly BenchRow[]): string {
  const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const cells = [
    ['figure', 'ours', 'baseline', 'ratio (ours/baseline)'],
    ...rows.map((r) => [
      r.figure,
      `${fmt(r.ours)} ${r.unit}${rate(r, r.ours)}`,
      `${fmt(r.baseline)} ${r.unit}${rate(r, r.baseline)} (${r.baselineName})`,
      (r.ours / r.baseline).toFixed(2),
    ]),
  ];
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}
