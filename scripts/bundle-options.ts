// esbuild settings shared by the release build (scripts/build.ts) and the benchmark, which bundles
// the hashing code the same way so it measures what ships rather than TypeScript run from src.
import type { BuildOptions } from 'esbuild';

// Bundled CommonJS dependencies call require() for Node built-ins; ESM has no require.
const requireShim =
  "import { createRequire as __provenanceCreateRequire } from 'node:module';\nconst require = __provenanceCreateRequire(import.meta.url);";

export const bundleOptions = {
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
} satisfies BuildOptions;
