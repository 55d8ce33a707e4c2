// Where a worker thread's code lives, for the module `moduleUrl` that starts it. In src it is the
// sibling `<name>.ts` (run by Node's type stripping). The build writes workers to `dist/<name>.js`,
// while the starting module's code may land in `dist/` or, with code splitting, in `dist/chunks/`:
// both places are looked in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function workerUrl(name: string, moduleUrl: string): URL {
  if (moduleUrl.endsWith('.ts')) return new URL(`./${name}.ts`, moduleUrl);
  for (const candidate of [`./${name}.js`, `../${name}.js`]) {
    const url = new URL(candidate, moduleUrl);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`${name} not found beside ${moduleUrl}: dist/ is incomplete, rebuild it`);
}
