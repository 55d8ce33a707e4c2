// The hashing rows run the bundled code, built as scripts/build.ts builds dist/: what users run.
// From src, each hash worker would first load Node's TypeScript stripper (~40 ms a worker, before
// it hashes anything), a cost the shipped JavaScript never pays.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Subjects from '../../src/subjects/index.ts';
import { bundleOptions } from '../bundle-options.ts';

export type SubjectsModule = typeof Subjects;

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** Bundles src/subjects (collectSubjects) and the hash worker into `outdir`; returns the entry's URL. */
export async function bundleSubjects(outdir: string): Promise<string> {
  await build({
    ...bundleOptions,
    entryPoints: {
      subjects: path.join(SRC, 'subjects', 'index.ts'),
      'hash-worker': path.join(SRC, 'subjects', 'hash-worker.ts'),
    },
    outdir,
  });
  return pathToFileURL(path.join(outdir, 'subjects.js')).href;
}

export async function loadSubjects(url: string): Promise<SubjectsModule> {
  return (await import(url)) as SubjectsModule;
}
