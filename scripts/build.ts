// Builds dist/: the action (index.js), the CLI (cli.js) and the hashing and verifying workers
// (hash-worker.js, verify-worker.js) as
// ESM for Node 24, with shared code split into dist/chunks/ so each mode (and each publishing sink)
// loads only what it uses: start-up stays fast. Deterministic (content-hashed chunk names), so CI can
// rebuild and compare with the committed dist/ to catch a stale bundle.

import { build } from 'esbuild';
import { chmod, rm } from 'node:fs/promises';
import { bundleOptions } from './bundle-options.ts';

await rm('dist', { recursive: true, force: true });
await build({
  ...bundleOptions,
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'hash-worker': 'src/subjects/hash-worker.ts',
    'verify-worker': 'src/verify/workers/verify-worker.ts',
  },
  outdir: 'dist',
});
await chmod('dist/cli.js', 0o755);
