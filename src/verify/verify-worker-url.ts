// Where the verify worker's code lives. In src it is the sibling `verify-worker.ts` (run by Node's
// type stripping). The build writes it to `dist/verify-worker.js`, while this function's own code
// may land in `dist/` or, with code splitting, in `dist/chunks/`: both places are looked in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLED_CANDIDATES = ['./verify-worker.js', '../verify-worker.js'];

export function verifyWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./verify-worker.ts', import.meta.url);
  for (const candidate of BUNDLED_CANDIDATES) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`verify worker not found beside ${import.meta.url}: dist/ is incomplete, rebuild it`);
}
