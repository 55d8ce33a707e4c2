// The verification rows of `npm run bench` alone (no hashing data to make): verify mode over 1,000
// signed bundles, in the worker pool and on one thread, against @sigstore/verify measured in the
// same run. Run: `node scripts/bench-verify.ts`; BENCH_KEEP=1 reuses the bundles under .bench/
// (signing 1,000 against the local stack takes a while), BENCH_RUNS sets the best-of count.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderTable } from './bench/table.ts';
import { verificationRows } from './bench/verify.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const keep = process.env['BENCH_KEEP'] === '1';
const dir = keep
  ? path.resolve(import.meta.dirname, '..', '.bench')
  : await mkdtemp(path.join(os.tmpdir(), 'provenance-bench-'));
try {
  console.log(
    `data in ${dir}; node ${process.version}, ${os.availableParallelism()} cores; wall time, best of ${runs}; every bench bundle verified`,
  );
  console.log(renderTable(await verificationRows(dir, runs)));
} finally {
  if (!keep) await rm(dir, { recursive: true, force: true });
}
