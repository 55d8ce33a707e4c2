// npm run bench: hashing against `openssl dgst -sha256` (one 1 GiB file: streaming speed; 1,000
// files of 256 KiB: both cores; 100,000 files of 1 KiB: scale) and verification throughput against
// @sigstore/verify, each baseline measured in the same run. Run: `node scripts/bench.ts` (Node 24).
// The hashing rows run collectSubjects bundled as dist/ is (bench/bundle.ts says why).
// BENCH_KEEP=1 keeps the data under .bench/ in the repo and reuses it on the next run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Subject } from '../src/subjects/index.ts';
import { bundleSubjects, loadSubjects } from './bench/bundle.ts';
import { randomFile, randomFiles } from './bench/data.ts';
import { treeRow } from './bench/hash-tree.ts';
import { bestOf, command, parseOpenssl } from './bench/measure.ts';
import { renderTable } from './bench/table.ts';
import type { BenchRow } from './bench/table.ts';
import { verificationRows } from './bench/verify.ts';
import { coldStartRows } from './bench/cold-start.ts';

const GiB = 1024 ** 3;
const KiB = 1024;
const RUNS = 3;

// @actions/glob writes `::debug::` lines to stdout unconditionally; they would bury the table.
const write = process.stdout.write.bind(process.stdout);
const quiet = (chunk: string | Uint8Array, ...rest: never[]): boolean =>
  typeof chunk === 'string' && chunk.startsWith('::debug::') ? true : write(chunk, ...rest);
process.stdout.write = quiet;

const keep = process.env['BENCH_KEEP'] === '1';
const dir = keep
  ? path.resolve(import.meta.dirname, '..', '.bench')
  : await mkdtemp(path.join(os.tmpdir(), 'provenance-bench-'));
const build = await mkdtemp(path.join(os.tmpdir(), 'provenance-bench-build-'));

try {
  console.log(
    `data in ${dir}; node ${process.version}, ${os.availableParallelism()} cores, ${(await command('openssl', ['version'])).trim()}`,
  );
  const big = path.join(dir, 'big.bin');
  await randomFile(big, GiB);
  const many = await randomFiles(path.join(dir, 'many'), 1000, 256 * KiB);

  const subjectsUrl = await bundleSubjects(build);
  const { collectSubjects } = await loadSubjects(subjectsUrl);
  const collect = (paths: string): Promise<Subject[]> =>
    collectSubjects({ paths, names: '', digests: '', checksums: '' }, { workspace: dir });
  const rows: BenchRow[] = [];

  const oursBig = await bestOf(RUNS, () => collect('big.bin'));
  const sslBig = await bestOf(RUNS, () => command('openssl', ['dgst', '-sha256', big]));
  check(
    '1 GiB file',
    new Map(oursBig.result.map((s) => [path.join(dir, s.name), s.digest['sha256'] ?? ''])),
    parseOpenssl(sslBig.result),
  );
  rows.push({
    figure: 'hash 1 file of 1 GiB',
    ours: oursBig.ms,
    baseline: sslBig.ms,
    baselineName: 'openssl dgst -sha256',
    unit: 'ms',
    bytes: GiB,
  });

  const oursMany = await bestOf(RUNS, () => collect('many'));
  const sslMany = await bestOf(RUNS, () => command('openssl', ['dgst', '-sha256', ...many]));
  check(
    '1,000 files',
    new Map(oursMany.result.map((s) => [path.join(dir, s.name), s.digest['sha256'] ?? ''])),
    parseOpenssl(sslMany.result),
  );
  rows.push({
    figure: 'hash 1,000 files of 256 KiB (dir pattern)',
    ours: oursMany.ms,
    baseline: sslMany.ms,
    baselineName: 'one openssl dgst run',
    unit: 'ms',
    bytes: 1000 * 256 * KiB,
  });
  const tree = await treeRow(dir, subjectsUrl, RUNS);
  rows.push(tree.row);

  rows.push(...(await verificationRows(dir, RUNS)));
  const cold = await coldStartRows();
  rows.push(...cold.rows);

  console.log(
    `\nwall time, best of ${RUNS}; digests verified equal to openssl's (100,000 files: all distinct, ${tree.checked} sampled against sha256sum); every bench bundle verified\n`,
  );
  console.log(renderTable(rows));
  console.log(
    `\npeak RSS of this process (main thread + hash workers): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
  console.log(
    `peak RSS of one 100,000-file run in a fresh process (main thread + hash workers): ${tree.maxRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `dist/index.js: ${(cold.bundleBytes / 1024).toFixed(1)} KiB (the rest loads on demand from dist/chunks/)`,
  );
} finally {
  if (!keep) await rm(dir, { recursive: true, force: true });
  await rm(build, { recursive: true, force: true });
}

function check(what: string, ours: Map<string, string>, theirs: Map<string, string>): void {
  const bad = [...theirs].filter(([file, hex]) => ours.get(file) !== hex);
  if (bad.length > 0 || ours.size !== theirs.size) {
    throw new Error(
      `${what}: our digests differ from openssl's for ${bad.length} of ${theirs.size} files (e.g. ${bad[0]?.[0] ?? '?'})`,
    );
  }
}
