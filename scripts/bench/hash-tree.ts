// The scale row: 100,000 files of 1 KiB in 100 directories, one directory pattern, each run in a
// fresh process (hash-tree-child.ts) so its peak RSS is its own. The baseline uses both cores too:
// find | xargs -P2 openssl dgst -sha256, 5,000 files per openssl run. A sample of our digests is
// checked against sha256sum's.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomTree } from './data.ts';
import { bestOf, command } from './measure.ts';
import type { BenchRow } from './table.ts';

const run = promisify(execFile);
const CHILD = path.join(import.meta.dirname, 'hash-tree-child.ts');
export const TREE = { dirs: 100, filesPerDir: 1000, bytes: 1024 };
const COUNT = TREE.dirs * TREE.filesPerDir;
const BASELINE = 'find | xargs -0 -P2 -n 5000 openssl dgst -sha256';

interface ChildResult {
  ms: number;
  count: number;
  distinct: number;
  sample: [string, string][];
  maxRssMiB: number;
}

export async function treeRow(
  dir: string,
  subjectsUrl: string,
  runs: number,
): Promise<{ row: BenchRow; maxRssMiB: number; checked: number }> {
  const rel = 'small';
  await randomTree(path.join(dir, rel), TREE.dirs, TREE.filesPerDir, TREE.bytes);
  let best: ChildResult | undefined;
  let maxRssMiB = 0;
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, [CHILD, subjectsUrl, dir, rel], {
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout) as ChildResult;
    maxRssMiB = Math.max(maxRssMiB, result.maxRssMiB);
    if (!best || result.ms < best.ms) best = result;
  }
  if (!best) throw new Error('treeRow needs at least one run');
  if (best.count !== COUNT || best.distinct !== COUNT)
    throw new Error(
      `100,000 files: expected ${COUNT} distinct subjects, got ${best.count} (${best.distinct} distinct)`,
    );
  const baseline = await bestOf(runs, () =>
    command('bash', ['-c', `find ${rel} -type f -print0 | xargs -0 -P2 -n 5000 openssl dgst -sha256 > /dev/null`], dir),
  );
  // Spot check: every 1000th subject (100 files) against the system sha256sum.
  const sums = await command(
    'sha256sum',
    best.sample.map(([name]) => name),
    dir,
  );
  const expected = new Map(
    sums
      .trim()
      .split('\n')
      .map((line) => [line.slice(66), line.slice(0, 64)]),
  );
  const bad = best.sample.filter(([name, hex]) => expected.get(name) !== hex);
  if (bad.length > 0 || expected.size !== best.sample.length)
    throw new Error(
      `100,000 files: digests differ from sha256sum for ${bad.length} of ${best.sample.length} sampled (e.g. ${bad[0]?.[0] ?? '?'})`,
    );
  return {
    row: {
      figure: `hash 100,000 files of 1 KiB (dir pattern, fresh process)`,
      ours: best.ms,
      baseline: baseline.ms,
      baselineName: BASELINE,
      unit: 'ms',
      bytes: COUNT * TREE.bytes,
    },
    maxRssMiB,
    checked: best.sample.length,
  };
}
