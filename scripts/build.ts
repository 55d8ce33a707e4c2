// Builds dist/: the action (index.js), the CLI (cli.js) and the hashing worker (hash-worker.js) as
// ESM for Node 24, with shared code split into dist/chunks/ so each mode (and each publishing sink)
// loads only what it uses: start-up stays fast. Deterministic (content-hashed chunk names), so CI can
// rebuild and compare with the committed dist/ to catch a stale bundle.

import { build } from 'esbuild';
import { chmod, rm } from 'node:fs/promises';

// Bundled CommonJS dependencies call require() for Node built-ins; ESM has no require.
const requireShim = "import { createRequire as __provenanceCreateRequire } from 'node:module';\nconst require = __provenanceCreateRequire(import.meta.url);";

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'hash-worker': 'src/subjects/hash-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  banner: { js: requireShim },
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
