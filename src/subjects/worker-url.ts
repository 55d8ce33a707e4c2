// Where the hash worker's code lives. In src it is the sibling `hash-worker.ts` (run by Node's
// type stripping). The build writes it to `dist/hash-worker.js`, while this function's own code
// may land in `dist/` or, with code splitting, in `dist/chunks/`: both places are looked in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLED_CANDIDATES = ['./hash-worker.js', '../hash-worker.js'];

export function hashWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./hash-worker.ts', import.meta.url);
  for (const candidate of BUNDLED_CANDIDATES) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`hash worker not found beside ${import.meta.url}: dist/ is incomplete, rebuild it`);
}
