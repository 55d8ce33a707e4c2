// Where the hash worker's code lives. In src it is the sibling `hash-worker.ts` (run by Node's
// type stripping); the build bundles it to `dist/hash-worker.js` next to `dist/index.js` and
// `dist/cli.js`, which is where this function's own code then lives too.
export function hashWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './hash-worker.ts' : './hash-worker.js', import.meta.url);
}
